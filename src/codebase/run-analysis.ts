import path from 'node:path';
import { ValidationError } from '../shared/errors.js';
import { ANALYSES } from './analyses.js';
import { readFileHistory, resolveCommit } from '../sources/git/index.js';
import { readGit2Log } from './git2-log.js';
import { readHeadFiles, type HeadFile } from './head-files.js';
import { createHistoryNormaliser, foldHistory } from './history.js';
import type { AnalysisName, AnalysisOptions, FieldNamer, HistoryDetail, RawCommit } from './model.js';

/**
 * Where history comes from: a repository (read with git), a code-maat git2
 * log file, or history prepared elsewhere (the store's cache).
 */
export type HistorySource =
  | { kind: 'repo'; repo: string; rev?: string | undefined }
  | { kind: 'log'; file: string }
  | {
      kind: 'prepared';
      rev: string;
      /** Commits newest first. */
      history: () => AsyncIterable<RawCommit>;
      tree: () => Promise<ReadonlyMap<string, HeadFile>>;
    };

export interface AnalysisDeps {
  /** The merged identity behind a commit author (workspace people); default: the mailmapped name. */
  resolveAuthor?: (name: string, email: string) => string;
  /** Epoch milliseconds standing for now; default Date.now(). */
  now?: number;
  /** How the caller names options in errors; default: by key. */
  fieldOf?: FieldNamer;
}

export interface AnalysisRun {
  /** The analysed commit; null for a log file. */
  rev: string | null;
  /** Commits that changed at least one selected file. */
  commits: number;
  results: Map<AnalysisName, unknown>;
}

/**
 * Runs several analyses over one pass of history: `git log` once, with line
 * counts only when one of them needs them (`--numstat` costs several times
 * `--name-status`), and the analysed commit's tree only when one of them
 * looks at the files there.
 */
export async function runAnalyses(
  names: readonly AnalysisName[],
  source: HistorySource,
  options: AnalysisOptions,
  deps: AnalysisDeps = {},
): Promise<AnalysisRun> {
  const definitions = names.map((name) => ANALYSES[name]);
  const detail: HistoryDetail = definitions.some((d) => d.detail === 'lines') ? 'lines' : 'names';
  const treeNeed = definitions.some((d) => d.tree === 'content')
    ? 'content'
    : definitions.some((d) => d.tree === 'paths')
      ? 'paths'
      : 'none';

  // The tree (ls-tree, and cat-file for sizes) is read while history streams in: the folds need it only for their results.
  let rev: string | null = null;
  let treeRead: Promise<ReadonlyMap<string, HeadFile> | null> = Promise.resolve(null);
  let history: AsyncIterable<RawCommit>;
  if (source.kind === 'repo') {
    const resolved = await resolveCommit(source.repo, source.rev ?? 'HEAD');
    rev = resolved;
    if (treeNeed !== 'none') treeRead = readHeadFiles(source.repo, resolved, { withContent: treeNeed === 'content' });
    history = readFileHistory({ repo: path.resolve(source.repo), rev: resolved, detail });
  } else if (source.kind === 'prepared') {
    rev = source.rev;
    if (treeNeed !== 'none') treeRead = source.tree();
    history = source.history();
  } else {
    if (treeNeed === 'content') {
      throw new ValidationError('A log file has no file contents', [
        { field: 'log', message: 'hotspots measure the files of a commit: use --repo PATH instead of --log' },
      ]);
    }
    history = readGit2Log(source.file);
  }
  // Awaited below; until then a failure must not count as unhandled.
  treeRead.catch(() => undefined);

  let tree: ReadonlyMap<string, HeadFile> | null = null;
  const context = { options, tree: () => tree, now: deps.now ?? Date.now(), shared: new Map(), fieldOf: deps.fieldOf };
  const folds = definitions.map((d) => d.fold(context));
  const normalise = createHistoryNormaliser({ ...options, resolveAuthor: deps.resolveAuthor });
  const commits = await foldHistory(history, normalise, folds);
  tree = await treeRead;
  return { rev, commits, results: new Map(names.map((name, i) => [name, folds[i]?.result()])) };
}

export async function runAnalysis(name: AnalysisName, source: HistorySource, options: AnalysisOptions, deps: AnalysisDeps = {}) {
  const run = await runAnalyses([name], source, options, deps);
  return { rev: run.rev, commits: run.commits, result: run.results.get(name) };
}
