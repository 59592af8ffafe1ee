import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir } from './stores.js';

/**
 * Builds real git repositories for tests with the git CLI, with every author,
 * committer and tagger time given explicitly so expected values can be worked
 * out by hand. Times are ISO strings in UTC.
 */
export interface CommitSpec {
  message: string;
  /** Files to write (path -> content); default: one file named after the message. */
  files?: Record<string, string>;
  author?: string;
  /** Author time; the committer time defaults to it. */
  at: string;
  committedAt?: string;
}

export class TestRepository {
  readonly dir: string;

  private constructor(dir: string) {
    this.dir = dir;
  }

  static create(options: { branch?: string } = {}): TestRepository {
    const repo = new TestRepository(makeTempDir('sextant-git-'));
    repo.git(['init', '-q', '-b', options.branch ?? 'main']);
    repo.git(['config', 'user.name', 'Test Author']);
    repo.git(['config', 'user.email', 'author@example.com']);
    repo.git(['config', 'commit.gpgsign', 'false']);
    repo.git(['config', 'tag.gpgsign', 'false']);
    return repo;
  }

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
    const files = spec.files ?? { [`${slug(spec.message)}.txt`]: `${spec.message}\n` };
    for (const [file, content] of Object.entries(files)) {
      const full = path.join(this.dir, file);
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.writeFileSync(full, content);
      this.git(['add', '--', file]);
    }
    this.git(['commit', '-q', '--allow-empty', '-m', spec.message], this.dates(spec.at, spec.committedAt, spec.author));
    return this.head();
  }

  /** `git revert` of `sha` (message "Revert "..."" + "This reverts commit <sha>."). */
  revert(sha: string, at: string): string {
    this.git(['revert', '--no-edit', sha], this.dates(at));
    return this.head();
  }

  /** A merge commit of `branch` into the current branch (always a real merge, never fast-forward). */
  merge(branch: string, at: string, message = `Merge ${branch}`): string {
    this.git(['merge', '-q', '--no-ff', '-m', message, branch], this.dates(at));
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

  head(): string {
    return this.git(['rev-parse', 'HEAD']);
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private dates(at: string, committedAt = at, author?: string): Record<string, string> {
    const env: Record<string, string> = { GIT_AUTHOR_DATE: at, GIT_COMMITTER_DATE: committedAt };
    if (author) {
      const match = /^(.*) <(.*)>$/.exec(author);
      if (!match) throw new Error(`author must look like "Name <email>": ${author}`);
      env.GIT_AUTHOR_NAME = match[1] as string;
      env.GIT_AUTHOR_EMAIL = match[2] as string;
    }
    return env;
  }
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
