import { ValidationError } from '../shared/errors.js';

/**
 * Keyset pagination: a cursor encodes the sort key of the last row of a page,
 * and the next page starts strictly after that key. Pages stay consistent
 * while rows are added, unlike offsets (a row inserted before the offset
 * would shift every later page by one).
 */
export interface PageRequest {
  limit: number;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string | undefined;
}

export interface Page<T> {
  items: T[];
  /** Present when more items follow; pass it back as `cursor`. */
  nextCursor: string | null;
}

export const DEFAULT_PAGE_LIMIT = 100;
export const MAX_PAGE_LIMIT = 1000;

/** One component of a sort key. */
export type KeyPart = string | number;
/** The columns of a sort key: each one's kind (checked when a cursor is decoded) and direction. */
export type KeyColumns = ReadonlyArray<{ kind: 'string' | 'number'; order: 'asc' | 'desc' }>;

/** How rows of a computed list are sorted: a key unique per row, column by column. */
export interface SortKey<T> {
  of(row: T): KeyPart[];
  columns: KeyColumns;
}

export function encodeCursor(lastKey: KeyPart | readonly KeyPart[]): string {
  return Buffer.from(JSON.stringify({ k: lastKey }), 'utf8').toString('base64url');
}

/** The key of a single-column cursor (an entity id). */
export function decodeCursor(cursor: string): string {
  const key = decodeKey(cursor);
  if (typeof key === 'string') return key;
  throw invalidCursor();
}

/** The key of a multi-column cursor, checked against the kinds of the key's columns. */
export function decodeKeyCursor(cursor: string, kinds: ReadonlyArray<'string' | 'number'>): KeyPart[] {
  const key = decodeKey(cursor);
  if (Array.isArray(key) && key.length === kinds.length && key.every((part, i) => typeof part === kinds[i])) return key as KeyPart[];
  throw invalidCursor();
}

function decodeKey(cursor: string): unknown {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && 'k' in parsed) return parsed.k;
  } catch {
    // fall through to the error below
  }
  throw invalidCursor();
}

function invalidCursor(): ValidationError {
  return new ValidationError('Invalid cursor', [{ field: 'query.cursor', message: 'is not a cursor returned by this API' }]);
}

/** Given `limit + 1` rows fetched after the cursor, cuts the page and computes the next cursor. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => string): Page<T> {
  const hasMore = rows.length > limit;
  const items = hasMore ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { items, nextCursor: hasMore && last !== undefined ? encodeCursor(keyOf(last)) : null };
}

/** Compares two sort keys column by column in the given order: negative when `a` comes first. */
export function compareKeys(a: readonly KeyPart[], b: readonly KeyPart[], columns: KeyColumns): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as KeyPart;
    const y = b[i] as KeyPart;
    if (x === y) continue;
    const ascending = x < y ? -1 : 1;
    return columns[i]?.order === 'desc' ? -ascending : ascending;
  }
  return 0;
}

/**
 * Sorts a list computed in memory (a metric's drill-down rows) by a unique
 * key and pages it by keyset: the page after a cursor starts at the first row
 * whose key sorts after the cursor's. `total` counts every row of the list;
 * it costs nothing here because the whole list was computed anyway.
 */
export function pageByKey<T>(rows: readonly T[], request: PageRequest, key: SortKey<T>): Page<T> & { total: number } {
  const keyed = rows.map((row) => ({ row, key: key.of(row) }));
  keyed.sort((a, b) => compareKeys(a.key, b.key, key.columns));
  let start = 0;
  if (request.cursor !== undefined) {
    const after = decodeKeyCursor(
      request.cursor,
      key.columns.map((column) => column.kind),
    );
    // Binary search for the first key after the cursor's.
    let high = keyed.length;
    while (start < high) {
      const middle = (start + high) >>> 1;
      if (compareKeys((keyed[middle] as { key: KeyPart[] }).key, after, key.columns) <= 0) start = middle + 1;
      else high = middle;
    }
  }
  const slice = keyed.slice(start, start + request.limit);
  const last = slice[slice.length - 1];
  return {
    total: rows.length,
    items: slice.map((entry) => entry.row),
    nextCursor: start + request.limit < keyed.length && last !== undefined ? encodeCursor(last.key) : null,
  };
}
