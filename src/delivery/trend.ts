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
  return trendBuckets(window, interval, options.timeZone).map((bucket) => summariseDelivery(assessment, bucket, options));
}

/** The calendar weeks or months of the window in `timeZone`, the first and last clipped to it. */
export function trendBuckets(window: TimeWindow, interval: TrendInterval, timeZone: SummaryOptions['timeZone']): TimeWindow[] {
  const calendar = new ZoneCalendar(timeZone);
  const lastDay = calendar.day(window.to - 1);
  const buckets: TimeWindow[] = [];
  let day = interval === 'week' ? mondayOf(calendar.day(window.from)) : firstOfMonth(calendar.day(window.from));
  while (day <= lastDay) {
    const next = interval === 'week' ? day + 7 : firstOfNextMonth(day);
    buckets.push({ from: Math.max(window.from, calendar.startOfDay(day)), to: Math.min(window.to, calendar.startOfDay(next)) });
    day = next;
  }
  return buckets;
}
