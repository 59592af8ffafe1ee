import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir } from './stores.js';

/**
 * Builds real git repositories for tests with the git CLI: the one builder
 * every test uses (delivery, codebase, the git source, debt). Every author,
 * committer and tagger time is given explicitly, so `git log` order is the
 * order written and expected values can be worked out by hand. Times are ISO
 * strings in UTC. Files are written, deleted or moved through the git CLI.
 */
export interface CommitSpec {
  /** Default: "change by <author name>", or "change". */
  message?: string;
  /**
   * Files to write (path -> text or bytes); null deletes the file (`git rm`).
   * Default: one file named after the message.
   */
  files?: Record<string, string | Uint8Array | null>;
  /** `git mv` from -> to, before the files are written. */
  moves?: Array<[from: string, to: string]>;
  /** "Name <email>"; default: the repository's user (Test Author <author@example.com>). */
  author?: string;
  /** Author time; the committer time defaults to it. */
  at: string;
  committedAt?: string;
}

/** One commit of TestRepository.importCommits. */
export interface ImportedCommit {
  /** Indexes of earlier commits of the same import, first parent first; empty for a root. */
  parents: number[];
  /** The branch this commit moves (default main): its last commit is the branch's tip. */
  branch?: string;
  /** Subject, or subject and body. */
  message: string;
  /** Author and committer time. */
  at: string;
  /** Files written by the commit (default: history.txt, rewritten by each commit, so trees stay small). */
  files?: Record<string, string>;
}

export class TestRepository {
  readonly dir: string;

  private constructor(dir: string) {
    this.dir = dir;
  }

  static create(options: { branch?: string; prefix?: string } = {}): TestRepository {
    const repo = new TestRepository(makeTempDir(options.prefix ?? 'sextant-git-'));
    repo.git(['init', '-q', '-b', options.branch ?? 'main']);
    repo.git(['config', 'user.name', 'Test Author']);
    repo.git(['config', 'user.email', 'author@example.com']);
    repo.git(['config', 'commit.gpgsign', 'false']);
    repo.git(['config', 'tag.gpgsign', 'false']);
    return repo;
  }

  /** Runs git in the repository; returns its output without the trailing newline. */
  git(args: string[], env: Record<string, string> = {}): string {
    return execFileSync('git', args, {
      cwd: this.dir,
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', ...env },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  }

  /** Commits and returns the new commit's sha. */
  commit(spec: CommitSpec): string {
    const message = spec.message ?? (spec.author ? `change by ${identity(spec.author).name}` : 'change');
    for (const [from, to] of spec.moves ?? []) {
      fs.mkdirSync(path.dirname(path.join(this.dir, to)), { recursive: true });
      this.git(['mv', '--', from, to]);
    }
    const files = spec.files ?? (spec.moves ? {} : { [`${slug(message)}.txt`]: `${message}\n` });
    for (const [file, content] of Object.entries(files)) {
      if (content === null) {
        this.git(['rm', '-q', '--', file]);
        continue;
      }
      const full = path.join(this.dir, file);
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.writeFileSync(full, content);
      this.git(['add', '--', file]);
    }
    this.git(['commit', '-q', '--allow-empty', '-m', message], this.dates(spec.at, spec.committedAt, spec.author));
    return this.head();
  }

  /**
   * Writes many commits at once with `git fast-import` (thousands per second,
   * where `commit` runs git three times each); returns their shas in order.
   * Parents are given by index, so any graph can be written: merges, side
   * branches, several roots.
   */
  importCommits(commits: readonly ImportedCommit[]): string[] {
    const marks = path.join(this.dir, '.git', 'import-marks');
    let stream = '';
    commits.forEach((commit, i) => {
      const branch = `refs/heads/${commit.branch ?? 'main'}`;
      const seconds = Math.floor(Date.parse(commit.at) / 1000);
      const message = `${commit.message}\n`;
      if (commit.parents.length === 0) stream += `reset ${branch}\n`;
      stream += `commit ${branch}\nmark :${i + 1}\n`;
      stream += `author Test Author <author@example.com> ${seconds} +0000\ncommitter Test Author <author@example.com> ${seconds} +0000\n`;
      stream += `data ${Buffer.byteLength(message)}\n${message}`;
      commit.parents.forEach((parent, j) => {
        if (parent >= i) throw new Error(`commit ${i}: parent ${parent} is not an earlier commit`);
        stream += `${j === 0 ? 'from' : 'merge'} :${parent + 1}\n`;
      });
      for (const [file, content] of Object.entries(commit.files ?? { 'history.txt': `${i}\n` })) {
        stream += `M 100644 inline ${file}\ndata ${Buffer.byteLength(content)}\n${content}\n`;
      }
    });
    execFileSync('git', ['fast-import', '--quiet', `--export-marks=${marks}`], {
      cwd: this.dir,
      input: `${stream}done\n`,
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
      stdio: ['pipe', 'ignore', 'pipe'],
      maxBuffer: 1 << 30,
    });
    const shas = new Map(
      fs
        .readFileSync(marks, 'utf8')
        .trim()
        .split('\n')
        .map((line) => {
          const [mark, sha] = line.split(' ');
          return [Number((mark as string).slice(1)), sha as string] as const;
        }),
    );
    fs.rmSync(marks);
    return commits.map((_, i) => shas.get(i + 1) as string);
  }

  /** `git revert` of `sha` (message "Revert "..."" + "This reverts commit <sha>."). */
  revert(sha: string, at: string): string {
    this.git(['revert', '--no-edit', sha], this.dates(at));
    return this.head();
  }

  /** A merge commit of `branch` into the current branch (always a real merge, never fast-forward). */
  merge(branch: string, at: string, options: { message?: string; author?: string } = {}): string {
    this.git(['merge', '-q', '--no-ff', '-m', options.message ?? `Merge ${branch}`, branch], this.dates(at, at, options.author));
    return this.head();
  }

  /** A squash merge: one new commit holding the branch's changes, no merge parent. */
  squashMerge(branch: string, message: string, at: string, author?: string): string {
    this.git(['merge', '-q', '--squash', branch]);
    this.git(['commit', '-q', '-m', message], this.dates(at, at, author));
    return this.head();
  }

  checkout(branch: string, options: { create?: boolean; from?: string } = {}): void {
    this.git(options.create ? ['checkout', '-q', '-b', branch, ...(options.from ? [options.from] : [])] : ['checkout', '-q', branch]);
  }

  /** A lightweight tag on HEAD (or `target`). */
  tag(name: string, target = 'HEAD'): void {
    this.git(['tag', name, target]);
  }

  /** An annotated tag; its tagger time is `at`. */
  annotatedTag(name: string, at: string, target = 'HEAD'): void {
    this.git(['tag', '-a', name, '-m', `Release ${name}`, target], { GIT_COMMITTER_DATE: at });
  }

  /** A .mailmap kept outside the tree (`mailmap.file` in .git/), so it is not itself a file of the history. */
  mailmap(text: string): void {
    const file = path.join(this.dir, '.git', 'info', 'mailmap');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    this.git(['config', 'mailmap.file', file]);
  }

  head(): string {
    return this.git(['rev-parse', 'HEAD']);
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private dates(at: string, committedAt = at, author?: string): Record<string, string> {
    const env: Record<string, string> = { GIT_AUTHOR_DATE: at, GIT_COMMITTER_DATE: committedAt };
    if (author) {
      const { name, email } = identity(author);
      env.GIT_AUTHOR_NAME = name;
      env.GIT_AUTHOR_EMAIL = email;
    }
    return env;
  }
}

function identity(author: string): { name: string; email: string } {
  const match = /^(.*) <(.*)>$/.exec(author);
  if (!match) throw new Error(`author must look like "Name <email>": ${author}`);
  return { name: match[1] as string, email: match[2] as string };
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'change'
  );
}

/** Epoch milliseconds of an ISO time, for expected values. */
export function ms(iso: string): number {
  return Date.parse(iso);
}

const ANN = 'Ann <ann@work.example>';
const ANN_AT_HOME = 'Ann Lee <ann@home.example>';
const BOB = 'Bob <bob@example.com>';
const CY = 'Cy <cy@example.com>';

/**
 * The history the codebase tests work their expected values from (oldest first;
 * dates are UTC, so author dates and calendar dates agree):
 *
 * c1 2024-01-10 Ann      add src/a.ts (3 lines), src/b.ts (2 lines), logo.png (binary)
 * c2 2024-01-20 Bob      src/a.ts +1; src/b.ts +1 -1
 * c3 2024-02-05 Ann Lee  src/a.ts +2 -1   (Ann's home address; .mailmap merges it into Ann)
 * c4 2024-02-15 Bob      git mv src/b.ts src/lib/b.ts (pure rename)
 * c5 2024-03-01 Cy       src/lib/b.ts +1; logo.png changed (binary)
 * c6 2024-03-10 Cy       on branch feature: add src/c.ts (2 lines); src/a.ts +1
 * c7 2024-03-12 Ann      on main: add README.md (1 line)
 * c8 2024-03-15 Ann      merge feature into main (no file list of its own)
 * c9 2024-04-01 Bob      add gen/1.txt .. gen/4.txt (1 line each): four files in one commit
 */
export function buildCodebaseFixture(options: { mailmap: boolean } = { mailmap: true }): TestRepository {
  const repo = TestRepository.create({ prefix: 'sextant-codebase-' });
  if (options.mailmap) repo.mailmap('Ann <ann@work.example> <ann@home.example>\n');
  repo.commit({
    author: ANN,
    at: '2024-01-10T10:00:00Z',
    files: { 'src/a.ts': 'a1\n  a2\n\ta3\n', 'src/b.ts': 'b1\nb2\n', 'logo.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1]) },
  });
  repo.commit({ author: BOB, at: '2024-01-20T10:00:00Z', files: { 'src/a.ts': 'a1\n  a2\n\ta3\n    a4\n', 'src/b.ts': 'b1\nB2\n' } });
  repo.commit({ author: ANN_AT_HOME, at: '2024-02-05T10:00:00Z', files: { 'src/a.ts': 'a1\n  A2\n\ta3\n    a4\n      a5\n' } });
  repo.commit({ author: BOB, at: '2024-02-15T10:00:00Z', moves: [['src/b.ts', 'src/lib/b.ts']] });
  repo.commit({
    author: CY,
    at: '2024-03-01T10:00:00Z',
    files: { 'src/lib/b.ts': 'b1\nB2\nb3\n', 'logo.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 2]) },
  });
  repo.checkout('feature', { create: true });
  repo.commit({
    author: CY,
    at: '2024-03-10T10:00:00Z',
    files: { 'src/c.ts': 'c1\nc2\n', 'src/a.ts': 'a1\n  A2\n\ta3\n    a4\n      a5\n\t\ta6\n' },
  });
  repo.checkout('main');
  repo.commit({ author: ANN, at: '2024-03-12T10:00:00Z', files: { 'README.md': 'hello\n' } });
  repo.merge('feature', '2024-03-15T10:00:00Z', { author: ANN, message: 'merge feature' });
  repo.commit({
    author: BOB,
    at: '2024-04-01T10:00:00Z',
    files: { 'gen/1.txt': 'x\n', 'gen/2.txt': 'x\n', 'gen/3.txt': 'x\n', 'gen/4.txt': 'x\n' },
  });
  return repo;
}
