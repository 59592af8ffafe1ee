import { roundFactor, sortTiers } from '../alert-conditions.js';
import { nominalMs, prometheusRange } from '../duration.js';
import { BURN_WINDOWS, type SloDefinition } from '../model.js';
import { labelName, selector, windowedQueries } from './promql.js';
import { sortedLabels, type AlertingRule, type RecordingRule, type RuleFile, type RuleGroup } from './rule-file.js';

/**
 * Sextant's Prometheus rules for an SLO. Per window w (the status windows and
 * every alert window) three recordings:
 *
 *   sextant:slo_errors:rate<w>       bad events per second over w
 *   sextant:slo_events:rate<w>       all events per second over w
 *   sextant:slo_error_ratio:rate<w>  errors / events
 *
 * The period's error ratio is traffic-weighted: the summed error rates over
 * the summed event rates of the 5-minute recordings across the period, i.e.
 * counter increases over counter increases — not an average of 5-minute
 * ratios, which would let a quiet night outweigh a busy afternoon.
 *
 * One alert per tier (`ErrorBudgetBurn`, labels `severity` and `sextant_tier`):
 * the tier's conditions are OR-ed, so an outage that trips both page
 * conditions pages once. A condition needs both windows above its factor and,
 * for count-based SLIs, at least `minEvents` events in the long window.
 */
export const ALERT_NAME = 'ErrorBudgetBurn';
const PERIOD_SAMPLE_WINDOW = '5m';

export function sextantRules(slos: readonly SloDefinition[]): RuleFile {
  return { groups: slos.flatMap(sloGroups) };
}

function sloGroups(slo: SloDefinition): RuleGroup[] {
  const queries = windowedQueries(slo);
  const labels = sortedLabels({
    ...Object.fromEntries(Object.entries(slo.labels).map(([key, value]) => [labelName(key), value])),
    sextant_service: slo.service,
    sextant_slo: slo.name,
  });
  const match = selector({ sextant_slo: slo.name, sextant_service: slo.service });
  const counted = queries.eventRate('5m') !== null;
  const windows = [
    ...new Set([
      ...BURN_WINDOWS.map((w) => w),
      ...slo.alerting.conditions.flatMap((c) => [c.longWindowMs, c.shortWindowMs].map(prometheusRange)),
    ]),
  ];
  const periodMs = nominalMs(slo.window.duration);
  // 1 - 0.999 is 0.0010000000000000009 in binary floating point; rules read better with 0.001.
  const budget = roundFactor(1 - slo.target);
  const period = prometheusRange(periodMs);

  const sli: RecordingRule[] = windows.flatMap((w): RecordingRule[] => {
    if (!counted) return [{ record: `sextant:slo_error_ratio:rate${w}`, expr: queries.errorRatio(w), labels }];
    return [
      { record: `sextant:slo_errors:rate${w}`, expr: queries.errorRate(w) as string, labels },
      { record: `sextant:slo_events:rate${w}`, expr: queries.eventRate(w) as string, labels },
      {
        record: `sextant:slo_error_ratio:rate${w}`,
        expr: `sextant:slo_errors:rate${w}${match}\n/\nsextant:slo_events:rate${w}${match}`,
        labels,
      },
    ];
  });

  const periodRatio = counted
    ? `sum_over_time(sextant:slo_errors:rate${PERIOD_SAMPLE_WINDOW}${match}[${period}])\n/\nsum_over_time(sextant:slo_events:rate${PERIOD_SAMPLE_WINDOW}${match}[${period}])`
    : // A ratio without counts cannot be weighted by traffic: the time average is all there is.
      `avg_over_time(sextant:slo_error_ratio:rate${PERIOD_SAMPLE_WINDOW}${match}[${period}])`;
  const meta: RecordingRule[] = [
    { record: 'sextant:slo_objective:ratio', expr: `vector(${slo.target})`, labels },
    { record: 'sextant:slo_error_budget:ratio', expr: `vector(${budget})`, labels },
    { record: 'sextant:slo_period:seconds', expr: `vector(${periodMs / 1000})`, labels },
    { record: 'sextant:slo_error_ratio:period', expr: periodRatio, labels },
    {
      record: 'sextant:slo_period_burn_rate:ratio',
      expr: `sextant:slo_error_ratio:period${match}\n/\nsextant:slo_error_budget:ratio${match}`,
      labels,
    },
    { record: 'sextant:slo_period_error_budget_remaining:ratio', expr: `1 - sextant:slo_period_burn_rate:ratio${match}`, labels },
  ];

  const alerts: AlertingRule[] = sortTiers(slo.alerting.conditions.map((c) => c.tier)).map((tier) => {
    const conditions = slo.alerting.conditions.filter((c) => c.tier === tier);
    const branches = conditions.map((c) => {
      const long = prometheusRange(c.longWindowMs);
      const short = prometheusRange(c.shortWindowMs);
      const threshold = `(${c.factor} * ${budget})`;
      const parts = [
        `sextant:slo_error_ratio:rate${long}${match} > ${threshold}`,
        `sextant:slo_error_ratio:rate${short}${match} > ${threshold}`,
      ];
      if (counted && slo.alerting.minEvents > 0) {
        parts.push(`sextant:slo_events:rate${long}${match} * ${c.longWindowMs / 1000} >= ${slo.alerting.minEvents}`);
      }
      return `(\n  ${parts.join('\n  and\n  ')}\n)`;
    });
    const forMs = Math.max(...conditions.map((c) => c.forMs));
    return {
      alert: ALERT_NAME,
      expr: branches.join('\nor\n'),
      ...(forMs > 0 ? { for: prometheusRange(forMs) } : {}),
      // sextant_slo is on the series already; repeating it keeps the rules distinct for promtool's duplicate check.
      labels: { severity: tier, sextant_slo: slo.name, sextant_tier: tier },
      annotations: {
        summary: `${slo.displayName}: error budget burning too fast (${tier})`,
        description: `SLO ${slo.name} of service ${slo.service} (target ${slo.target}, ${slo.window.duration.text} window) burns its error budget faster than the ${tier} tier allows.`,
      },
    };
  });

  const id = `${slo.service}-${slo.name}`;
  return [
    { name: `sextant-slo-sli-recordings-${id}`, rules: sli },
    { name: `sextant-slo-meta-recordings-${id}`, rules: meta },
    { name: `sextant-slo-alerts-${id}`, rules: alerts },
  ];
}
