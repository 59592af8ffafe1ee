import { useEffect, useState } from 'react';

/** An RFC 9457 problem from the API. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: Array<{ field: string; message: string }>;
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail || problem.title);
  }
}

const TOKEN_KEY = 'sextant.token';

/** A token is needed for reads only when the server listens beyond loopback. */
export function setToken(token: string | null): void {
  if (token) window.localStorage.setItem(TOKEN_KEY, token);
  else window.localStorage.removeItem(TOKEN_KEY);
}

export async function getJson<T>(path: string): Promise<T> {
  const token = window.localStorage.getItem(TOKEN_KEY);
  const response = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    throw new ApiError(
      (body as Problem | null) ?? { type: 'about:blank', title: response.statusText, status: response.status, detail: '' },
    );
  }
  return body as T;
}

export type Loadable<T> = { state: 'loading' } | { state: 'error'; error: ApiError | Error } | { state: 'ready'; data: T };

/** Fetches on mount and whenever `path` changes. */
export function useApi<T>(path: string | null): Loadable<T> {
  const [result, setResult] = useState<Loadable<T>>({ state: 'loading' });
  useEffect(() => {
    if (path === null) return;
    let cancelled = false;
    setResult({ state: 'loading' });
    getJson<T>(path).then(
      (data) => !cancelled && setResult({ state: 'ready', data }),
      (error: Error) => !cancelled && setResult({ state: 'error', error }),
    );
    return () => {
      cancelled = true;
    };
  }, [path]);
  return result;
}

/** Fetches every page of a cursor-paginated list. */
export async function getAll<T>(path: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const page: { items: T[]; nextCursor: string | null } = await getJson(
      `${path}${separator}limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}
