/** Row shapes of the git tables (src/sources/git). */

export interface GitCommitRow {
  repository_id: string;
  sha: string;
  /** Parent shas separated by spaces, first parent first. */
  parents: string;
  author_name: string;
  author_email: string;
  author_time: number;
  committer_name: string;
  committer_email: string;
  committer_time: number;
  subject: string;
  reverts_sha: string | null;
  reverted_subject: string | null;
  fixes_sha: string | null;
  /** JSON array of touched paths; null when paths were not read. */
  paths: string | null;
  /** When changes were read: the author through .mailmap (`%aN`, `%aE`) and the author date in the author's zone (YYYY-MM-DD). */
  mailmap_name: string | null;
  mailmap_email: string | null;
  author_date: string | null;
  /** Generation number (generations.ts), the corrected commit date in epoch ms, where it differs from committer_time (clock skew); null where they are equal. */
  generation: number | null;
}

/** One file changed by one non-merge commit (git log -M --numstat). */
export interface GitChangeRow {
  repository_id: string;
  sha: string;
  /** Order of the file within its commit, as git lists it. */
  position: number;
  path: string;
  /** Set when the commit renamed the file from this path. */
  previous_path: string | null;
  added: number;
  deleted: number;
  /** 0/1 */
  is_binary: number;
}

export interface GitTagRow {
  repository_id: string;
  name: string;
  commit_sha: string;
  /** 0/1 */
  annotated: number;
  tagger_time: number | null;
}

export interface GitSyncStateRow {
  repository_id: string;
  /** JSON array of the commit shas the refs pointed at after the last sync. */
  tips: string;
  /** 0/1: whether paths were read (a service with path filters needs them). */
  with_paths: number;
  /** 0/1: whether per-file changes were read (git_changes and the mailmap/date columns are complete). */
  with_changes: number;
  synced_at: number;
}

export interface GitTables {
  git_commits: GitCommitRow;
  git_tags: GitTagRow;
  git_sync_state: GitSyncStateRow;
  git_changes: GitChangeRow;
}

// Adds these tables to the store's Database type (declaration merging): the
// store knows no module, each module declares its own tables.
declare module '../../store/database.js' {
  interface Database extends GitTables {}
}
