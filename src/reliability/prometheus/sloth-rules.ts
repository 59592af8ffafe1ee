import { WORKBOOK_TIERS, workbookConditions } from '../alert-conditions.js';
import { nominalMs, prometheusRange } from '../duration.js';
import type { SloDefinition } from '../model.js';
import { labelName, selector, windowedQueries } from './promql.js';
import { sortedLabels, type AlertingRule, type RecordingRule, type RuleFile, type RuleGroup } from './rule-file.js';

/**
 * Rules with Sloth's names, labels and expressions (Sloth's `prometheus/v1`
 * generator), so dashboards and alert routes built on Sloth keep working:
 * `slo:sli_error:ratio_rate<w>` per window with `sloth_id`, `sloth_service`,
 * `sloth_slo` and `sloth_window` labels, the `slo:*` meta recordings,
 * `sloth_slo_info`, and one alert per severity (page, ticket) named by
 * `alerting.name`. Like Sloth, the period ratio is the average of the
 * 5-minute ratios (`sum_over_time / count_over_time`); Sextant's default rules
 * weight it by traffic instead.
 */
export const SLOTH_COMPAT_VERSION = 'sextant-compat';
const SLI_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'];

export function slothRules(slos: readonly SloDefinition[]): RuleFile {
  return { groups: slos.flatMap(slothGroups) };
}

function slothGroups(slo: SloDefinition): RuleGroup[] {
  const sloth = slo.sloth;
  const service = sloth?.service ?? slo.service;
  const sloName = sloth?.slo ?? slo.name;
  const id = sloth?.id ?? `${service}-${sloName}`;
  const objectivePercent = sloth?.objectivePercent ?? slo.target * 100;
  // Sloth computes both from the percentage; keeping its arithmetic keeps its numbers (0.9990000000000001, 0.0009999999999999432).
  const objective = objectivePercent / 100;
  const errorBudget = (100 - objectivePercent) / 100;
  const userLabels = sloth?.labels ?? Object.fromEntries(Object.entries(slo.labels).map(([key, value]) => [labelName(key), value]));
  const ids = { sloth_id: id, sloth_service: service, sloth_slo: sloName };
  const match = selector(ids);
  const periodMs = nominalMs(slo.window.duration);
  const period = prometheusRange(periodMs);
  const queries = windowedQueries(slo);

  const sli: RecordingRule[] = SLI_WINDOWS.map((w) => ({
    record: `slo:sli_error:ratio_rate${w}`,
    expr: `${queries.errorRatio(w)}\n`,
    labels: sortedLabels({ ...userLabels, ...ids, sloth_window: w }),
  }));
  sli.push({
    record: `slo:sli_error:ratio_rate${period}`,
    expr: `sum_over_time(slo:sli_error:ratio_rate5m${match}[${period}])\n/ ignoring (sloth_window)\ncount_over_time(slo:sli_error:ratio_rate5m${match}[${period}])\n`,
    // Sloth labels this rule with sloth_window only; with several SLOs in one file promtool then
    // reports duplicate rules. The ids repeat what the series carry anyway, so queries are unchanged.
    labels: sortedLabels({ ...ids, sloth_window: period }),
  });

  const metaLabels = sortedLabels({ ...userLabels, ...ids });
  const meta: RecordingRule[] = [
    { record: 'slo:objective:ratio', expr: `vector(${objective})`, labels: metaLabels },
    { record: 'slo:error_budget:ratio', expr: `vector(1-${objective})`, labels: metaLabels },
    { record: 'slo:time_period:days', expr: `vector(${periodMs / 86_400_000})`, labels: metaLabels },
    {
      record: 'slo:current_burn_rate:ratio',
      expr: `slo:sli_error:ratio_rate5m${match}\n/ on(sloth_id, sloth_slo, sloth_service) group_left\nslo:error_budget:ratio${match}\n`,
      labels: metaLabels,
    },
    {
      record: 'slo:period_burn_rate:ratio',
      expr: `slo:sli_error:ratio_rate${period}${match}\n/ on(sloth_id, sloth_slo, sloth_service) group_left\nslo:error_budget:ratio${match}\n`,
      labels: metaLabels,
    },
    { record: 'slo:period_error_budget_remaining:ratio', expr: `1 - slo:period_burn_rate:ratio${match}`, labels: metaLabels },
    {
      record: 'sloth_slo_info',
      expr: 'vector(1)',
      labels: sortedLabels({
        ...metaLabels,
        sloth_mode: 'cli-gen-prom',
        sloth_objective: String(objectivePercent),
        sloth_spec: 'prometheus/v1',
        sloth_version: SLOTH_COMPAT_VERSION,
      }),
    },
  ];

  const alertName = sloth?.alertName ?? `${pascalCase(sloName)}SLO`;
  const conditions = workbookConditions(periodMs);
  const alerts: AlertingRule[] = (['page', 'ticket'] as const).flatMap((severity): AlertingRule[] => {
    const settings = sloth?.[severity];
    if (settings?.disabled) return [];
    const pair = conditions.filter((_, index) => WORKBOOK_TIERS[index]?.tier === severity);
    const branches = pair.map((c) => {
      const check = (ms: number) => `(slo:sli_error:ratio_rate${prometheusRange(ms)}${match} > (${c.factor} * ${errorBudget}))`;
      return `(\n    ${check(c.shortWindowMs)}\n    and ignoring (sloth_window)\n    ${check(c.longWindowMs)}\n)`;
    });
    return [
      {
        alert: alertName,
        expr: `${branches.join('\nor ignoring (sloth_window)\n')}\n`,
        labels: sortedLabels({ ...sloth?.alertLabels, ...settings?.labels, sloth_severity: severity }),
        annotations: sortedLabels({
          summary: '{{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is over expected.',
          title: `(${severity}) {{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is too fast.`,
          ...sloth?.alertAnnotations,
          ...settings?.annotations,
        }),
      },
    ];
  });

  return [
    { name: `sloth-slo-sli-recordings-${id}`, rules: sli },
    { name: `sloth-slo-meta-recordings-${id}`, rules: meta },
    { name: `sloth-slo-alerts-${id}`, rules: alerts },
  ];
}

function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
