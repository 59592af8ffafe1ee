/** What Sextant reads from a git repository: commit metadata and tags, never file contents. */

export interface GitCommit {
  sha: string;
  /** Parent shas, first parent first; empty for a root commit, two or more for a merge. */
  parents: string[];
  authorName: string;
  authorEmail: string;
  /** Epoch milliseconds (git stores seconds). */
  authorTime: number;
  committerName: string;
  committerEmail: string;
  committerTime: number;
  subject: string;
  /** Trailers of the message (`Signed-off-by`, `Fixes`, `Co-authored-by`), as git parses them. */
  trailers: GitTrailer[];
  /** The sha in git's revert message `This reverts commit <sha>.`, when present. */
  revertsSha: string | null;
  /** For `Revert "<subject>"` messages: the reverted commit's subject. */
  revertedSubject: string | null;
  /** The sha (abbreviated as written) of the first `Fixes: <sha> ("...")` trailer. */
  fixesSha: string | null;
  /** Paths the commit touches (non-merge commits), when they were asked for; otherwise null. */
  paths: string[] | null;
  /** Per-file changes with renames and line counts (non-merge commits), when they were asked for; otherwise null. */
  changes: FileChange[] | null;
  /** With changes: the author as .mailmap names them (`%aN`, `%aE`) and the author date in the author's zone (`%as`). */
  mailmapName: string | null;
  mailmapEmail: string | null;
  authorDate: string | null;
}

/** One file in one commit, as git reports it (before renames are followed). */
export interface FileChange {
  path: string;
  /** The path before this commit when git detected a rename; null otherwise. */
  previousPath: string | null;
  /** Lines added and deleted; 0 for binary files (as code-maat counts them) and when only names were read. */
  added: number;
  deleted: number;
  binary: boolean;
}

/** A commit as file-level history sees it: who, when, and which files changed how. */
export interface FileHistoryCommit {
  rev: string;
  /** Author time, epoch milliseconds (UTC). Logs with only a date give midnight UTC of that date. */
  time: number;
  /** Author date in the author's own time zone, YYYY-MM-DD (what `--date=short` prints). */
  date: string;
  /** Through .mailmap (`%aN`, `%aE`). */
  authorName: string;
  authorEmail: string;
  changes: FileChange[];
}

/** How much of each commit a read returns: metadata only, the paths it touches, or per-file changes (renames, line counts). */
export type ReadDetail = 'commits' | 'paths' | 'changes';

/** What walking history needs of a commit (no identities, no trailers). */
export type CommitHistory = Pick<
  GitCommit,
  'sha' | 'parents' | 'authorTime' | 'committerTime' | 'subject' | 'revertsSha' | 'revertedSubject' | 'fixesSha' | 'paths'
>;

export interface GitTrailer {
  key: string;
  value: string;
}

export interface GitTag {
  name: string;
  /** The commit the tag points at after peeling annotated tags; null for tags of trees or blobs. */
  commitSha: string | null;
  annotated: boolean;
  /** Tagger time of an annotated tag (epoch ms); null for lightweight tags. */
  taggerTime: number | null;
}

export function isMerge(commit: Pick<GitCommit, 'parents'>): boolean {
  return commit.parents.length > 1;
}
