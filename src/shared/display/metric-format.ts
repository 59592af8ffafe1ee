/**
 * How the review, the readouts, the CLI and the dashboard print metric values
 * (one place, so a readout and the page agree): rates as percentages and their
 * changes in basis points, everything else with two decimals and % change.
 *
 * src/shared/display/ is the one folder the dashboard may import besides its
 * own: pure functions that import nothing outside this folder (checked by
 * scripts/check-imports.mjs), so the page bundles them as they are.
 */
type Unit = 'count' | 'ratio' | 'percent' | 'currency' | 'duration';

export function formatValue(unit: Unit, value: number | null): string {
  if (value === null) return '–';
  if (unit === 'ratio' || unit === 'percent') return `${round(value * 100, 2)}%`;
  if (unit === 'duration') return `${round(value, 2)} h`;
  if (unit === 'currency') return round(value, 2).toLocaleString('en-US');
  return round(value, 2).toLocaleString('en-US');
}

/** % change for counts, basis points for rates. */
export function formatChange(unit: Unit, change: number | null): string {
  if (change === null) return '–';
  if (unit === 'ratio' || unit === 'percent') return `${change >= 0 ? '+' : ''}${Math.round(change)} bp`;
  return `${change >= 0 ? '+' : ''}${round(change * 100, 1)}%`;
}

export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** The figures of a metric's box (outcomes' BoxTotals), in the order the review shows them. */
export type BoxKey =
  | 'lastWeek'
  | 'weekOverWeek'
  | 'yoyWeek'
  | 'monthToDate'
  | 'yoyMonthToDate'
  | 'quarterToDate'
  | 'yoyQuarterToDate'
  | 'yearToDate'
  | 'yoyYearToDate';

export const BOX_ROWS: Array<[BoxKey, string, 'value' | 'change']> = [
  ['lastWeek', 'Last week', 'value'],
  ['weekOverWeek', 'WoW', 'change'],
  ['yoyWeek', 'YoY (week)', 'change'],
  ['monthToDate', 'MTD', 'value'],
  ['yoyMonthToDate', 'YoY (MTD)', 'change'],
  ['quarterToDate', 'QTD', 'value'],
  ['yoyQuarterToDate', 'YoY (QTD)', 'change'],
  ['yearToDate', 'YTD', 'value'],
  ['yoyYearToDate', 'YoY (YTD)', 'change'],
];
