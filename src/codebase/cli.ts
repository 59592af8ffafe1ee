import fs from 'node:fs';
import type { Command } from 'commander';
import type { CliContext } from '../kit/cli/context.js';
import { formatTable, printJson } from '../kit/cli/output.js';
import { runAction } from '../kit/cli/run-action.js';
import { loadOrg, orgFromWorkspaceConfig, type Person } from '../org/index.js';
import { ValidationError, type FieldIssue } from '../shared/errors.js';
import { ANALYSES, type KnowledgeRiskReport, type TruckFactorReport } from './analyses.js';
import { analyseCachedHistory, refreshWorkspaceRepository } from './history-cache.js';
import { authorResolver } from './history.js';
import { ANALYSIS_NAMES, analysisOptionsSchema, type AnalysisName, type AnalysisOptions } from './model.js';
import { runAnalysis, type HistorySource } from './run-analysis.js';

interface CodeFlags {
  repo?: string;
  repository?: string;
  log?: string;
  rev?: string;
  since?: string;
  until?: string;
  include: string[];
  exclude: string[];
  csv?: boolean;
  json?: boolean;
  minRevs?: string;
  minSharedRevs?: string;
  minCoupling?: string;
  maxCoupling?: string;
  maxChangesetSize?: string;
  ageTimeNow?: string;
  top?: string;
  inactiveDays?: string;
  without: string[];
  depth?: string;
  defaultExcludes?: boolean;
  keepDocs?: boolean;
}

/** CLI flag of each option, for error messages that name what the user typed. */
const FLAG_OF: Record<string, string> = {
  since: '--since',
  until: '--until',
  minRevs: '--min-revs',
  minSharedRevs: '--min-shared-revs',
  minCoupling: '--min-coupling',
  maxCoupling: '--max-coupling',
  maxChangesetSize: '--max-changeset-size',
  ageTimeNow: '--age-time-now',
  top: '--top',
  inactiveDays: '--inactive-days',
  depth: '--depth',
  without: '--without',
};

/** Analyses that print a written report by default (code-maat has no CSV for them to match). */
const REPORTED: ReadonlySet<AnalysisName> = new Set(['truck-factor', 'knowledge-risk']);

const collect = (value: string, previous: string[]) => [...previous, value];

/**
 * `sextant code ANALYSIS --repo PATH | --log FILE`: one subcommand per analysis,
 * code-maat's option names for its thresholds, CSV in code-maat's columns by
 * default (so existing scripts and spreadsheets keep working), `--json` for
 * machines.
 */
export function registerCodebaseCommands(program: Command, ctx: CliContext): void {
  const code = program
    .command('code')
    .description('Code health from git history: hotspots, coupling, churn, ownership, code age, truck factor, knowledge risk');
  for (const name of ANALYSIS_NAMES) {
    const command = code
      .command(name)
      .description(ANALYSES[name].summary)
      .option('--repo <path>', 'git repository to analyse (default: the current folder)')
      .option('--repository <id>', 'a workspace repository: analyse its history cache, reading only commits added since the last run')
      .option('--log <file>', "a code-maat git2 log (git log --all --numstat --date=short --pretty=format:'--%h--%ad--%aN' --no-renames)")
      .option('--rev <rev>', 'analyse history up to this commit (default: HEAD)')
      .option('--since <date>', 'only commits authored on or after YYYY-MM-DD')
      .option('--until <date>', 'only commits authored on or before YYYY-MM-DD')
      .option('--include <glob>', 'analyse only files matching the glob (repeatable)', collect, [])
      .option('--exclude <glob>', 'leave out files matching the glob (repeatable)', collect, [])
      .option('--csv', 'print CSV with code-maat column names')
      .option('--json', 'print JSON');
    if (name === 'coupling') {
      command
        .option('--min-revs <n>', 'minimum average revisions of a coupled pair', '5')
        .option('--min-shared-revs <n>', 'minimum shared revisions of a coupled pair', '5')
        .option('--min-coupling <percent>', 'minimum degree of coupling', '30')
        .option('--max-coupling <percent>', 'maximum degree of coupling', '100');
    }
    if (name === 'coupling' || name === 'soc') {
      command.option('--max-changeset-size <n>', 'ignore commits changing more files than this', '30');
    }
    if (name === 'age' || name === 'knowledge-risk') command.option('--age-time-now <date>', 'the date counted as now, YYYY-MM-DD');
    if (name === 'hotspots') command.option('--top <n>', 'how many top hotspots get a monthly trend', '10');
    if (name === 'knowledge-risk') {
      command
        .option('--inactive-days <n>', 'an author is inactive after this many days without a commit', '180')
        .option('--without <name>', 'simulate this author leaving (repeatable)', collect, [])
        .option('--depth <n>', 'folder depth of a module', '1');
    }
    if (name === 'truck-factor' || name === 'knowledge-risk') {
      command
        .option(
          '--no-default-excludes',
          'keep vendored, generated, lockfile, documentation and binary files (code only by default, as in Avelino et al.)',
        )
        .option('--keep-docs', 'keep documentation files (left out by default, as in Avelino et al.)');
    }
    if (CODE_ONLY_ANALYSES.has(name)) {
      command.option('--no-default-excludes', 'keep vendored, generated, lockfile, documentation and binary files (code only by default)');
    }
    command.action(
      runAction(ctx.out, async (flags: CodeFlags, cmd: Command) => {
        const options = parseOptions(flags);
        const result =
          flags.repository !== undefined
            ? await analyseWorkspaceRepository(ctx, cmd, name, flags, options)
            : (await runAnalysis(name, historySource(flags), options, { resolveAuthor: authorResolver(await workspacePeople(ctx, cmd)) }))
                .result;
        if (flags.json) return printJson(ctx.out, result);
        if (REPORTED.has(name) && !flags.csv) {
          ctx.out.stdout.write(
            name === 'truck-factor'
              ? truckFactorText(result as TruckFactorReport, options)
              : knowledgeRiskText(result as KnowledgeRiskReport),
          );
          return;
        }
        if (CODE_ONLY_ANALYSES.has(name)) {
          // The file set, stated where a reader of the CSV sees it without spoiling the CSV itself.
          ctx.out.stderr.write(
            options.defaultExcludes
              ? `${name}: code only; vendored, generated, lockfile, documentation and binary files are left out (--no-default-excludes keeps them)\n`
              : `${name}: every file (--no-default-excludes)\n`,
          );
        }
        ctx.out.stdout.write(ANALYSES[name].csv(result));
      }),
    );
  }
}

function historySource(flags: CodeFlags): HistorySource {
  if (flags.repo !== undefined && flags.log !== undefined) {
    throw new ValidationError('Choose one source', [{ field: '--log', message: 'give either --repo or --log, not both' }]);
  }
  if (flags.log !== undefined) {
    if (flags.rev !== undefined) throw new ValidationError('Invalid option', [{ field: '--rev', message: 'applies to --repo only' }]);
    return { kind: 'log', file: flags.log };
  }
  return { kind: 'repo', repo: flags.repo ?? '.', rev: flags.rev };
}

function parseOptions(flags: CodeFlags): AnalysisOptions {
  const parsed = analysisOptionsSchema.safeParse({
    since: flags.since,
    until: flags.until,
    include: flags.include,
    exclude: flags.exclude,
    minRevs: flags.minRevs,
    minSharedRevs: flags.minSharedRevs,
    minCoupling: flags.minCoupling,
    maxCoupling: flags.maxCoupling,
    maxChangesetSize: flags.maxChangesetSize,
    ageTimeNow: flags.ageTimeNow,
    top: flags.top,
    inactiveDays: flags.inactiveDays,
    without: flags.without,
    depth: flags.depth,
    defaultExcludes: flags.defaultExcludes,
    excludeDocumentation: !flags.keepDocs,
  });
  if (parsed.success) return parsed.data;
  const issues: FieldIssue[] = parsed.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '');
    return { field: FLAG_OF[key] ?? key, message: issue.message };
  });
  throw new ValidationError(`Invalid ${issues.length === 1 ? 'option' : 'options'}`, issues);
}

/**
 * `--repository ID`: the workspace's history cache, brought up to date first
 * (only new commits are read), with results reused when nothing changed.
 */
async function analyseWorkspaceRepository(
  ctx: CliContext,
  command: Command,
  name: AnalysisName,
  flags: CodeFlags,
  options: AnalysisOptions,
) {
  const clash = (['repo', 'log', 'rev'] as const).find((flag) => flags[flag] !== undefined);
  if (clash !== undefined) {
    throw new ValidationError('Choose one source', [
      { field: `--${clash}`, message: '--repository analyses the workspace cache; leave this out' },
    ]);
  }
  const { workspaceDir, repositoryRoots } = ctx.settings(command);
  return ctx.withStore(command, async (store) => {
    const { people, repositories } = await loadOrg(store.db);
    const repository = repositories.find((r) => r.id === flags.repository);
    if (repository === undefined) {
      const known = repositories.map((r) => r.id).join(', ') || 'none yet: run `sextant sync`';
      throw new ValidationError('Unknown repository', [
        { field: '--repository', message: `"${flags.repository}" is not in the workspace (known: ${known})` },
      ]);
    }
    await refreshWorkspaceRepository(store, repository, { workspaceDir, extraRoots: repositoryRoots });
    return (await analyseCachedHistory(store.db, repository.id, [name], options, people)).get(name)?.result;
  });
}

/**
 * The workspace's people, to merge commit authors: from its store when one
 * exists (people added through the API count too), else from its
 * sextant.yaml. Outside a workspace git's .mailmap is all there is.
 */
async function workspacePeople(ctx: CliContext, command: Command): Promise<Person[]> {
  const settings = ctx.settings(command);
  if (settings.databaseUrl !== undefined || fs.existsSync(settings.sqlitePath)) {
    return ctx.withStore(command, async (store) => (await loadOrg(store.db)).people);
  }
  const config = ctx.workspaceConfig(command);
  return config ? orgFromWorkspaceConfig(config).people : [];
}

const LISTED_PER_GROUP = 20;

function listed(paths: readonly string[], indent = '  '): string {
  const shown = paths.slice(0, LISTED_PER_GROUP).map((p) => `${indent}${p}\n`);
  if (paths.length > LISTED_PER_GROUP) shown.push(`${indent}... and ${paths.length - LISTED_PER_GROUP} more (--json lists all)\n`);
  return shown.join('');
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

function truckFactorText(report: TruckFactorReport, options: AnalysisOptions): string {
  const parts = [
    `Truck factor: ${report.truckFactor}\n`,
    `${report.files.length} files analysed; ${percent(report.coverage)} have at least one author (degree of authorship).\n`,
    `${fileSetText(options)}\n`,
  ];
  if (report.developers.length > 0) {
    parts.push('\nDevelopers, in the order the greedy removal takes them:\n');
    parts.push(
      formatTable(report.developers, [
        { header: 'DEVELOPER', value: (d) => d.name },
        { header: 'AUTHORED FILES', value: (d) => d.authoredFiles, align: 'right' },
        { header: 'SOLE AUTHOR OF', value: (d) => d.soleFiles.length, align: 'right' },
        { header: 'FILES WITH AN AUTHOR AFTER', value: (d) => percent(d.coverageAfter), align: 'right' },
      ]),
    );
    for (const developer of report.developers) {
      if (developer.soleFiles.length === 0) continue;
      parts.push(`\nFiles only ${developer.name} knows (${developer.soleFiles.length}):\n`, listed(developer.soleFiles));
    }
  }
  parts.push(excludedText(report.excluded));
  return parts.join('');
}

function knowledgeRiskText(report: KnowledgeRiskReport): string {
  const inactive = report.authors.filter((a) => !a.active);
  const parts = [`Knowledge risk as of ${report.asOf} (an author is inactive after ${report.inactiveDays} days without a commit)\n`];
  parts.push(
    inactive.length === 0
      ? 'No inactive authors.\n'
      : `Inactive authors: ${inactive.map((a) => `${a.name} (last commit ${a.lastCommit})`).join(', ')}\n`,
  );
  const leaving = report.authors.filter((a) => a.leaving);
  if (leaving.length > 0) parts.push(`Leaving (--without): ${leaving.map((a) => a.name).join(', ')}\n`);
  parts.push('\nModules\n');
  parts.push(
    formatTable(report.modules, [
      { header: 'MODULE', value: (m) => m.module },
      { header: 'FILES', value: (m) => m.files, align: 'right' },
      { header: 'ORPHANED', value: (m) => m.inactive, align: 'right' },
      { header: 'ORPHANED IF THEY LEAVE', value: (m) => m.leaving, align: 'right' },
    ]),
  );
  if (report.files.length === 0) parts.push('\nNo file has lost all its authors.\n');
  else {
    parts.push('\nFiles at risk\n');
    parts.push(
      formatTable(report.files, [
        { header: 'FILE', value: (f) => f.entity },
        { header: 'AUTHORS', value: (f) => f.authors.join(', ') },
        { header: 'CAUSE', value: (f) => (f.cause === 'inactive' ? 'authors inactive' : 'authors leaving') },
      ]),
    );
  }
  parts.push(excludedText(report.excluded));
  return parts.join('');
}

/** Which files the truck factor counted, in words: the paper's set unless the options changed it. */
function fileSetText(options: AnalysisOptions): string {
  if (!options.defaultExcludes) return 'Files: every file of the revision (--no-default-excludes).';
  if (!options.excludeDocumentation)
    return "Files: Avelino et al.'s set with documentation (--keep-docs): vendored, generated, lockfile and binary files left out.";
  return "Files: Avelino et al.'s set (ICPC 2016), code only: vendored, generated, lockfile, documentation and binary files left out (--keep-docs keeps documentation).";
}

/** Analyses that look at code only by default. */
const CODE_ONLY_ANALYSES = new Set<AnalysisName>(['hotspots', 'coupling', 'soc', 'age']);

function excludedText(excluded: TruckFactorReport['excluded']): string {
  if (excluded.length === 0) return '';
  const byReason = new Map<string, string[]>();
  for (const { path, reason } of excluded) byReason.set(reason, [...(byReason.get(reason) ?? []), path]);
  const counts = [...byReason].map(([reason, paths]) => `${paths.length} ${reason}`).join(', ');
  const parts = [`\nExcluded by default (${counts}; --no-default-excludes keeps them):\n`];
  for (const [reason, paths] of byReason) parts.push(`  ${reason}:\n`, listed(paths, '    '));
  return parts.join('');
}
