import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../kit/cli/context.js';
import { printJson, printTable, type Column } from '../kit/cli/output.js';
import { runAction } from '../kit/cli/run-action.js';
import { ValidationError } from '../shared/errors.js';
import type { Store } from '../store/database.js';
import type { Candidate } from './candidates.js';
import type { ScoredItem } from './scorecard.js';
import { formatFieldPath } from '../shared/field-path.js';
import { columnMapping, parseWorkFile, WORK_FORMATS, type WorkFormat } from './importers.js';
import { debtItemInput, DEBT_STATUSES, type DebtConfig, type DebtStatus } from './model.js';
import { addedJson, capacityJson, candidateJson, scoredJson } from './json.js';
import {
  acceptCandidate,
  addDebtItem,
  capacityReport,
  dismissCandidate,
  listCandidates,
  scoredRegister,
  setDebtStatus,
} from './service.js';
import { saveDebtSettings, upsertWorkItems } from './store.js';

const pct = (v: number | null) => (v === null ? '-' : `${Math.round(v * 100)}%`);
const num = (v: number | null, digits = 2) => (v === null ? '-' : String(Math.round(v * 10 ** digits) / 10 ** digits));

function readFileOrFail(file: string, field: string): { text: string; display: string } {
  const display = path.relative(process.cwd(), file) || file;
  try {
    return { text: fs.readFileSync(file, 'utf8'), display };
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(error);
    throw new ValidationError(`Cannot read ${display}`, [{ field, file: display, message: reason }]);
  }
}

function parseAt(value: string | undefined): number {
  if (value === undefined) return Date.now();
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new ValidationError('Invalid --at', [{ field: '--at', message: `"${value}" is not an ISO 8601 instant` }]);
  return t;
}

/**
 * Opens the store with the workspace's `debt:` section applied first, so a
 * command reads the rules in sextant.yaml as they are now (serve and sync apply
 * it too). The demo workspace keeps its own.
 */
function withDebtStore<T>(
  ctx: CliContext,
  command: Command,
  body: (store: Store) => Promise<T>,
  options: { demo?: boolean } = {},
): Promise<T> {
  const config = options.demo ? undefined : ctx.workspaceConfig(command);
  return ctx.withStore(
    command,
    async (store) => {
      if (config?.debt !== undefined) await saveDebtSettings(store.db, store.dialect, config.debt as DebtConfig);
      return body(store);
    },
    options,
  );
}

/** `sextant work import`, `sextant capacity` and `sextant debt list|add|accept|dismiss|score|candidates`. */
export function registerDebtCommands(program: Command, ctx: CliContext): void {
  const work = program.command('work').description('Work items read from trackers: the unit of capacity');
  work
    .command('import')
    .description('Import work items from a CSV (optionally under a column mapping), a Jira CSV export, or GitHub/GitLab issue JSON')
    .requiredOption('--file <file>', 'the file to import')
    .option('--format <format>', `one of ${WORK_FORMATS.join(', ')}`, 'csv')
    .option('--mapping <file>', 'CSV: JSON column mapping {"columns": {"id": "Key", ...}, "ignore": [...], "states": {...}}')
    .option('--team <team>', 'team of every item when the file has no team column (GitHub and GitLab issues)')
    .option('--json', 'print the result as JSON')
    .action(
      runAction(
        ctx.out,
        async (options: { file: string; format: string; mapping?: string; team?: string; json?: boolean }, command: Command) => {
          if (!(WORK_FORMATS as readonly string[]).includes(options.format)) {
            throw new ValidationError('Invalid --format', [{ field: '--format', message: `must be one of ${WORK_FORMATS.join(', ')}` }]);
          }
          let mapping;
          let mappingFile: string | undefined;
          if (options.mapping !== undefined) {
            const m = readFileOrFail(options.mapping, '--mapping');
            mappingFile = m.display;
            let raw: unknown;
            try {
              raw = JSON.parse(m.text);
            } catch (error) {
              throw new ValidationError(`${m.display} is not valid JSON`, [
                { field: '(json)', file: m.display, message: (error as Error).message },
              ]);
            }
            const parsed = columnMapping.safeParse(raw);
            if (!parsed.success) {
              throw new ValidationError(
                `${m.display} is not a column mapping`,
                parsed.error.issues.map((i) => ({ field: formatFieldPath(i.path), message: i.message, file: m.display })),
              );
            }
            mapping = parsed.data;
          }
          const { text, display } = readFileOrFail(options.file, '--file');
          const result = parseWorkFile(text, options.format as WorkFormat, display, { team: options.team, mapping, mappingFile });
          const now = Date.now();
          await withDebtStore(ctx, command, (store) => upsertWorkItems(store, result.items, now));
          const report = { imported: result.items.length, skipped: result.skipped };
          if (options.json) return printJson(ctx.out, report);
          ctx.out.stdout.write(
            `${display}: ${result.items.length} work items imported${result.skipped.length > 0 ? `, ${result.skipped.length} skipped (pull requests)` : ''}\n`,
          );
        },
      ),
    );

  program
    .command('capacity')
    .description('Share of effort per Balance category per team and sprint, the debt share against its target, streaks and WIP')
    .option('--team <team>', 'one team')
    .option('--sprints <n>', 'the last N sprints per team', '6')
    .option('--demo', 'the generated demo workspace')
    .option('--json', 'print {"effort", "cadence", "teams": [...]} for machines')
    .action(
      runAction(ctx.out, async (options: { team?: string; sprints: string; demo?: boolean; json?: boolean }, command: Command) => {
        const sprints = Number(options.sprints);
        if (!Number.isInteger(sprints) || sprints < 1)
          throw new ValidationError('Invalid --sprints', [{ field: '--sprints', message: 'must be a whole number of 1 or more' }]);
        const report = await withDebtStore(ctx, command, (store) => capacityReport(store, { team: options.team, sprints }), {
          demo: options.demo === true,
        });
        if (options.json) return printJson(ctx.out, capacityJson(report));
        const rows = report.teams.flatMap((t) => t.sprints.map((s) => ({ t, s })));
        printTable(ctx.out, rows, [
          { header: 'TEAM', value: (r) => r.t.team },
          { header: 'SPRINT', value: (r) => r.s.sprint },
          { header: 'ITEMS', value: (r) => r.s.items, align: 'right' },
          { header: 'NEW', value: (r) => pct(r.s.shares?.new ?? null), align: 'right' },
          { header: 'IMPROVE', value: (r) => pct(r.s.shares?.improve ?? null), align: 'right' },
          { header: 'KTLO', value: (r) => pct(r.s.shares?.ktlo ?? null), align: 'right' },
          { header: 'DEBT', value: (r) => pct(r.s.debtShare), align: 'right' },
          { header: 'TARGET', value: (r) => pct(r.s.target), align: 'right' },
          { header: 'BELOW', value: (r) => (r.s.below ? 'yes' : ''), align: 'right' },
          { header: 'STREAK', value: (r) => r.s.streak, align: 'right' },
        ]);
        ctx.out.stdout.write(
          `\nEffort: ${report.effort}. WIP: ${report.teams.map((t) => `${t.team} ${t.wip.count}${t.wip.limit !== null ? `/${t.wip.limit}${t.wip.over ? ' OVER' : ''}` : ''}`).join(', ')}\n`,
        );
      }),
    );

  const debt = program.command('debt').description('The technical debt register, its evidence-fed scorecard, and candidates from evidence');

  /** A read command over the evidence: `--at`, `--demo`, `--json` ({"items": [...]}) or a table. */
  const evidenceCommand = <T, O extends object = object>(
    name: string,
    description: string,
    read: (store: Store, now: number, options: O) => Promise<T[]>,
    json: (row: T) => unknown,
    columns: Array<Column<T>>,
    configure: (command: Command) => Command = (command) => command,
    footer = '',
  ) =>
    configure(debt.command(name).description(description))
      .option('--at <instant>', 'evaluate evidence at this instant (ISO 8601); default: now')
      .option('--demo', 'the generated demo workspace')
      .option('--json', 'print {"items": [...]}')
      .action(
        runAction(ctx.out, async (options: O & { at?: string; demo?: boolean; json?: boolean }, command: Command) => {
          const now = parseAt(options.at);
          const rows = await withDebtStore(ctx, command, (store) => read(store, now, options), { demo: options.demo === true });
          if (options.json) return printJson(ctx.out, { items: rows.map(json) });
          printTable(ctx.out, rows, columns);
          if (footer) ctx.out.stdout.write(footer);
        }),
      );

  evidenceCommand<ScoredItem, { all?: boolean }>(
    'list',
    'The register, ranked by score',
    (store, now, options) => scoredRegister(store.db, now, { all: options.all === true }),
    scoredJson,
    [
      { header: 'RANK', value: (s) => s.rank, align: 'right' },
      { header: 'ID', value: (s) => s.item.id },
      { header: 'TITLE', value: (s) => s.item.title },
      { header: 'CATEGORY', value: (s) => s.item.category },
      { header: 'STATUS', value: (s) => s.item.status },
      { header: 'TEAM', value: (s) => s.item.team },
      { header: 'SCORE', value: (s) => num(s.terms.score), align: 'right' },
    ],
    (command) => command.option('--all', "include paid and won't-fix items"),
  );

  evidenceCommand<ScoredItem>(
    'score',
    'The scorecard: every term of every item (interest, risk, change, principal)',
    (store, now) => scoredRegister(store.db, now),
    scoredJson,
    [
      { header: 'RANK', value: (s) => s.rank, align: 'right' },
      { header: 'ID', value: (s) => s.item.id },
      { header: 'INTEREST', value: (s) => num(s.terms.interest), align: 'right' },
      { header: 'RISK', value: (s) => num(s.terms.risk), align: 'right' },
      { header: 'CHANGE', value: (s) => num(s.terms.change), align: 'right' },
      { header: 'PRINCIPAL', value: (s) => `${num(s.terms.principalDays, 1)}${s.terms.principalEstimated ? '*' : ''}`, align: 'right' },
      { header: 'SCORE', value: (s) => num(s.terms.score), align: 'right' },
    ],
    undefined,
    '\nscore = (interest + risk + change) / principal days, weighted (sextant.yaml debt.weights); * = assumed principal\n',
  );

  evidenceCommand<Candidate>(
    'candidates',
    'Debt proposed from evidence: hotspots, knowledge held by one inactive person, worst services, exhausted SLO budgets',
    (store, now) => listCandidates(store.db, now),
    candidateJson,
    [
      { header: 'KEY', value: (c) => c.key },
      { header: 'CATEGORY', value: (c) => c.category },
      { header: 'TITLE', value: (c) => c.title },
      {
        header: 'EVIDENCE',
        value: (c) =>
          Object.entries(c.evidence)
            .map(([k, v]) => `${k}=${v}`)
            .join(' '),
      },
    ],
  );

  debt
    .command('add')
    .description('Add an item to the register')
    .requiredOption('--title <title>', 'what the debt is')
    .option('--id <id>', 'default: a slug of the title')
    .option('--category <category>', 'code, architecture, infrastructure, knowledge, or your own', 'code')
    .option('--repository <id>', 'repository the debt sits in')
    .option('--path <path...>', 'files or folders in the repository')
    .option('--service <id>', 'service it affects')
    .option('--team <id>', 'owner team')
    .option('--status <status>', DEBT_STATUSES.join(', '), 'accepted')
    .option('--impact <words>', 'business impact, e.g. "reduces outage risk on payments"', '')
    .option('--principal <days>', 'estimated effort to pay it back, in days')
    .option('--json', 'print the item as JSON')
    .action(
      runAction(ctx.out, async (options: Record<string, string | string[] | boolean | undefined>, command: Command) => {
        const principal = options.principal === undefined ? null : Number(options.principal);
        const parsed = debtItemInput.safeParse({
          ...(options.id !== undefined ? { id: options.id } : {}),
          title: options.title,
          category: options.category,
          repository: options.repository ?? null,
          paths: options.path ?? [],
          service: options.service ?? null,
          team: options.team ?? null,
          status: options.status,
          impact: options.impact,
          principalDays: principal,
        });
        if (!parsed.success)
          throw new ValidationError(
            'Invalid debt item',
            parsed.error.issues.map((i) => ({ field: `--${flagOf(String(i.path[0]))}`, message: i.message })),
          );
        const result = await withDebtStore(ctx, command, (store) => addDebtItem(store, parsed.data, Date.now()));
        for (const warning of result.warnings) ctx.out.stderr.write(`warning: ${warning}\n`);
        if (options.json) return printJson(ctx.out, addedJson(result));
        ctx.out.stdout.write(`added ${result.item.id}\n`);
      }),
    );

  debt
    .command('status')
    .description('Move a register item to another status')
    .argument('<id>', 'the item')
    .argument('<status>', DEBT_STATUSES.join(', '))
    .action(
      runAction(ctx.out, async (id: string, status: string, _options: unknown, command: Command) => {
        if (!(DEBT_STATUSES as readonly string[]).includes(status))
          throw new ValidationError('Invalid status', [{ field: 'status', message: `must be one of ${DEBT_STATUSES.join(', ')}` }]);
        const item = await withDebtStore(ctx, command, (store) => setDebtStatus(store.db, id, status as DebtStatus, Date.now()));
        ctx.out.stdout.write(`${item.id}: ${item.status}\n`);
      }),
    );

  debt
    .command('accept')
    .description('Accept a candidate into the register')
    .argument('<key>', 'the candidate key from `sextant debt candidates`')
    .option('--principal <days>', 'estimated effort to pay it back, in days')
    .option('--impact <words>', 'business impact (default: the proposed one)')
    .option('--at <instant>', 'evaluate evidence at this instant (ISO 8601); default: now')
    .option('--json', 'print the item as JSON')
    .action(
      runAction(
        ctx.out,
        async (key: string, options: { principal?: string; impact?: string; at?: string; json?: boolean }, command: Command) => {
          const principal = options.principal === undefined ? undefined : Number(options.principal);
          if (principal !== undefined && (!Number.isFinite(principal) || principal < 0)) {
            throw new ValidationError('Invalid --principal', [{ field: '--principal', message: 'must be a number of days, 0 or more' }]);
          }
          const now = parseAt(options.at);
          const result = await withDebtStore(ctx, command, (store) =>
            acceptCandidate(store, key, now, { principalDays: principal, impact: options.impact }),
          );
          if (options.json) return printJson(ctx.out, addedJson(result));
          ctx.out.stdout.write(`accepted ${key} as ${result.item.id}\n`);
        },
      ),
    );

  debt
    .command('dismiss')
    .description('Dismiss a candidate; it is not proposed again')
    .argument('<key>', 'the candidate key')
    .option('--reason <words>', 'why', '')
    .option('--at <instant>', 'evaluate evidence at this instant (ISO 8601); default: now')
    .action(
      runAction(ctx.out, async (key: string, options: { reason: string; at?: string }, command: Command) => {
        await withDebtStore(ctx, command, (store) => dismissCandidate(store.db, key, options.reason, parseAt(options.at)));
        ctx.out.stdout.write(`dismissed ${key}\n`);
      }),
    );
}

function flagOf(field: string): string {
  return field === 'principalDays' ? 'principal' : field === 'paths' ? 'path' : field;
}
