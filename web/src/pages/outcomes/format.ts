import type { BoxTotals, MetricDefinition } from '../../api/types.js';

/**
 * How the page prints numbers, as the readouts and the CLI do
 * (src/outcomes/format.ts; format.test.ts checks the two agree): rates as
 * percentages and their changes in basis points, everything else with two
 * decimals and % change.
 */
type Unit = MetricDefinition['unit'];

export function formatValue(unit: Unit, value: number | null): string {
  if (value === null) return '–';
  if (unit === 'ratio' || unit === 'percent') return `${round(value * 100, 2)}%`;
  if (unit === 'duration') return `${round(value, 2)} h`;
  return round(value, 2).toLocaleString('en-US');
}

/** % change for counts, basis points for rates. */
export function formatChange(unit: Unit, change: number | null): string {
  if (change === null) return '–';
  if (unit === 'ratio' || unit === 'percent') return `${change >= 0 ? '+' : ''}${Math.round(change)} bp`;
  return `${change >= 0 ? '+' : ''}${round(change * 100, 1)}%`;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export const BOX_ROWS: Array<[keyof BoxTotals, string, 'value' | 'change']> = [
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
