import { budgetConsumed, measure } from './budget.js';
import { floorToMinute } from './counts.js';
import { budgetOf, type SloContext } from './evaluate.js';
import { subtractIntervals, windowAt, type Interval } from './windows.js';

/** Budget spent during a span (an incident, the hours after a deployment). */
export interface SpanSpend {
  start: number;
  end: number;
  /** Bad events (or bad slices) inside the span, maintenance excluded. */
  spent: number;
  /** The allowance of the SLO window that ends where the span ends. */
  allowed: number;
  /** spent / allowed: 0.25 = the span spent a quarter of the budget. */
  share: number;
}

/**
 * How much of the error budget a span spent: bad units inside it, over the
 * allowance of the SLO window ending at the span's end (the budget the span
 * drew from). The same rules as the status: Occurrences count events,
 * Timeslices whole bad slices, with maintenance minutes cut out.
 */
export function budgetSpentDuring(context: SloContext, span: Interval): SpanSpend {
  const { definition, excluded } = context;
  const start = floorToMinute(span[0]);
  const end = Math.ceil(span[1] / 60_000) * 60_000;
  const spentIn = measure(definition, context.source, subtractIntervals([start, end], excluded));
  const window = windowAt(definition.window, end);
  const elapsed = measure(definition, context.source, subtractIntervals([window.start, end], excluded));
  const { allowed } = budgetOf(definition, elapsed, [window.start, window.start + window.periodMs], excluded);
  return { start, end, spent: spentIn.bad, allowed, share: budgetConsumed(spentIn.bad, allowed) };
}

/** What spent a budget: incidents (their span) and deployments (the hours after them). */
export interface AttributionInput {
  incidents: ReadonlyArray<{ id: string; start: number; end: number | null }>;
  deployments: ReadonlyArray<{ id: string; at: number }>;
}

export interface Attribution {
  kind: 'incident' | 'deployment';
  id: string;
  spend: SpanSpend;
}

/** How long after a deployment its budget spend is counted. */
export const HOURS_AFTER_DEPLOYMENT = 2;

/**
 * Budget spent during each incident (start to resolution, or to `at` while
 * open) and in the hours after each deployment (to the next deployment at
 * the latest, so two deployments never share a minute), most spend first.
 * Spans may overlap across kinds: an incident caused by a deployment shows
 * under both.
 */
export function attributeBudget(
  context: SloContext,
  at: number,
  input: AttributionInput,
  hoursAfterDeployment = HOURS_AFTER_DEPLOYMENT,
): Attribution[] {
  const deployments = [...input.deployments].filter((d) => d.at < at).sort((a, b) => a.at - b.at);
  const attributions: Attribution[] = [
    ...input.incidents
      .filter((incident) => incident.start < at)
      .map((incident) => ({
        kind: 'incident' as const,
        id: incident.id,
        spend: budgetSpentDuring(context, [incident.start, Math.min(incident.end ?? at, at)]),
      })),
    ...deployments.map((deployment, index) => {
      const next = deployments[index + 1]?.at ?? Infinity;
      const end = Math.min(deployment.at + hoursAfterDeployment * 3_600_000, next, at);
      return { kind: 'deployment' as const, id: deployment.id, spend: budgetSpentDuring(context, [deployment.at, end]) };
    }),
  ];
  return attributions.sort((a, b) => b.spend.share - a.spend.share || a.id.localeCompare(b.id));
}
