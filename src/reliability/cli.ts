import fs from 'node:fs';
import type { Command } from 'commander';
import type { CliContext } from '../kit/cli/context.js';
import { printJson, printTable, type OutputStreams } from '../kit/cli/output.js';
import { EXIT_FAILURE, EXIT_OK, runAction } from '../kit/cli/run-action.js';
import { formatIssue, ValidationError } from '../shared/errors.js';
import type { Store } from '../store/database.js';
import { MinuteSeries, type MinuteSample } from './counts.js';
import { loadDefinitions, type LoadOptions } from './definitions/load-definitions.js';
import { formatMs, parseDuration, type Duration } from './duration.js';
import { parseIncidentsCsv, type IncidentSpan } from './incidents-csv.js';
import { isInstantError, parseInstant } from './instant.js';
import type { DefinitionSet, SloStatus } from './model.js';
import { formatPercent, type GateDecision } from './policy.js';
import { releaseGate } from './release-gate.js';
import { loadDefinitionSet, replaceDefinitions } from './store.js';
import { ingestSamples, storedReleaseGate, storedStatuses } from './stored-slos.js';
import { prometheusRuleFile } from './prometheus/rules.js';
import { parseSamplesCsv } from './samples-csv.js';
import { evaluateWithSamples, toStatusContract } from './status-report.js';

/** `sextant slo validate|status|rules` and `sextant gate`. */
export function registerReliabilityCommands(program: Command, ctx: CliContext): void {
  const slo = program.command('slo').description('SLOs and error budgets from OpenSLO or Sloth files');

  slo
    .command('validate')
    .description('Check OpenSLO v1 / Sloth definition files and directories; errors name file, line and field')
    .argument('<files...>', 'definition files or directories')
    .option('--json', 'print the parsed definitions as JSON')
    .option('--default-slo-period <duration>', "the period of Sloth specs, which name none (Sloth's flag of the same name)", '30d')
    .option(
      '--slo-period-windows-path <path>',
      "Sloth AlertWindows files (a file or folder) giving the alert windows for periods other than 28d/30d (Sloth's flag of the same name)",
    )
    .action(
      runAction(ctx.out, async (files: string[], options: { json?: boolean } & SlothPeriodOptions) => {
        const set = loadDefinitions(files, slothLoadOptions(options));
        printWarnings(ctx.out, set);
        if (options.json) return printJson(ctx.out, set);
        printTable(ctx.out, set.slos, [
          { header: 'SLO', value: (s) => s.name },
          { header: 'SERVICE', value: (s) => s.service },
          { header: 'TARGET', value: (s) => formatPercent(s.target, 3), align: 'right' },
          { header: 'WINDOW', value: (s) => describeWindow(s.window) },
          { header: 'METHOD', value: (s) => s.budgetingMethod },
          { header: 'ALERTS', value: (s) => describeAlerts(s.alerting) },
        ]);
        const extras = [
          [set.policies.length, 'error-budget polic', 'y', 'ies'],
          [set.maintenanceWindows.length, 'maintenance window', '', 's'],
          [set.dataSources.length, 'data source', '', 's'],
        ] as const;
        const summary = extras
          .filter(([n]) => n > 0)
          .map(([n, word, one, many]) => `${n} ${word}${n === 1 ? one : many}`)
          .join(', ');
        ctx.out.stdout.write(`\n${set.slos.length} SLO${set.slos.length === 1 ? '' : 's'} valid${summary ? `; ${summary}` : ''}.\n`);
      }),
    );

  slo
    .command('status')
    .description('Budget, burn rates and firing alerts of each SLO: from definition files and a samples CSV, or from the workspace')
    .argument('[files...]', 'definition files or directories; none: the SLOs stored in the workspace')
    .option('--samples <csv>', 'with files: per-minute samples, columns slo,timestamp,good,total')
    .option('--at <instant>', 'evaluate at this instant (ISO 8601 with offset, or epoch seconds); default: now')
    .option('--demo', 'without files: the generated demo workspace')
    .option('--json', 'print {"slos": [...]} for machines')
    .action(
      runAction(
        ctx.out,
        async (files: string[], options: { samples?: string; at?: string; json?: boolean; demo?: boolean }, command: Command) => {
          const at = parseAtOption(options.at);
          const statuses =
            files.length > 0
              ? statusesFromFiles(files, options.samples, at)
              : await withWorkspace(ctx, command, options, (store) => storedStatuses(store.db, at));
          if (options.json) return printJson(ctx.out, { slos: statuses.map(toStatusContract) });
          printStatusTable(ctx.out, statuses);
        },
      ),
    );

  slo
    .command('apply')
    .description('Store SLO definitions, policies and maintenance windows in the workspace (replacing those applied before)')
    .argument('<files...>', 'definition files or directories')
    .action(
      runAction(ctx.out, async (files: string[], _options: unknown, command: Command) => {
        const set = loadDefinitions(files);
        const report = await withWorkspace(ctx, command, {}, (store) => replaceDefinitions(store.db, set, 'config'));
        ctx.out.stdout.write(`${report.slos} SLOs stored${report.removed > 0 ? `, ${report.removed} no longer defined removed` : ''}.\n`);
      }),
    );

  slo
    .command('import')
    .description('Import per-minute samples (CSV: slo,timestamp,good,total) for SLOs stored in the workspace')
    .argument('<csv>', 'the samples file')
    .action(
      runAction(ctx.out, async (file: string, _options: unknown, command: Command) => {
        const text = readText(file, 'csv');
        const written = await withWorkspace(ctx, command, {}, async (store) => {
          const set = await loadDefinitionSet(store.db);
          const bySlo = parseSamplesCsv(
            text,
            file,
            set.slos.map((slo) => slo.name),
          );
          let count = 0;
          for (const [slo, samples] of bySlo) count += (await ingestSamples(store.db, slo, samples)).written;
          return { count, slos: bySlo.size };
        });
        ctx.out.stdout.write(`${written.count} samples imported for ${written.slos} SLO${written.slos === 1 ? '' : 's'}.\n`);
      }),
    );

  slo
    .command('rules')
    .description('Print Prometheus recording and alerting rules for the SLOs (promtool check rules accepts them)')
    .argument('[files...]', 'definition files or directories; none: the SLOs stored in the workspace')
    .option('--compat <format>', "reproduce another generator's rule names, labels and expressions: sloth")
    .option('--default-slo-period <duration>', "the period of Sloth specs, which name none (Sloth's flag of the same name)", '30d')
    .option(
      '--slo-period-windows-path <path>',
      "Sloth AlertWindows files (a file or folder) giving the alert windows for periods other than 28d/30d (Sloth's flag of the same name)",
    )
    .option('--disable-alerts', "with --compat sloth: recording rules only (Sloth's flag)")
    .option('--disable-recordings', "with --compat sloth: alerting rules only (Sloth's flag)")
    .option(
      '-l, --extra-labels <key=value>',
      "with --compat sloth: a label added to every SLO (repeatable; Sloth's flag)",
      collectLabel,
      {},
    )
    .option('--demo', 'without files: the generated demo workspace')
    .action(
      runAction(ctx.out, async (files: string[], options: RulesOptions, command: Command) => {
        if (options.compat !== undefined && options.compat !== 'sloth') {
          throw new ValidationError('Unknown --compat', [
            { field: '--compat', message: `"${options.compat}" is not supported (only: sloth)` },
          ]);
        }
        const sloth = options.compat === 'sloth';
        const onlySloth = { '--disable-alerts': options.disableAlerts, '--disable-recordings': options.disableRecordings };
        for (const [flag, set] of Object.entries(onlySloth)) {
          if (set && !sloth)
            throw new ValidationError(`${flag} needs --compat sloth`, [{ field: flag, message: 'only with --compat sloth' }]);
        }
        const set =
          files.length > 0
            ? loadDefinitions(files, slothLoadOptions(options))
            : await withWorkspace(ctx, command, options, (store) => loadDefinitionSet(store.db));
        printWarnings(ctx.out, set);
        ctx.out.stdout.write(
          prometheusRuleFile(set.slos, sloth ? 'sloth' : 'sextant', {
            disableAlerts: options.disableAlerts,
            disableRecordings: options.disableRecordings,
            extraLabels: options.extraLabels,
          }),
        );
      }),
    );

  program
    .command('gate')
    .description('Release gate for CI: exit 0 when the service may release, 1 when its error-budget policy freezes releases')
    .argument('<service>', 'the service (its SLOs spec.service)')
    .argument('[files...]', 'definition files or directories (SLOs, ErrorBudgetPolicy, MaintenanceWindow); none: the workspace')
    .option('--samples <csv>', 'with files: per-minute samples, columns slo,timestamp,good,total')
    .option('--label <label>', 'a label of the change (repeatable, or comma-separated), e.g. P0 or security', collectLabels, [])
    .option('--incidents <csv>', 'with files: incidents (id,service,start,end) for the postmortem rule')
    .option('--at <instant>', 'decide at this instant; default: now')
    .option('--demo', 'without files: the generated demo workspace')
    .option('--json', 'print the decision as JSON')
    .action(
      runAction(ctx.out, async (service: string, files: string[], options: GateOptions, command: Command) => {
        const at = parseAtOption(options.at);
        const decision =
          files.length > 0
            ? gateFromFiles(service, files, options, at)
            : await withWorkspace(ctx, command, options, (store) => storedGateForCli(store, service, options.label, at));
        if (options.json) printJson(ctx.out, decision);
        else printGateDecision(ctx.out, decision);
        return decision.decision === 'open' ? EXIT_OK : EXIT_FAILURE;
      }),
    );
}

interface GateOptions {
  samples?: string;
  label: string[];
  incidents?: string;
  at?: string;
  demo?: boolean;
  json?: boolean;
}

function gateFromFiles(service: string, files: string[], options: GateOptions, at: number): GateDecision {
  const { set, samples } = loadDefinitionsWithSamples(files, options.samples);
  const incidents: IncidentSpan[] = options.incidents
    ? parseIncidentsCsv(readText(options.incidents, '--incidents'), options.incidents)
    : [];
  return releaseGate(set, (name) => new MinuteSeries(samples.get(name) ?? []), { service, labels: options.label, at, incidents });
}

/** An unknown service is an input error for CI (exit 2), never confused with "frozen" (exit 1): checked before the gate runs. */
async function storedGateForCli(store: Store, service: string, labels: string[], at: number): Promise<GateDecision> {
  const { slos } = await loadDefinitionSet(store.db);
  if (!slos.some((slo) => slo.service === service)) {
    const message = `No SLO belongs to service "${service}"`;
    throw new ValidationError(message, [{ field: 'service', message }]);
  }
  return storedReleaseGate(store.db, service, labels, at);
}

/** Runs `body` on the workspace's store (or the demo's), closing it afterwards. */
async function withWorkspace<T>(
  ctx: CliContext,
  command: Command,
  options: { demo?: boolean; samples?: string; incidents?: string },
  body: (store: Store) => Promise<T>,
): Promise<T> {
  // Samples and incidents files go with definition files; over the workspace they would be silently ignored.
  for (const [flag, value] of [
    ['--samples', options.samples],
    ['--incidents', options.incidents],
  ] as const) {
    if (value !== undefined) {
      throw new ValidationError(`${flag} needs definition files`, [
        { field: flag, message: 'give the SLO definition files too, or store the data with `sextant slo import` first' },
      ]);
    }
  }
  return ctx.withStore(command, body, { demo: options.demo === true });
}

function statusesFromFiles(files: string[], samplesFile: string | undefined, at: number): SloStatus[] {
  const { set, samples } = loadDefinitionsWithSamples(files, samplesFile);
  return evaluateWithSamples(set, samples, at);
}

function loadDefinitionsWithSamples(
  files: string[],
  samplesFile: string | undefined,
): { set: DefinitionSet; samples: Map<string, MinuteSample[]> } {
  const set = loadDefinitions(files);
  return { set, samples: readSamples(set, samplesFile) };
}

function collectLabels(value: string, previous: string[]): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((label) => label.trim())
      .filter(Boolean),
  ];
}

function readText(file: string, option: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ValidationError(`Cannot read ${file}`, [{ field: option, file, message: (error as Error).message }]);
  }
}

function readSamples(set: DefinitionSet, file: string | undefined): Map<string, MinuteSample[]> {
  if (!file) return new Map();
  return parseSamplesCsv(
    readText(file, '--samples'),
    file,
    set.slos.map((s) => s.name),
  );
}

export function parseAtOption(text: string | undefined): number {
  if (text === undefined) return Date.now();
  const at = parseInstant(text);
  if (isInstantError(at)) throw new ValidationError('Invalid --at', [{ field: '--at', message: at.error }]);
  return at;
}

function describeWindow(window: DefinitionSet['slos'][number]['window']): string {
  return window.kind === 'rolling' ? `${window.duration.text} rolling` : `${window.duration.text} calendar (${window.timeZone})`;
}

function describeAlerts(alerting: DefinitionSet['slos'][number]['alerting']): string {
  return alerting.conditions
    .map((c) => `${c.tier} ${formatFactor(c.factor)}x ${formatMs(c.longWindowMs)}/${formatMs(c.shortWindowMs)}`)
    .join('; ');
}

/** A burn-rate factor for people: at most two decimals (0.466666666667 -> 0.47, 14.4 stays 14.4). */
export function formatFactor(factor: number): string {
  return String(Number(factor.toFixed(2)));
}

interface RulesOptions extends SlothPeriodOptions {
  compat?: string;
  demo?: boolean;
  disableAlerts?: boolean;
  disableRecordings?: boolean;
  extraLabels: Record<string, string>;
}

function collectLabel(text: string, labels: Record<string, string>): Record<string, string> {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(text);
  if (!match) {
    throw new ValidationError('Invalid --extra-labels', [
      { field: '--extra-labels', message: `"${text}" is not key=value with a Prometheus label name` },
    ]);
  }
  return { ...labels, [match[1] as string]: match[2] as string };
}

interface SlothPeriodOptions {
  defaultSloPeriod: string;
  sloPeriodWindowsPath?: string;
}

function slothLoadOptions(options: SlothPeriodOptions): LoadOptions {
  return {
    slothPeriod: slothPeriodOption(options.defaultSloPeriod),
    ...(options.sloPeriodWindowsPath !== undefined ? { alertWindows: [options.sloPeriodWindowsPath] } : {}),
  };
}

function slothPeriodOption(text: string): Duration {
  const duration = parseDuration(text);
  if ('error' in duration)
    throw new ValidationError('Invalid --default-slo-period', [{ field: '--default-slo-period', message: duration.error }]);
  return duration;
}

/** Keys Sloth ignores and the like: on stderr, one located line each, so stdout stays the rule file. */
function printWarnings(out: OutputStreams, set: DefinitionSet): void {
  for (const warning of set.warnings ?? []) out.stderr.write(`warning: ${formatIssue(warning)}\n`);
}

export function printStatusTable(out: OutputStreams, statuses: readonly SloStatus[]): void {
  const fixed = (value: number) => (Number.isFinite(value) ? value.toFixed(2) : String(value));
  printTable(out, statuses, [
    { header: 'SLO', value: (s) => s.name },
    { header: 'SERVICE', value: (s) => s.service },
    { header: 'TARGET', value: (s) => formatPercent(s.target, 3), align: 'right' },
    { header: 'WINDOW', value: (s) => s.window },
    { header: 'ATTAINMENT', value: (s) => (s.attainment === null ? null : formatPercent(s.attainment, 3)), align: 'right' },
    { header: 'BUDGET LEFT', value: (s) => formatPercent(s.budgetRemaining), align: 'right' },
    { header: 'BURN 1H', value: (s) => fixed(s.burnRates['1h']), align: 'right' },
    { header: 'BURN 1D', value: (s) => fixed(s.burnRates['1d']), align: 'right' },
    { header: 'EXHAUSTED IN', value: (s) => (s.timeToExhaustionMs === null ? null : formatHours(s.timeToExhaustionMs)), align: 'right' },
    { header: 'ALERTS', value: (s) => s.alerts.join(', ') || null },
  ]);
}

function formatHours(ms: number): string {
  if (ms === 0) return 'now';
  const hours = ms / 3_600_000;
  return hours < 48 ? `${hours.toFixed(1)} h` : `${(hours / 24).toFixed(1)} d`;
}

function printGateDecision(out: OutputStreams, decision: GateDecision): void {
  const write = (line: string) => out.stdout.write(`${line}\n`);
  write(`${decision.service}: ${decision.decision === 'open' ? 'open' : 'FROZEN'} (policy ${decision.policy})`);
  for (const reason of decision.reasons) write(`  frozen by ${reason.rule}: ${reason.message}`);
  for (const reason of decision.exempted) write(`  ${reason.rule} lifted by label "${reason.exemptedBy}": ${reason.message}`);
  for (const reason of decision.warnings) write(`  warning (${reason.rule}): ${reason.message}`);
  for (const pm of decision.postmortemsRequired) {
    write(`  postmortem required (${pm.rule}): incident ${pm.incident} spent ${formatPercent(pm.share)} of ${pm.slo}'s budget`);
  }
}
