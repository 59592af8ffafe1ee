import { describe, expect, it } from 'vitest';
import { alignedTrends, type HotspotRow } from './codebase-charts.js';

const row = (entity: string, trend?: Array<[string, number]>): HotspotRow =>
  ({
    entity,
    nRevs: 1,
    lines: 1,
    complexityMean: 1,
    score: 1,
    trend: trend?.map(([month, revisions]) => ({ month, revisions })),
  }) as HotspotRow;

describe('hotspot sparklines', () => {
  it('share one month range ending at the latest month, so columns compare', () => {
    const { months, counts } = alignedTrends([
      row('a', [
        ['2025-11', 2],
        ['2025-12', 0],
        ['2026-01', 5],
      ]),
      row('b', [['2025-12', 1]]),
      row('c'),
    ]);
    expect(months).toEqual(['2025-11', '2025-12', '2026-01']);
    expect(counts.get('a')).toEqual([2, 0, 5]);
    expect(counts.get('b')).toEqual([0, 1, 0]);
    expect(counts.get('c')).toEqual([0, 0, 0]);
  });

  it('stay bounded on a long history: the last 24 months only', () => {
    const long = Array.from({ length: 120 }, (_, i): [string, number] => [
      `${2016 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`,
      i,
    ]);
    const { months, counts } = alignedTrends([row('old', long)]);
    expect(months).toHaveLength(24);
    expect(months[0]).toBe('2024-01');
    expect(months[23]).toBe('2025-12');
    expect(counts.get('old')?.[23]).toBe(119);
  });
});
