import { HOUR_MS, nominalMs } from '../duration.js';
import type { BurnRateCondition, SloDefinition } from '../model.js';
import { selector, WINDOW_PLACEHOLDER, windowedQueries } from './promql.js';
import { sortedLabels, type AlertingRule, type RecordingRule, type RuleGroup } from './rule-file.js';

/**
 * Rules as Sloth v0.16 writes them (its core plugins sli_rules/v1,
 * metadata_rules/v1 and alert_rules/v1 in slok/sloth), so dashboards and
 * alert routes built on Sloth keep working: `slo:sli_error:ratio_rate<w>` per
 * alert window plus the period (the average of the 5-minute ratios), the
 * `slo:*` meta recordings and `sloth_slo_info`, and one alert per enabled
 * severity (page, ticket), each `max(...) without (sloth_window)` over the two
 * multiwindow pairs. Every SLI and meta rule carries the service's and the
 * SLO's labels; an SLO with both alerts disabled gets no alerts group. Numbers
 * print as Go prints them (`0.9990000000000001`, `5.6000000000000005`).
 * Checked case by case against Sloth's prometheus integration testdata; see
 * sloth-rules.test.ts.
 */
export const SLOTH_COMPAT_VERSION = 'sextant-compat';

export interface SlothRuleOptions {
  /** Sloth's `--disable-alerts`: recordings only. */
  disableAlerts?: boolean;
  /** Sloth's `--disable-recordings`: alerts only. */
  disableRecordings?: boolean;
  /** Sloth's `--extra-labels`: added to every SLO's labels (they win over the spec's). */
  extraLabels?: Record<string, string>;
}

/** One SLO's groups, empty ones left out (as Sloth does). */
export function slothGroups(slo: SloDefinition, options: SlothRuleOptions = {}): RuleGroup[] {
  const sloth = slo.sloth;
  const service = sloth?.service ?? slo.service;
  const sloName = sloth?.slo ?? slo.name;
  const id = sloth?.id ?? `${service}-${sloName}`;
  const objectivePercent = sloth?.objectivePercent ?? slo.target * 100;
  const objective = objectivePercent / 100;
  const errorBudgetRatio = (100 - objectivePercent) / 100;
  const userLabels = { ...(sloth?.labels ?? promLabels(slo.labels)), ...options.extraLabels };
  const ids = { sloth_id: id, sloth_service: service, sloth_slo: sloName };
  const filter = selector(ids);
  const periodMs = nominalMs(slo.window.duration);
  const period = promDuration(periodMs);
  const conditions = slothConditions(slo, periodMs);
  const queries = windowedQueries(slo);
  const labels = (extra: Record<string, string> = {}) => sortedLabels({ ...ids, ...extra, ...userLabels });

  const windows = [...new Set(conditions.flatMap((c) => [c.shortWindowMs, c.longWindowMs]))].sort((a, b) => a - b);
  const shortest = conditions[0]?.shortWindowMs ?? windows[0] ?? 5 * 60_000;
  const sli: RecordingRule[] = windows.map((ms) => {
    const w = promDuration(ms);
    return {
      record: `slo:sli_error:ratio_rate${w}`,
      expr: slothErrorRatio(slo, w) ?? `${queries.errorRatio(w)}\n`,
      labels: labels({ sloth_window: w }),
    };
  });
  const shortRecord = `slo:sli_error:ratio_rate${promDuration(shortest)}${filter}`;
  sli.push({
    record: `slo:sli_error:ratio_rate${period}`,
    expr: `sum_over_time(${shortRecord}[${period}])\n/ ignoring (sloth_window)\ncount_over_time(${shortRecord}[${period}])\n`,
    labels: labels({ sloth_window: period }),
  });

  const burnRate = (record: string) =>
    `${record}${filter}\n/ on(sloth_id, sloth_slo, sloth_service) group_left\nslo:error_budget:ratio${filter}\n`;
  const meta: RecordingRule[] = [
    { record: 'slo:objective:ratio', expr: `vector(${goFloat(objective)})`, labels: labels() },
    { record: 'slo:error_budget:ratio', expr: `vector(1-${goFloat(objective)})`, labels: labels() },
    { record: 'slo:time_period:days', expr: `vector(${goFloat(periodMs / HOUR_MS / 24)})`, labels: labels() },
    { record: 'slo:current_burn_rate:ratio', expr: burnRate(`slo:sli_error:ratio_rate${promDuration(shortest)}`), labels: labels() },
    { record: 'slo:period_burn_rate:ratio', expr: burnRate(`slo:sli_error:ratio_rate${period}`), labels: labels() },
    { record: 'slo:period_error_budget_remaining:ratio', expr: `1 - slo:period_burn_rate:ratio${filter}`, labels: labels() },
    {
      record: 'sloth_slo_info',
      expr: 'vector(1)',
      labels: sortedLabels({
        ...labels(),
        sloth_version: SLOTH_COMPAT_VERSION,
        sloth_mode: sloth?.mode ?? 'cli-gen-prom',
        sloth_spec: sloth?.spec ?? 'prometheus/v1',
        sloth_objective: String(objectivePercent),
      }),
    },
  ];

  const alerts: AlertingRule[] = options.disableAlerts
    ? []
    : (['page', 'ticket'] as const).flatMap((severity): AlertingRule[] => {
        const settings = sloth?.[severity];
        if (settings?.disabled) return [];
        const pairs = conditions.filter((c) => c.tier === severity);
        if (pairs.length === 0) return [];
        const check = (ms: number, factor: number) =>
          `max(slo:sli_error:ratio_rate${promDuration(ms)}${filter} > (${goFloat(factor)} * ${goFloat(errorBudgetRatio)})) without (sloth_window)`;
        const expr = pairs
          .map((c) => `(\n    ${check(c.shortWindowMs, c.factor)}\n    and\n    ${check(c.longWindowMs, c.factor)}\n)`)
          .join('\nor\n');
        return [
          {
            alert: sloth?.alertName ?? `${pascalCase(sloName)}SLO`,
            expr: `${expr}\n`,
            labels: sortedLabels({ sloth_severity: severity, ...sloth?.alertLabels, ...settings?.labels }),
            annotations: sortedLabels({
              title: `(${severity}) {{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is too fast.`,
              summary: '{{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is over expected.',
              ...sloth?.alertAnnotations,
              ...settings?.annotations,
            }),
          },
        ];
      });

  const groups: RuleGroup[] = options.disableRecordings
    ? []
    : [
        { name: `sloth-slo-sli-recordings-${id}`, rules: sli },
        { name: `sloth-slo-meta-recordings-${id}`, rules: meta },
      ];
  groups.push({ name: `sloth-slo-alerts-${id}`, rules: alerts });
  return groups.filter((group) => group.rules.length > 0);
}

/**
 * The multiwindow conditions with Sloth's factors: the share of the budget
 * (in percent) times the period in hours, over the long window in hours —
 * Sloth's getBurnRateFactor, whose floating-point results (5.6000000000000005
 * for 28 days) the rules reproduce. Conditions given as factors keep them.
 */
function slothConditions(slo: SloDefinition, periodMs: number): BurnRateCondition[] {
  const hours = periodMs / HOUR_MS;
  return slo.alerting.conditions.map((c) => ({
    ...c,
    factor: c.budgetShare === null ? c.factor : (c.budgetShare * 100 * hours) / 100 / (c.longWindowMs / HOUR_MS),
  }));
}

/** Sloth's own SLI expressions, text for text, for SLOs read from Sloth's specs (null for others). */
function slothErrorRatio(slo: SloDefinition, window: string): string | null {
  if (!slo.sloth) return null;
  const fill = (query: string | null) => (query ?? '').replace(WINDOW_PLACEHOLDER, window);
  const indicator = slo.indicator;
  if (indicator.kind === 'ratio' && indicator.bad) return `(${fill(indicator.bad.query)})\n/\n(${fill(indicator.total.query)})\n`;
  if (indicator.kind === 'raw-ratio') return `(${fill(indicator.raw.query)})`;
  return null;
}

/** Labels of Sextant-written SLOs made valid Prometheus label names. */
function promLabels(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(labels).map(([key, value]) => [key.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(?=[0-9])/, '_'), value]),
  );
}

/**
 * A float as Go's `%v`/`%g` prints it: the shortest digits that read back to
 * the same number, in exponent form (`1e-05`, `1e+06`) when the exponent is
 * below -4 or at least 6.
 */
export function goFloat(value: number): string {
  if (value === 0) return '0';
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? '+Inf' : '-Inf';
  const [mantissa = '', exponentText = '0'] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent >= -4 && exponent < 6) return String(value);
  return `${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
}

/** A duration as Prometheus prints it (model.Duration): `30d`, `4w` for 28 days, `1w`, `1d12h`; years and weeks only when exact. */
export function promDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  const day = 24 * HOUR_MS;
  for (const [unit, size, exact] of [
    ['y', 365 * day, true],
    ['w', 7 * day, true],
    ['d', day, false],
    ['h', HOUR_MS, false],
    ['m', 60_000, false],
    ['s', 1000, false],
    ['ms', 1, false],
  ] as const) {
    if (exact && rest % size !== 0) continue;
    const count = Math.floor(rest / size);
    if (count > 0) {
      out += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return out;
}

function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
