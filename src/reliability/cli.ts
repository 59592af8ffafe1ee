import fs from 'node:fs';
import type { Command } from 'commander';
import type { CliContext } from '../cli/cli-context.js';
import { printJson, printTable, type OutputStreams } from '../cli/output.js';
import { EXIT_FAILURE, EXIT_OK, runAction } from '../cli/run-action.js';
import { ValidationError } from '../shared/errors.js';
import { MinuteSeries, type MinuteSample } from './counts.js';
import { loadDefinitions } from './definitions/load-definitions.js';
import { formatMs } from './duration.js';
import { parseIncidentsCsv, type IncidentSpan } from './incidents-csv.js';
import { isInstantError, parseInstant } from './instant.js';
import type { DefinitionSet, SloStatus } from './model.js';
import { formatPercent, type GateDecision } from './policy.js';
import { releaseGate } from './release-gate.js';
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
    .action(
      runAction(ctx.out, async (files: string[], options: { json?: boolean }) => {
        const set = loadDefinitions(files);
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
    .description('Budget, burn rates and firing alerts of each SLO, from definition files and a samples CSV')
    .argument('<files...>', 'definition files or directories')
    .option('--samples <csv>', 'per-minute samples: columns slo,timestamp,good,total')
    .option('--at <instant>', 'evaluate at this instant (ISO 8601 with offset, or epoch seconds); default: now')
    .option('--json', 'print {"slos": [...]} for machines')
    .action(
      runAction(ctx.out, async (files: string[], options: { samples?: string; at?: string; json?: boolean }) => {
        const set = loadDefinitions(files);
        const samples = readSamples(set, options.samples);
        const statuses = evaluateWithSamples(set, samples, parseAtOption(options.at));
        if (options.json) return printJson(ctx.out, { slos: statuses.map(toStatusContract) });
        printStatusTable(ctx.out, statuses);
      }),
    );

  slo
    .command('rules')
    .description('Print Prometheus recording and alerting rules for the SLOs (promtool check rules accepts them)')
    .argument('<files...>', 'definition files or directories')
    .option('--compat <format>', "reproduce another generator's rule names, labels and expressions: sloth")
    .action(
      runAction(ctx.out, async (files: string[], options: { compat?: string }) => {
        if (options.compat !== undefined && options.compat !== 'sloth') {
          throw new ValidationError('Unknown --compat', [
            { field: '--compat', message: `"${options.compat}" is not supported (only: sloth)` },
          ]);
        }
        const set = loadDefinitions(files);
        ctx.out.stdout.write(prometheusRuleFile(set.slos, options.compat === 'sloth' ? 'sloth' : 'sextant'));
      }),
    );

  program
    .command('gate')
    .description('Release gate for CI: exit 0 when the service may release, 1 when its error-budget policy freezes releases')
    .argument('<service>', 'the service (its SLOs spec.service)')
    .argument('<files...>', 'definition files or directories (SLOs, ErrorBudgetPolicy, MaintenanceWindow)')
    .option('--samples <csv>', 'per-minute samples: columns slo,timestamp,good,total')
    .option('--label <label>', 'a label of the change (repeatable, or comma-separated), e.g. P0 or security', collectLabels, [])
    .option('--incidents <csv>', 'incidents (id,service,start,end) for the postmortem rule')
    .option('--at <instant>', 'decide at this instant; default: now')
    .option('--json', 'print the decision as JSON')
    .action(
      runAction(
        ctx.out,
        async (
          service: string,
          files: string[],
          options: { samples?: string; label: string[]; incidents?: string; at?: string; json?: boolean },
        ) => {
          const set = loadDefinitions(files);
          const samples = readSamples(set, options.samples);
          const incidents: IncidentSpan[] = options.incidents
            ? parseIncidentsCsv(readText(options.incidents, '--incidents'), options.incidents)
            : [];
          const decision = releaseGate(set, (name) => new MinuteSeries(samples.get(name) ?? []), {
            service,
            labels: options.label,
            at: parseAtOption(options.at),
            incidents,
          });
          if (options.json) printJson(ctx.out, decision);
          else printGateDecision(ctx.out, decision);
          return decision.decision === 'open' ? EXIT_OK : EXIT_FAILURE;
        },
      ),
    );
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
  return alerting.conditions.map((c) => `${c.tier} ${c.factor}x ${formatMs(c.longWindowMs)}/${formatMs(c.shortWindowMs)}`).join('; ');
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
