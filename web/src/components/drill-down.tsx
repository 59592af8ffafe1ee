import { useEffect, useState, type ReactNode } from 'react';
import { getJson } from '../api/client.js';
import { linkProps } from '../router.js';
import { DataTable, type Column } from './data-table.js';

/** The shape of every list endpoint: a page of items and the cursor of the next (null at the end). */
export interface ListPage<T> {
  items: T[];
  nextCursor: string | null;
  /** Rows in the whole list, where the endpoint documents it. */
  total?: number;
}

export type PagedList<T> =
  | { state: 'loading' }
  | { state: 'error'; error: Error }
  | { state: 'ready'; items: T[]; total: number | null; more: (() => void) | null; loadingMore: boolean };

/**
 * Reads a list endpoint page by page: the first page on mount (and when `path`
 * changes), the next one on `more()`, following `nextCursor`.
 */
export function usePagedList<T>(path: string | null, pageSize = 100): PagedList<T> {
  const [pages, setPages] = useState<{ path: string; items: T[]; total: number | null; next: string | null } | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  useEffect(() => {
    if (path === null) return;
    let cancelled = false;
    setPages(null);
    setError(null);
    getJson<ListPage<T>>(withPage(path, pageSize, null)).then(
      (page) => !cancelled && setPages({ path, items: page.items, total: page.total ?? null, next: page.nextCursor }),
      (e: Error) => !cancelled && setError(e),
    );
    return () => {
      cancelled = true;
    };
  }, [path, pageSize]);
  if (error) return { state: 'error', error };
  if (pages === null || pages.path !== path) return { state: 'loading' };
  const next = pages.next;
  const more =
    next === null || loadingMore
      ? null
      : () => {
          setLoadingMore(true);
          getJson<ListPage<T>>(withPage(pages.path, pageSize, next)).then(
            (page) => {
              setPages((current) =>
                current && current.path === pages.path
                  ? { ...current, items: [...current.items, ...page.items], next: page.nextCursor }
                  : current,
              );
              setLoadingMore(false);
            },
            (e: Error) => {
              setError(e);
              setLoadingMore(false);
            },
          );
        };
  return { state: 'ready', items: pages.items, total: pages.total, more, loadingMore };
}

function withPage(path: string, limit: number, cursor: string | null): string {
  const separator = path.includes('?') ? '&' : '?';
  return `${path}${separator}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
}

/**
 * The rows behind a number: a titled, closable panel with the row count, a
 * sortable table of the rows loaded so far, and a button for the next page.
 */
export function DrillDownList<T>({
  title,
  closeHref,
  list,
  columns,
  rowKey,
  view,
}: {
  title: ReactNode;
  closeHref?: string;
  list: PagedList<T>;
  columns: ReadonlyArray<Column<T>>;
  rowKey: (row: T, index: number) => string;
  /** Names the list for tests (`data-view`). */
  view?: string;
}) {
  return (
    <div id="rows">
      <h2>
        {title}
        {closeHref !== undefined && (
          <span className="filter-chip">
            <a {...linkProps(closeHref)}>close</a>
          </span>
        )}
      </h2>
      {list.state === 'loading' && <p className="muted">Loading rows…</p>}
      {list.state === 'error' && <p className="error">{list.error.message}</p>}
      {list.state === 'ready' && (
        <>
          <p className="muted small" data-testid="rows-total" data-view={view} data-total={list.total ?? list.items.length}>
            {list.total ?? list.items.length} rows
            {list.total !== null && list.total > list.items.length ? `, the first ${list.items.length} shown` : ''}
          </p>
          <DataTable columns={columns} rows={list.items} rowKey={rowKey} testId="rows-table" />
          {list.more && (
            <button type="button" className="more-button" onClick={list.more}>
              Show more rows
            </button>
          )}
          {list.loadingMore && <p className="muted">Loading more rows…</p>}
        </>
      )}
    </div>
  );
}
