/** Row shapes of the codebase module's history cache. Only src/codebase/store.ts sees these. */

export interface CodebaseHistoryRow {
  repository_id: string;
  /** The commit the cached history ends at. */
  head: string;
  /** Commits stored (those that changed at least one file). */
  commits: number;
  /** The seq the next newer commit gets. */
  next_seq: number;
  analysed_at: number;
}

/** A commit the cached history's walk covered. */
export interface CodebaseWalkedRow {
  repository_id: string;
  sha: string;
}

export interface CodebaseCommitRow {
  repository_id: string;
  /** Position in history, larger = newer. */
  seq: number;
  rev: string;
  /** Author time, epoch milliseconds. */
  time: number;
  /** Author date in the author's zone, YYYY-MM-DD. */
  date: string;
  author_name: string;
  author_email: string;
}

export interface CodebaseChangeRow {
  repository_id: string;
  seq: number;
  /** Order of the file within its commit. */
  position: number;
  /** The path at that commit. */
  path: string;
  /** Set when the commit renamed the file from this path. */
  previous_path: string | null;
  added: number;
  deleted: number;
  /** 0/1 */
  is_binary: number;
}

export interface CodebaseFileRow {
  repository_id: string;
  path: string;
  blob: string;
  /** 0/1 */
  is_binary: number;
  /** Non-blank lines (0 for binary files). */
  lines: number;
  /** Sum and maximum of the lines' leading indentation in quarter levels (1 space = 1, 1 tab = 4). */
  indent_quarters: number;
  max_indent_quarters: number;
}

export interface CodebaseResultRow {
  repository_id: string;
  analysis: string;
  /** Canonical JSON of the options (and identity fingerprint) the result was computed with. */
  options_key: string;
  head: string;
  commits: number;
  /** The result as JSON. */
  result: string;
  computed_at: number;
}

export interface CodebaseTables {
  codebase_histories: CodebaseHistoryRow;
  codebase_walked: CodebaseWalkedRow;
  codebase_commits: CodebaseCommitRow;
  codebase_changes: CodebaseChangeRow;
  codebase_files: CodebaseFileRow;
  codebase_results: CodebaseResultRow;
}

// Adds these tables to the store's Database type (declaration merging): the
// store knows no module, each module declares its own tables.
declare module '../store/database.js' {
  interface Database extends CodebaseTables {}
}
