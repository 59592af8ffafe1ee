import { silentProgress, type Progress } from '../../shared/progress.js';
import { changeArguments, FileChangeParser } from './file-history.js';
import { spoolGit, streamGit } from './git-process.js';
import type { FileChange, GitCommit, GitTrailer, ReadDetail } from './model.js';

export interface ReadCommitsOptions {
  /** Revisions to start from (shas, refs). Empty reads nothing. */
  include: readonly string[];
  /** Revisions whose history is already known: their ancestors are not read (incremental reads). */
  exclude?: readonly string[];
  /** Also read the paths each non-merge commit touches (for monorepo path filters). Costs a tree diff per commit. */
  withPaths?: boolean;
  /**
   * Also read per-file changes with renames (`-M`) and line counts (`--numstat`), the mailmapped author
   * and the author's calendar date: what file-level history (the codebase module) needs. Implies paths.
   */
  withChanges?: boolean;
  /** Let git write to a temporary file at full speed while the consumer works (see spoolGit); for ingestion into a store. */
  spool?: boolean;
  progress?: Progress;
}

// One record per commit, fields separated by NUL (-z), which cannot occur in
// any field. The record starts with an ASCII record separator so the parser
// knows where a commit begins even when --name-only appends file names.
const RECORD_START = '\u001e';
const COMMIT_FIELDS = ['%H', '%P', '%an', '%ae', '%at', '%cn', '%ce', '%ct', '%s', '%b', '%(trailers:only,unfold)'];
const CHANGE_FIELDS = ['%aN', '%aE', '%as'];
const PROGRESS_EVERY = 2000;

export function gitLogArguments(options: Pick<ReadCommitsOptions, 'withPaths' | 'withChanges'>): string[] {
  const fields = options.withChanges ? [...COMMIT_FIELDS, ...CHANGE_FIELDS] : COMMIT_FIELDS;
  return [
    'log',
    '--stdin',
    '-z',
    '--no-color',
    '--no-show-signature',
    `--format=${RECORD_START}${fields.join('%x00')}`,
    ...(options.withChanges ? changeArguments('lines') : options.withPaths ? ['--name-only', '--no-renames'] : []),
  ];
}

/**
 * Streams the commits reachable from `include` and not from `exclude`, by
 * running `git log` once. Works on bare repositories and blobless partial
 * clones (only commits and trees are read, never blobs).
 */
export async function* readCommits(repoPath: string, options: ReadCommitsOptions): AsyncGenerator<GitCommit> {
  for await (const batch of readCommitBatches(repoPath, options)) yield* batch;
}

/** readCommits in the batches the parser produces (one per chunk of output): cheaper for bulk consumers. */
export async function* readCommitBatches(repoPath: string, options: ReadCommitsOptions): AsyncGenerator<GitCommit[]> {
  if (options.include.length === 0) return;
  const progress = options.progress ?? silentProgress;
  // Revisions go through stdin: a repository can have thousands of tags, more than a command line holds.
  const stdin = [...options.include, ...(options.exclude ?? []).map((rev) => `^${rev}`)].join('\n') + '\n';
  const parser = new CommitRecordParser(options.withChanges ? 'changes' : options.withPaths ? 'paths' : 'commits');
  const run = options.spool ? spoolGit : streamGit;
  let count = 0;
  let reported = 0;
  for await (const chunk of run(repoPath, gitLogArguments(options), stdin)) {
    const batch = parser.push(chunk);
    if (batch.length === 0) continue;
    count += batch.length;
    yield batch;
    if (count - reported >= PROGRESS_EVERY) {
      progress.update(count);
      reported = count;
    }
  }
  const last = parser.end();
  count += last.length;
  if (last.length > 0) yield last;
  progress.update(count);
}

/** Turns `git log -z` output, fed in arbitrary chunks, into commits. */
export class CommitRecordParser {
  private pending = '';
  private fields: string[] = [];
  private paths: string[] = [];
  private changes: FileChange[] = [];
  private readonly fieldCount: number;
  private readonly changeParser: FileChangeParser | null;

  constructor(private readonly detail: ReadDetail) {
    this.fieldCount = COMMIT_FIELDS.length + (detail === 'changes' ? CHANGE_FIELDS.length : 0);
    this.changeParser = detail === 'changes' ? new FileChangeParser('lines') : null;
  }

  push(chunk: string): GitCommit[] {
    const tokens = (this.pending + chunk).split('\0');
    this.pending = tokens.pop() ?? '';
    return this.consume(tokens);
  }

  end(): GitCommit[] {
    const out = this.consume(this.pending === '' ? [] : [this.pending]);
    this.pending = '';
    if (this.fields.length > 0) out.push(this.build());
    this.fields = [];
    return out;
  }

  private consume(tokens: string[]): GitCommit[] {
    const out: GitCommit[] = [];
    for (const token of tokens) {
      if (token.startsWith(RECORD_START)) {
        if (this.fields.length > 0) out.push(this.build());
        this.fields = [token.slice(1)];
        this.paths = [];
        this.changes = [];
        this.changeParser?.reset();
      } else if (this.fields.length < this.fieldCount) {
        this.fields.push(token);
      } else if (this.changeParser !== null) {
        this.changeParser.push(token, this.changes);
      } else {
        // After the format, --name-only prints a newline and then one NUL-terminated path per file.
        const file = token.startsWith('\n') ? token.slice(1) : token;
        if (file !== '') this.paths.push(file);
      }
    }
    return out;
  }

  private build(): GitCommit {
    const f = this.fields;
    if (f.length < this.fieldCount) throw new Error(`unexpected git log output: a record with ${f.length} fields`);
    const [sha, parents, an, ae, at, cn, ce, ct, subject, body, trailerText, mailmapName, mailmapEmail, authorDate] = f as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const trailers = parseTrailers(trailerText);
    const isMerge = parents.includes(' ');
    const withChanges = this.detail === 'changes';
    const changes = withChanges ? (isMerge ? [] : this.changes) : null;
    return {
      sha,
      parents: parents === '' ? [] : parents.split(' '),
      authorName: an,
      authorEmail: ae,
      authorTime: Number(at) * 1000,
      committerName: cn,
      committerEmail: ce,
      committerTime: Number(ct) * 1000,
      subject,
      trailers,
      revertsSha: REVERTS_SHA.exec(body)?.[1] ?? null,
      revertedSubject: REVERT_SUBJECT.exec(subject)?.[1] ?? null,
      fixesSha: fixesShaOf(trailers),
      paths: changes !== null ? pathsOf(changes) : this.detail === 'paths' ? (isMerge ? [] : this.paths) : null,
      changes,
      mailmapName: withChanges ? (mailmapName as string) : null,
      mailmapEmail: withChanges ? (mailmapEmail as string) : null,
      authorDate: withChanges ? (authorDate as string) : null,
    };
  }
}

/** The paths a commit touches: both names of a rename, as `--name-only --no-renames` lists them. */
function pathsOf(changes: readonly FileChange[]): string[] {
  const paths = new Set<string>();
  for (const change of changes) {
    if (change.previousPath !== null) paths.add(change.previousPath);
    paths.add(change.path);
  }
  return [...paths];
}

// git revert writes "This reverts commit <full sha>." (and for merges ", reversing changes made to ...").
const REVERTS_SHA = /This reverts commit ([0-9a-f]{7,40})\b/;
const REVERT_SUBJECT = /^Revert "(.+)"$/;
const TRAILER_LINE = /^([A-Za-z0-9][A-Za-z0-9-]*):\s*(.*)$/;
const FIXES_VALUE = /^([0-9a-f]{7,40})\b/;

function parseTrailers(text: string): GitTrailer[] {
  const trailers: GitTrailer[] = [];
  for (const line of text.split('\n')) {
    const match = TRAILER_LINE.exec(line);
    if (match) trailers.push({ key: match[1] as string, value: (match[2] as string).trim() });
  }
  return trailers;
}

/** The Linux kernel convention `Fixes: <12+ hex> ("subject")` names the commit a change repairs. */
function fixesShaOf(trailers: GitTrailer[]): string | null {
  for (const trailer of trailers) {
    if (trailer.key.toLowerCase() !== 'fixes') continue;
    const match = FIXES_VALUE.exec(trailer.value);
    if (match) return match[1] as string;
  }
  return null;
}
