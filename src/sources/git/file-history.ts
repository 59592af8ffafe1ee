import { streamGit } from './git-process.js';
import type { FileChange, FileHistoryCommit } from './model.js';

/**
 * Reads file-level history of one revision from the git CLI as a stream: one
 * `git log` process whose output is parsed as it arrives, so memory holds one
 * chunk, not the log. This is what `sextant code --repo` analyses directly;
 * `sextant sync` reads the same changes through readCommits (withChanges).
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

/** names: `--name-status` (cheaper); lines: `--numstat` (line counts). */
export type FileDetail = 'names' | 'lines';

export interface FileHistoryOptions {
  repo: string;
  /** A commit hash, as returned by `resolveCommit`. */
  rev: string;
  /** Leave out this commit and its ancestors: read only what came after it. */
  after?: string | undefined;
  detail: FileDetail;
}

/** The diff options both readers of file changes use: renames followed, no external diff drivers or text conversion. */
export function changeArguments(detail: FileDetail): string[] {
  return ['--no-ext-diff', '--no-textconv', '-M', detail === 'lines' ? '--numstat' : '--name-status'];
}

export function fileHistoryArguments(options: FileHistoryOptions): string[] {
  return [
    'log',
    '--no-color',
    ...changeArguments(options.detail),
    '-z',
    `--format=${HEADER_FORMAT}`,
    '--end-of-options',
    options.rev,
    ...(options.after !== undefined ? [`^${options.after}`] : []),
    '--',
  ];
}

export async function* readFileHistory(options: FileHistoryOptions): AsyncGenerator<FileHistoryCommit> {
  const parser = new LogTokenParser(options.detail);
  let tail = '';
  for await (const chunk of streamGit(options.repo, fileHistoryArguments(options))) {
    const tokens = (tail + chunk).split('\0');
    tail = tokens.pop() as string;
    for (const token of tokens) parser.push(token);
    yield* parser.drain();
  }
  if (tail !== '') parser.push(tail);
  parser.end();
  yield* parser.drain();
}

/** The state machine over NUL-separated fields; completed commits wait in `ready`. */
class LogTokenParser {
  private ready: FileHistoryCommit[] = [];
  private current: FileHistoryCommit | null = null;
  private headerField = 0;
  private readonly changes: FileChangeParser;

  constructor(detail: FileDetail) {
    this.changes = new FileChangeParser(detail);
  }

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
    this.changes.push(token, commit.changes);
  }

  end(): void {
    this.finishCommit();
  }

  *drain(): Generator<FileHistoryCommit> {
    if (this.ready.length === 0) return;
    const batch = this.ready;
    this.ready = [];
    yield* batch;
  }

  private finishCommit(): void {
    if (this.current !== null) this.ready.push(this.current);
    this.current = null;
    this.changes.reset();
  }
}

/**
 * Turns the NUL-separated fields git prints after a commit's header with
 * `-z --name-status` or `-z --numstat` into file changes. A rename takes three
 * fields (`R100`, old, new; or `1\t0\t` with an empty path, old, new).
 */
export class FileChangeParser {
  /** Paths still expected for the pending change: 2 after a rename's status (or numstat with an empty path). */
  private pathsExpected = 0;
  private pending: { status: string; added: number; deleted: number; binary: boolean; paths: string[] } | null = null;

  constructor(private readonly detail: FileDetail) {}

  /** Call at each new commit: a change cut short by the end of a record is dropped. */
  reset(): void {
    this.pending = null;
  }

  push(token: string, into: FileChange[]): void {
    // The first field after the header carries the newline git prints between header and file list.
    const field = token.charCodeAt(0) === 10 ? token.slice(1) : token;
    if (this.pending !== null) {
      this.pending.paths.push(field);
      if (this.pending.paths.length === this.pathsExpected) this.finishChange(into);
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
      this.finishChange(into);
    }
  }

  private finishChange(into: FileChange[]): void {
    const pending = this.pending as NonNullable<typeof this.pending>;
    const renamed = pending.paths.length === 2;
    into.push({
      path: (renamed ? pending.paths[1] : pending.paths[0]) as string,
      // A copy (C) leaves the source in place: only a rename moves history.
      previousPath: renamed && pending.status === 'R' ? (pending.paths[0] as string) : null,
      added: pending.added,
      deleted: pending.deleted,
      binary: pending.binary,
    });
    this.pending = null;
  }
}
