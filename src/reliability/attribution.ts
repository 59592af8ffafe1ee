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
