import { z } from 'zod';
import type { FileChange, FileHistoryCommit } from '../sources/git/index.js';

/**
 * The codebase module's vocabulary. History flows in as commits, newest first
 * (git log order), each listing the files it changed; the analyses fold over
 * that stream. Names follow code-maat where code-maat has the concept
 * (entity, revision, author), so results compare column for column.
 */

/** How much of each change the analyses need: file names only (cheap) or line counts (`--numstat`). */
export type HistoryDetail = 'names' | 'lines';

/** One file in one commit, as the source reports it (before renames are followed). */
export type RawFileChange = FileChange;

/** One commit of file-level history: from git (sources/git), a git2 log file, or the store's cache. */
export type RawCommit = FileHistoryCommit;

/** One file in one commit after renames are followed: `entity` is the file's latest name. */
export interface Change {
  entity: string;
  added: number;
  deleted: number;
  binary: boolean;
}

/** A commit ready for analysis: the author merged across aliases, entities filtered and de-duplicated. */
export interface Commit {
  rev: string;
  time: number;
  date: string;
  author: string;
  changes: Change[];
}

/**
 * An analysis is a fold over commits: `add` sees every commit once (in any
 * order: the analyses compare times where order matters), `result` returns
 * the rows. Folding keeps memory bounded by the number of files, not commits.
 */
export interface HistoryFold<R> {
  add(commit: Commit): void;
  result(): R;
}

/** A fold whose result is transformed once at the end (counts into sorted rows). */
export function mapFold<A, B>(fold: HistoryFold<A>, map: (a: A) => B): HistoryFold<B> {
  return { add: (commit) => fold.add(commit), result: () => map(fold.result()) };
}

export const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * How a surface names an analysis option in its errors: the analyses name
 * options by key (`without[0]`); the HTTP API passes `(f) => \`query.${f}\``
 * so its problem names the query parameter. Errors are raised once, with the
 * right name, instead of being caught and re-labelled.
 */
export type FieldNamer = (option: string) => string;
export const optionKey: FieldNamer = (option) => option;

// --- Analyses and their options (shared by the CLI and the HTTP API) ---------

export const ANALYSIS_NAMES = [
  'revisions',
  'authors',
  'abs-churn',
  'author-churn',
  'entity-churn',
  'entity-ownership',
  'main-dev',
  'main-dev-by-revs',
  'fragmentation',
  'age',
  'coupling',
  'soc',
  'summary',
  'hotspots',
  'truck-factor',
  'knowledge-risk',
] as const;
export type AnalysisName = (typeof ANALYSIS_NAMES)[number];

/** Midnight UTC of a YYYY-MM-DD calendar date, or null when it is not one (2024-02-31). */
export function parseCalendarDate(text: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  const time = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(text) ? time : null;
}

export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine((text) => parseCalendarDate(text) !== null, 'is not a calendar date');

const count = (fallback: number) => z.coerce.number().int().min(0).default(fallback);

/** Every option an analysis takes; each analysis reads the ones it needs. Defaults are code-maat's where it has the option. */
export const analysisOptionsSchema = z.object({
  since: isoDate.optional().describe('Only commits authored on or after this date'),
  until: isoDate.optional().describe('Only commits authored on or before this date'),
  include: z.array(z.string().min(1)).default([]).describe('Globs: analyse only matching files (latest names)'),
  exclude: z.array(z.string().min(1)).default([]).describe('Globs: leave matching files out'),
  minRevs: count(5).describe('coupling: minimum average revisions of a pair'),
  minSharedRevs: count(5).describe('coupling: minimum shared revisions'),
  minCoupling: count(30).describe('coupling: minimum degree (%)'),
  maxCoupling: count(100).describe('coupling: maximum degree (%)'),
  maxChangesetSize: count(30).describe('coupling, soc: commits changing more files are ignored'),
  ageTimeNow: isoDate.optional().describe('age, knowledge-risk: the date counted as now (default: today)'),
  top: count(10).describe('hotspots: how many top hotspots get a monthly trend'),
  inactiveDays: count(180).describe('knowledge-risk: an author is inactive after this many days without a commit'),
  without: z.array(z.string().min(1)).default([]).describe('knowledge-risk: simulate these authors leaving'),
  depth: z.coerce.number().int().min(1).default(1).describe('knowledge-risk: folder depth of a module'),
  defaultExcludes: z
    .boolean()
    .default(true)
    .describe(
      'false keeps every file; by default every analysis reads code only (truck-factor and knowledge-risk keep documentation with excludeDocumentation false)',
    ),
  excludeDocumentation: z
    .boolean()
    .default(true)
    .describe('truck-factor, knowledge-risk: false keeps documentation (the paper leaves it out with other non-source files)'),
});
export type AnalysisOptions = z.infer<typeof analysisOptionsSchema>;
