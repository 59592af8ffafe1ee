import { describe, expect, it } from 'vitest';
import { ValidationError } from '../shared/errors.js';
import { encodeCursor, pageByKey, type SortKey } from './pagination.js';

interface Row {
  at: number;
  id: string;
}
const newestFirst: SortKey<Row> = {
  of: (row) => [row.at, row.id],
  columns: [
    { kind: 'number', order: 'desc' },
    { kind: 'string', order: 'asc' },
  ],
};

describe('pageByKey', () => {
  // Twelve rows, three per instant, so ties on `at` are broken by `id`.
  const rows: Row[] = Array.from({ length: 12 }, (_, i) => ({ at: Math.floor(i / 3) * 1000, id: `r${i % 3}` }));
  // The same order worked out with a plain comparator, independently of compareKeys.
  const expected = [...rows].sort((a, b) => b.at - a.at || (a.id < b.id ? -1 : 1));

  it('walks every row once, in key order, whatever the page size', () => {
    for (const limit of [1, 2, 5, 12, 100]) {
      const seen: Row[] = [];
      let cursor: string | undefined;
      do {
        const page = pageByKey(rows, { limit, cursor }, newestFirst);
        expect(page.total).toBe(12);
        seen.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      expect(seen, `limit ${limit}`).toEqual(expected);
    }
  });

  it('continues after the last key even when rows were added before it', () => {
    const first = pageByKey(rows, { limit: 4 }, newestFirst);
    expect(first.items.map((r) => `${r.at}/${r.id}`)).toEqual(['3000/r0', '3000/r1', '3000/r2', '2000/r0']);
    const grown = [...rows, { at: 9000, id: 'new' }, { at: 2000, id: 'a' }];
    const second = pageByKey(grown, { limit: 2, cursor: first.nextCursor ?? undefined }, newestFirst);
    // 2000/a sorts before the cursor's 2000/r0, so it belongs to the first page's range and is not repeated either.
    expect(second.items.map((r) => `${r.at}/${r.id}`)).toEqual(['2000/r1', '2000/r2']);
  });

  it('rejects a cursor whose key does not have the list key shape', () => {
    for (const bad of ['not-base64-json', encodeCursor('r1'), encodeCursor(['r1', 'r1']), encodeCursor([1000])]) {
      expect(() => pageByKey(rows, { limit: 2, cursor: bad }, newestFirst)).toThrow(ValidationError);
    }
  });
});
