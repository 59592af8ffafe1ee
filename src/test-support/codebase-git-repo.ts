import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Real git repositories with chosen histories, for tests: each commit sets its
 * author, email and date explicitly (committer too, so `git log` order is the
 * order written), and files are written, deleted or moved through the git CLI.
 */
export interface CommitSpec {
  author: string;
  email: string;
  /** ISO instant, e.g. 2024-01-10T10:00:00Z */
  date: string;
  /** Contents to write (string or bytes); null deletes the file. */
  files?: Record<string, string | Uint8Array | null>;
  /** `git mv` before writing files. */
  moves?: Array<[from: string, to: string]>;
  message?: string;
}

export class TestGitRepo {
  private constructor(readonly dir: string) {}

  static create(prefix = 'sextant-codebase-'): TestGitRepo {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    const repo = new TestGitRepo(dir);
    repo.git('init', '--quiet', '--initial-branch=main');
    repo.git('config', 'user.name', 'Fixture');
    repo.git('config', 'user.email', 'fixture@example.com');
    repo.git('config', 'commit.gpgsign', 'false');
    return repo;
  }

  git(...args: string[]): string {
    return execFileSync('git', ['-C', this.dir, ...args], { encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } });
  }

  commit(spec: CommitSpec): string {
    for (const [from, to] of spec.moves ?? []) {
      fs.mkdirSync(path.dirname(path.join(this.dir, to)), { recursive: true });
      this.git('mv', from, to);
    }
    for (const [file, content] of Object.entries(spec.files ?? {})) {
      const full = path.join(this.dir, file);
      if (content === null) {
        this.git('rm', '--quiet', file);
        continue;
      }
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.writeFileSync(full, content);
      this.git('add', file);
    }
    this.withDate(spec, ['commit', '--quiet', '--allow-empty', '-m', spec.message ?? `change by ${spec.author}`]);
    return this.head();
  }

  /** A merge commit (no fast-forward) of `branch` into the current branch. */
  merge(branch: string, spec: Omit<CommitSpec, 'files' | 'moves'>): string {
    this.withDate(spec, ['merge', '--quiet', '--no-ff', '-m', spec.message ?? `merge ${branch}`, branch]);
    return this.head();
  }

  head(): string {
    return this.git('rev-parse', 'HEAD').trim();
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private withDate(spec: Omit<CommitSpec, 'files' | 'moves'>, args: string[]): void {
    execFileSync('git', ['-C', this.dir, ...args], {
      env: {
        ...process.env,
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_AUTHOR_NAME: spec.author,
        GIT_AUTHOR_EMAIL: spec.email,
        GIT_AUTHOR_DATE: spec.date,
        GIT_COMMITTER_NAME: spec.author,
        GIT_COMMITTER_EMAIL: spec.email,
        GIT_COMMITTER_DATE: spec.date,
      },
    });
  }
}

const ANN = { author: 'Ann', email: 'ann@work.example' };
const ANN_AT_HOME = { author: 'Ann Lee', email: 'ann@home.example' };
const BOB = { author: 'Bob', email: 'bob@example.com' };
const CY = { author: 'Cy', email: 'cy@example.com' };

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
 *
 * The mailmap lives outside the tree (`mailmap.file` in .git/) so it is not
 * itself a file of the history.
 */
export function buildCodebaseFixture(options: { mailmap: boolean } = { mailmap: true }): TestGitRepo {
  const repo = TestGitRepo.create();
  if (options.mailmap) fs.writeFileSync(path.join(repo.dir, '.git', 'info', 'mailmap'), 'Ann <ann@work.example> <ann@home.example>\n');
  if (options.mailmap) repo.git('config', 'mailmap.file', path.join(repo.dir, '.git', 'info', 'mailmap'));
  repo.commit({
    ...ANN,
    date: '2024-01-10T10:00:00Z',
    files: { 'src/a.ts': 'a1\n  a2\n\ta3\n', 'src/b.ts': 'b1\nb2\n', 'logo.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1]) },
  });
  repo.commit({ ...BOB, date: '2024-01-20T10:00:00Z', files: { 'src/a.ts': 'a1\n  a2\n\ta3\n    a4\n', 'src/b.ts': 'b1\nB2\n' } });
  repo.commit({ ...ANN_AT_HOME, date: '2024-02-05T10:00:00Z', files: { 'src/a.ts': 'a1\n  A2\n\ta3\n    a4\n      a5\n' } });
  repo.commit({ ...BOB, date: '2024-02-15T10:00:00Z', moves: [['src/b.ts', 'src/lib/b.ts']] });
  repo.commit({
    ...CY,
    date: '2024-03-01T10:00:00Z',
    files: { 'src/lib/b.ts': 'b1\nB2\nb3\n', 'logo.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 2]) },
  });
  repo.git('checkout', '--quiet', '-b', 'feature');
  repo.commit({
    ...CY,
    date: '2024-03-10T10:00:00Z',
    files: { 'src/c.ts': 'c1\nc2\n', 'src/a.ts': 'a1\n  A2\n\ta3\n    a4\n      a5\n\t\ta6\n' },
  });
  repo.git('checkout', '--quiet', 'main');
  repo.commit({ ...ANN, date: '2024-03-12T10:00:00Z', files: { 'README.md': 'hello\n' } });
  repo.merge('feature', { ...ANN, date: '2024-03-15T10:00:00Z' });
  repo.commit({
    ...BOB,
    date: '2024-04-01T10:00:00Z',
    files: { 'gen/1.txt': 'x\n', 'gen/2.txt': 'x\n', 'gen/3.txt': 'x\n', 'gen/4.txt': 'x\n' },
  });
  return repo;
}
