import fs from 'node:fs';
import { ValidationError } from '../shared/errors.js';
import { runGit, startGit } from './git-process.js';
import type { HistoryDetail, RawCommit, RawFileChange } from './model.js';

/**
 * Reads file-level history from the git CLI as a stream: one `git log` process
 * whose output is parsed as it arrives, so memory holds one chunk, not the log.
 *
 * `-z` makes every path a NUL-terminated field (no quoting, no `{a => b}`
 * rename shorthand to undo). Each commit starts with \x01 and five header
 * fields; the author name and email go through .mailmap (`%aN`, `%aE`).
 * Merge commits print no file list (git's default), so they add no changes,
 * as in code-maat. Renames are detected with `-M`: `--name-status` prints
 * `R<score>` with both paths, `--numstat` an empty path followed by both.
 */
const HEADER_FORMAT = '%x01%H%x00%at%x00%as%x00%aN%x00%aE';
const HEADER_FIELDS = 5;

export interface GitHistoryOptions {
  repo: string;
  /** A commit hash, as returned by `resolveRevision`. */
  rev: string;
  /** Leave out this commit and its ancestors: read only what came after it. */
  after?: string | undefined;
  detail: HistoryDetail;
}

export function gitLogArgs(options: GitHistoryOptions): string[] {
  return [
    'log',
    '--no-color',
    '--no-ext-diff',
    '--no-textconv',
    '-M',
    options.detail === 'lines' ? '--numstat' : '--name-status',
    '-z',
    `--format=${HEADER_FORMAT}`,
    '--end-of-options',
    options.rev,
    ...(options.after !== undefined ? [`^${options.after}`] : []),
    '--',
  ];
}

export async function* readGitHistory(options: GitHistoryOptions): AsyncGenerator<RawCommit> {
  const git = startGit(options.repo, gitLogArgs(options));
  git.child.stdin.end();
  git.child.stdout.setEncoding('utf8');
  const parser = new LogTokenParser(options.detail);
  let tail = '';
  try {
    for await (const chunk of git.child.stdout as AsyncIterable<string>) {
      const tokens = (tail + chunk).split('\0');
      tail = tokens.pop() as string;
      for (const token of tokens) parser.push(token);
      yield* parser.drain();
    }
    if (tail !== '') parser.push(tail);
    parser.end();
    yield* parser.drain();
    await git.finished();
  } finally {
    git.stop();
  }
}

/** The state machine over NUL-separated fields; completed commits wait in `ready`. */
class LogTokenParser {
  private ready: RawCommit[] = [];
  private current: RawCommit | null = null;
  private headerField = 0;
  /** Paths still expected for the pending change: 2 after a rename's status (or numstat with an empty path). */
  private pathsExpected = 0;
  private pending: { status: string; added: number; deleted: number; binary: boolean; paths: string[] } | null = null;

  constructor(private readonly detail: HistoryDetail) {}

  push(token: string): void {
    if (token.charCodeAt(0) === 1) {
      this.finishCommit();
      this.current = { rev: token.slice(1), time: 0, date: '', authorName: '', authorEmail: '', changes: [] };
      this.headerField = 1;
      return;
    }
    const commit = this.current;
    if (commit === null) return;
    if (this.headerField < HEADER_FIELDS) {
      if (this.headerField === 1) commit.time = Number(token) * 1000;
      else if (this.headerField === 2) commit.date = token;
      else if (this.headerField === 3) commit.authorName = token;
      else commit.authorEmail = token;
      this.headerField++;
      return;
    }
    // The first field after the header carries the newline git prints between header and file list.
    const field = token.charCodeAt(0) === 10 ? token.slice(1) : token;
    if (this.pending !== null) {
      this.pending.paths.push(field);
      if (this.pending.paths.length === this.pathsExpected) this.finishChange(commit);
      return;
    }
    if (field === '') return;
    if (this.detail === 'names') {
      const status = field.charAt(0);
      this.pathsExpected = status === 'R' || status === 'C' ? 2 : 1;
      this.pending = { status, added: 0, deleted: 0, binary: false, paths: [] };
      return;
    }
    const firstTab = field.indexOf('\t');
    const secondTab = field.indexOf('\t', firstTab + 1);
    const addedText = field.slice(0, firstTab);
    const binary = addedText === '-';
    const path = field.slice(secondTab + 1);
    this.pending = {
      status: path === '' ? 'R' : 'M',
      added: binary ? 0 : Number(addedText),
      deleted: binary ? 0 : Number(field.slice(firstTab + 1, secondTab)),
      binary,
      paths: [],
    };
    if (path === '') {
      this.pathsExpected = 2;
    } else {
      this.pending.paths.push(path);
      this.pathsExpected = 1;
      this.finishChange(commit);
    }
  }

  end(): void {
    this.finishCommit();
  }

  *drain(): Generator<RawCommit> {
    if (this.ready.length === 0) return;
    const batch = this.ready;
    this.ready = [];
    yield* batch;
  }

  private finishChange(commit: RawCommit): void {
    const pending = this.pending as NonNullable<typeof this.pending>;
    const renamed = pending.paths.length === 2;
    const change: RawFileChange = {
      path: (renamed ? pending.paths[1] : pending.paths[0]) as string,
      // A copy (C) leaves the source in place: only a rename moves history.
      previousPath: renamed && pending.status === 'R' ? (pending.paths[0] as string) : null,
      added: pending.added,
      deleted: pending.deleted,
      binary: pending.binary,
    };
    commit.changes.push(change);
    this.pending = null;
  }

  private finishCommit(): void {
    if (this.current !== null) this.ready.push(this.current);
    this.current = null;
    this.pending = null;
  }
}

/**
 * Checks that `repo` is a git work tree or bare repository with history and
 * returns the commit `rev` names. Every failure is a ValidationError naming the
 * field, so the CLI prints one clear line instead of git's usage text.
 */
export async function resolveRevision(repo: string, rev = 'HEAD', field = 'repo'): Promise<string> {
  if (!fs.existsSync(repo)) throw invalid(field, `${repo} does not exist`);
  if (!fs.statSync(repo).isDirectory()) throw invalid(field, `${repo} is not a folder`);
  const inside = await runGit(repo, ['rev-parse', '--git-dir']);
  if (inside.code !== 0) throw invalid(field, `${repo} is not a git repository (no .git found here or in a parent folder)`);
  if (rev.startsWith('-')) throw invalid('rev', `"${rev}" is not a revision`);
  const resolved = await runGit(repo, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`]);
  if (resolved.code !== 0) {
    const head = await runGit(repo, ['rev-parse', '--verify', '--quiet', 'HEAD']);
    if (rev === 'HEAD' && head.code !== 0) throw invalid(field, `${repo} has no commits yet`);
    throw invalid('rev', `"${rev}" is not a commit in ${repo}`);
  }
  return resolved.stdout.trim();
}

function invalid(field: string, message: string): ValidationError {
  return new ValidationError(field === 'rev' ? 'Unknown revision' : 'Not a git repository', [{ field, message }]);
}

/** Whether `older` is `newer` or one of its ancestors (the history only grew). */
export async function isAncestor(repo: string, older: string, newer: string): Promise<boolean> {
  return (await runGit(repo, ['merge-base', '--is-ancestor', '--end-of-options', older, newer])).code === 0;
}

/** How many commits `git log rev ^after` lists (merges included). */
export async function countCommits(repo: string, rev: string, after?: string): Promise<number> {
  const result = await runGit(repo, ['rev-list', '--count', '--end-of-options', rev, ...(after !== undefined ? [`^${after}`] : [])]);
  if (result.code !== 0) throw new Error(result.stderr);
  return Number(result.stdout.trim());
}
