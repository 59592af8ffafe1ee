import type { Assessment } from './assess-deployments.js';
import { firstOfMonth, firstOfNextMonth, mondayOf, ZoneCalendar } from './calendar.js';
import { summariseDelivery, type DeliverySummary, type SummaryOptions } from './delivery-summary.js';
import type { TimeWindow } from './model.js';

export type TrendInterval = 'week' | 'month';

/**
 * The window cut into calendar weeks (Monday to Sunday) or months in the
 * summary's time zone, each summarised on its own. The first and last
 * buckets are clipped to the window.
 */
export function deliveryTrend(
  assessment: Assessment,
  window: TimeWindow,
  interval: TrendInterval,
  options: SummaryOptions,
): DeliverySummary[] {
  const calendar = new ZoneCalendar(options.timeZone);
  const lastDay = calendar.day(window.to - 1);
  const points: DeliverySummary[] = [];
  let day = interval === 'week' ? mondayOf(calendar.day(window.from)) : firstOfMonth(calendar.day(window.from));
  while (day <= lastDay) {
    const next = interval === 'week' ? day + 7 : firstOfNextMonth(day);
    const bucket = { from: Math.max(window.from, calendar.startOfDay(day)), to: Math.min(window.to, calendar.startOfDay(next)) };
    points.push(summariseDelivery(assessment, bucket, options));
    day = next;
  }
  return points;
}
