import { ageFold } from './age.js';
import { authorshipFold, fileAuthors } from './authorship.js';
import {
  absChurnFold,
  authorChurnFold,
  entityChurnFold,
  entityOwnershipFold,
  mainDevFold,
  type ChurnTotals,
  type MainDevRow,
} from './churn.js';
import type { FileComplexity } from './complexity.js';
import { CoChanges, couplingRows, sumOfCouplingRows } from './coupling.js';
import { decimal, toCsv, type CsvColumn, type CsvValue } from './csv.js';
import { fragmentationRows, mainDevByRevsRows, type MainDevByRevsRow } from './effort.js';
import { authorsRows, byName, EntityAuthorRevisions, revisionsFold, summaryFold } from './entities.js';
import { CODE_ONLY, defaultExclusionReason, keptOutside, TRUCK_FACTOR_SET, type ExclusionReason } from './exclusions.js';
import { pathSelector } from './history.js';
import { hotspotsFold } from './hotspots.js';
import { knowledgeRisk, type KnowledgeRiskResult } from './knowledge-risk.js';
import {
  mapFold,
  type AnalysisName,
  type AnalysisOptions,
  type Commit,
  type FieldNamer,
  type HistoryDetail,
  type HistoryFold,
} from './model.js';
import { truckFactor, type TruckFactorResult } from './truck-factor.js';

/**
 * The catalogue of analyses: what each needs from history (file names only,
 * or line counts), whether it needs the analysed commit's tree, how to fold
 * commits into its result, and its CSV (code-maat's columns where code-maat
 * has the analysis). Pure: reading git is run-analysis.ts's job.
 */
export interface AnalysisContext {
  options: AnalysisOptions;
  /**
   * Files of the analysed commit with their size; null when reading a log file
   * (no tree to look at). Read while history streams in, so it is available in
   * `result()` only.
   */
  tree: () => ReadonlyMap<string, { complexity: FileComplexity | null }> | null;
  /** Epoch milliseconds standing for "now" when --age-time-now is not given. */
  now: number;
  /** Folds several analyses of one run have in common, computed once (see `sharedFold`). */
  shared: Map<string, HistoryFold<unknown>>;
  /** How the caller names options in errors (model.ts); default: by key. */
  fieldOf?: FieldNamer;
}

/**
 * A fold several analyses of one run build on (co-changes for coupling and
 * soc, authorship for truck factor and knowledge risk): created once per run,
 * fed each commit once however many analyses hold it, its result computed once.
 */
function sharedFold<R>(context: AnalysisContext, key: string, create: () => HistoryFold<R>): HistoryFold<R> {
  let fold = context.shared.get(key) as HistoryFold<R> | undefined;
  if (fold === undefined) {
    const inner = create();
    let lastCommit: Commit | null = null;
    let result: { value: R } | null = null;
    fold = {
      add(commit) {
        if (commit === lastCommit) return;
        lastCommit = commit;
        inner.add(commit);
      },
      result: () => (result ??= { value: inner.result() }).value,
    };
    context.shared.set(key, fold as HistoryFold<unknown>);
  }
  return fold;
}

export interface AnalysisDefinition<R = unknown> {
  name: AnalysisName;
  summary: string;
  detail: HistoryDetail;
  /** none: history only; paths: the file list of the analysed commit; content: also each file's lines. */
  tree: 'none' | 'paths' | 'content';
  fold(context: AnalysisContext): HistoryFold<R>;
  csv(result: R): string;
}

function define<R>(definition: AnalysisDefinition<R>): AnalysisDefinition {
  return definition as unknown as AnalysisDefinition;
}

type ColumnSpec<Row> = [header: string, value: (row: Row) => CsvValue];

/** An analysis whose result is rows, printed with the given columns. */
function tabular<Row>(definition: Omit<AnalysisDefinition<Row[]>, 'csv'> & { columns: Array<ColumnSpec<Row>> }): AnalysisDefinition {
  const { columns, ...rest } = definition;
  const csvColumns: Array<CsvColumn<Row>> = columns.map(([header, value]) => ({ header, value }));
  return define<Row[]>({ ...rest, csv: (rows) => toCsv(csvColumns, rows) });
}

const entity: ColumnSpec<{ entity: string }> = ['entity', (row) => row.entity];
const churnColumns: Array<ColumnSpec<ChurnTotals>> = [
  ['added', (row) => row.added],
  ['deleted', (row) => row.deleted],
  ['commits', (row) => row.commits],
];
const ownershipColumns: Array<ColumnSpec<MainDevRow | MainDevByRevsRow>> = [
  entity,
  ['main-dev', (r) => r.mainDev],
  ['added', (r) => r.added],
  ['total-added', (r) => r.totalAdded],
  ['ownership', (r) => decimal(r.ownership)],
];

export interface TruckFactorReport extends TruckFactorResult {
  files: Array<{ path: string; authors: string[] }>;
  excluded: Array<{ path: string; reason: ExclusionReason }>;
}

export interface KnowledgeRiskReport extends KnowledgeRiskResult {
  excluded: Array<{ path: string; reason: ExclusionReason }>;
}

export const ANALYSES: Record<AnalysisName, AnalysisDefinition> = {
  revisions: tabular({
    name: 'revisions',
    summary: 'Change frequency: commits per file',
    detail: 'names',
    tree: 'none',
    fold: () => revisionsFold(),
    columns: [entity, ['n-revs', (r) => r.nRevs]],
  }),
  authors: tabular({
    name: 'authors',
    summary: 'Distinct authors and revisions per file',
    detail: 'names',
    tree: 'none',
    fold: (context) => mapFold(sharedRevisionsByAuthor(context), authorsRows),
    columns: [entity, ['n-authors', (r) => r.nAuthors], ['n-revs', (r) => r.nRevs]],
  }),
  'abs-churn': tabular({
    name: 'abs-churn',
    summary: 'Lines added and deleted per day',
    detail: 'lines',
    tree: 'none',
    fold: () => absChurnFold(),
    columns: [['date', (r) => r.date], ...churnColumns],
  }),
  'author-churn': tabular({
    name: 'author-churn',
    summary: 'Lines added and deleted per author',
    detail: 'lines',
    tree: 'none',
    fold: () => authorChurnFold(),
    columns: [['author', (r) => r.author], ...churnColumns],
  }),
  'entity-churn': tabular({
    name: 'entity-churn',
    summary: 'Lines added and deleted per file',
    detail: 'lines',
    tree: 'none',
    fold: () => entityChurnFold(),
    columns: [entity, ...churnColumns],
  }),
  'entity-ownership': tabular({
    name: 'entity-ownership',
    summary: 'Lines added and deleted per file and author',
    detail: 'lines',
    tree: 'none',
    fold: () => entityOwnershipFold(),
    columns: [entity, ['author', (r) => r.author], ['added', (r) => r.added], ['deleted', (r) => r.deleted]],
  }),
  'main-dev': tabular({
    name: 'main-dev',
    summary: 'Main developer of each file by lines added',
    detail: 'lines',
    tree: 'none',
    fold: () => mainDevFold(),
    columns: ownershipColumns,
  }),
  'main-dev-by-revs': tabular({
    name: 'main-dev-by-revs',
    summary: 'Main developer of each file by revisions',
    detail: 'names',
    tree: 'none',
    fold: (context) => mapFold(sharedRevisionsByAuthor(context), mainDevByRevsRows),
    columns: ownershipColumns,
  }),
  fragmentation: tabular({
    name: 'fragmentation',
    summary: 'Fractal value: how spread the revisions of a file are over its authors',
    detail: 'names',
    tree: 'none',
    fold: (context) => mapFold(sharedRevisionsByAuthor(context), fragmentationRows),
    columns: [entity, ['fractal-value', (r) => decimal(r.fractalValue)], ['total-revs', (r) => r.totalRevs]],
  }),
  age: tabular({
    name: 'age',
    summary: 'Months since each file last changed',
    detail: 'names',
    tree: 'paths',
    // Files of the analysed revision only (a deleted file has no age in the codebase); code only by default.
    fold: (context) =>
      mapFold(
        codeOnly(
          context,
          ageFold(
            context.options.ageTimeNow
              ? { now: context.options.ageTimeNow, includeNow: false }
              : { now: new Date(context.now).toISOString().slice(0, 10), includeNow: true },
          ),
        ),
        (rows) => {
          const tree = context.tree();
          return tree === null ? rows : rows.filter((row) => tree.has(row.entity));
        },
      ),
    columns: [entity, ['age-months', (r) => r.ageMonths]],
  }),
  coupling: tabular({
    name: 'coupling',
    summary: 'Logical coupling: files that change together',
    detail: 'names',
    tree: 'none',
    fold: (context) => {
      return mapFold(sharedCoChanges(context), (coChanges) => couplingRows(coChanges, context.options));
    },
    columns: [entity, ['coupled', (r) => r.coupled], ['degree', (r) => r.degree], ['average-revs', (r) => r.averageRevs]],
  }),
  soc: tabular({
    name: 'soc',
    summary: 'Sum of coupling: how often each file changes together with any other',
    detail: 'names',
    tree: 'none',
    fold: (context) => {
      return mapFold(sharedCoChanges(context), sumOfCouplingRows);
    },
    columns: [entity, ['soc', (r) => r.soc]],
  }),
  summary: tabular({
    name: 'summary',
    summary: 'Commits, files, file changes and authors analysed',
    detail: 'names',
    tree: 'none',
    fold: () => summaryFold(),
    columns: [
      ['statistic', (r) => r.statistic],
      ['value', (r) => r.value],
    ],
  }),
  hotspots: tabular({
    name: 'hotspots',
    summary: 'Hotspots: revisions x lines of code at the analysed commit, with indentation complexity',
    detail: 'names',
    tree: 'content',
    fold: (context) =>
      codeOnly(
        context,
        hotspotsFold(() => context.tree() ?? new Map(), context.options),
      ),
    columns: [
      entity,
      ['n-revs', (r) => r.nRevs],
      ['lines', (r) => r.lines],
      ['complexity-total', (r) => r.complexityTotal],
      ['complexity-mean', (r) => r.complexityMean],
      ['complexity-max', (r) => r.complexityMax],
      ['score', (r) => r.score],
    ],
  }),
  'truck-factor': define<TruckFactorReport>({
    name: 'truck-factor',
    summary: 'Truck factor (Avelino et al.): how many developers would have to leave before most files have no author',
    detail: 'names',
    tree: 'paths',
    fold(context) {
      const authorship = authorshipOfFiles(context);
      return {
        add: authorship.add,
        result() {
          const { authorsByFile, excluded } = authorship.result();
          return {
            ...truckFactor(authorsByFile),
            files: [...authorsByFile].map(([path, authors]) => ({ path, authors: [...authors] })).sort((a, b) => byName(a.path, b.path)),
            excluded,
          };
        },
      };
    },
    csv: (result) =>
      toCsv(
        [
          { header: 'developer', value: (d) => d.name },
          { header: 'authored-files', value: (d) => d.authoredFiles },
          { header: 'sole-files', value: (d) => d.soleFiles.length },
          { header: 'coverage-after', value: (d) => decimal(Math.round(d.coverageAfter * 100) / 100) },
        ],
        result.developers,
      ),
  }),
  'knowledge-risk': define<KnowledgeRiskReport>({
    name: 'knowledge-risk',
    summary: 'Files whose authors are all inactive, and what becomes orphaned if someone leaves (--without)',
    detail: 'names',
    tree: 'paths',
    fold(context) {
      const authorship = authorshipOfFiles(context);
      const { options } = context;
      return {
        add: authorship.add,
        result() {
          const { authorsByFile, lastActive, excluded } = authorship.result();
          // Inactivity is judged against the analysed revision, not today: its history ends at that
          // commit, so "now" is the newest commit seen (--age-time-now overrides). At an old revision
          // the maintainers of the day are active, as they were then.
          const newest = Math.max(...lastActive.values());
          const now = options.ageTimeNow ? Date.parse(`${options.ageTimeNow}T00:00:00Z`) : Number.isFinite(newest) ? newest : context.now;
          return { ...knowledgeRisk(authorsByFile, lastActive, { ...options, now, fieldOf: context.fieldOf }), excluded };
        },
      };
    },
    csv: (result) =>
      toCsv(
        [
          { header: 'entity', value: (f) => f.entity },
          { header: 'authors', value: (f) => f.authors.join(';') },
          { header: 'cause', value: (f) => f.cause },
        ],
        result.files,
      ),
  }),
};

/**
 * Authors (by DOA) of the files truck factor and knowledge risk look at: files
 * of the analysed commit (every changed entity when reading a log) with at
 * least one change in the analysed history, less the default exclusions,
 * which are returned as a list.
 */
/**
 * The fold fed only the changes to code (see exclusions.ts), when default
 * exclusions apply: commits that touch nothing else are skipped.
 */
function codeOnly<R>(context: AnalysisContext, fold: HistoryFold<R>): HistoryFold<R> {
  if (!context.options.defaultExcludes) return fold;
  const kept = keptOutside(CODE_ONLY);
  return {
    add(commit) {
      const changes = commit.changes.filter((change) => kept(change.entity));
      if (changes.length === 0) return;
      fold.add(changes.length === commit.changes.length ? commit : { ...commit, changes });
    },
    result: () => fold.result(),
  };
}

function sharedRevisionsByAuthor(context: AnalysisContext) {
  return sharedFold(context, 'entity-author-revisions', () => new EntityAuthorRevisions());
}

function sharedCoChanges(context: AnalysisContext): HistoryFold<CoChanges> {
  const size = context.options.maxChangesetSize;
  return sharedFold(context, `co-changes ${size}`, () => codeOnly(context, new CoChanges(size)));
}

function authorshipOfFiles(context: AnalysisContext) {
  return sharedFold(context, 'authorship', () => authorshipOfFilesFold(context));
}

function authorshipOfFilesFold(context: AnalysisContext): HistoryFold<{
  authorsByFile: Map<string, string[]>;
  lastActive: Map<string, number>;
  excluded: Array<{ path: string; reason: ExclusionReason }>;
}> {
  const { options } = context;
  // Entities recur in thousands of commits: match each against the exclusion globs once.
  const reasons = new Map<string, ExclusionReason | null>();
  const excludedReason = (path: string) => {
    if (!options.defaultExcludes) return null;
    let reason = reasons.get(path);
    if (reason === undefined) {
      const found = defaultExclusionReason(path);
      const left = found !== null && (TRUCK_FACTOR_SET.includes(found) || (found === 'documentation' && options.excludeDocumentation));
      reasons.set(path, (reason = left ? found : null));
    }
    return reason;
  };
  const fold = authorshipFold((entity) => excludedReason(entity) === null);
  return {
    add: fold.add,
    result() {
      const tree = context.tree();
      const { files, lastActive } = fold.result();
      const authorsByFile = new Map<string, string[]>();
      for (const [path, file] of files) if (tree === null || tree.has(path)) authorsByFile.set(path, fileAuthors(file));
      // With a tree, the excluded files are those of the tree; from a log, those seen in it.
      const selected = pathSelector(options);
      const candidates = tree !== null ? [...tree.keys()].filter(selected) : [...reasons.keys()];
      const excluded = candidates.flatMap((path) => {
        const reason = excludedReason(path);
        return reason === null ? [] : [{ path, reason }];
      });
      return { authorsByFile, lastActive, excluded: excluded.sort((a, b) => byName(a.path, b.path)) };
    },
  };
}
