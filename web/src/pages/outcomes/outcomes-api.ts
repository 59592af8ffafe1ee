import { ApiError, type Problem } from '../../api/client.js';

const TOKEN_KEY = 'sextant.token';

export function storedToken(): string | null {
  return window.localStorage.getItem(TOKEN_KEY);
}

/** A write with the stored token; problems become ApiError like reads. */
export async function sendJson<T>(method: 'PUT' | 'POST', path: string, body: unknown): Promise<T | null> {
  const token = storedToken();
  const response = await fetch(path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (response.status === 204) return null;
  const parsed: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    throw new ApiError(
      (parsed as Problem | null) ?? { type: 'about:blank', title: response.statusText, status: response.status, detail: '' },
    );
  }
  return parsed as T;
}

/** The last completed Monday-Sunday week: its Sunday, YYYY-MM-DD (UTC, like the API's default). */
export function lastSunday(now = Date.now()): string {
  const today = Math.floor(now / 86_400_000);
  const weekday = (((today + 3) % 7) + 7) % 7;
  return new Date((today - weekday - 1) * 86_400_000).toISOString().slice(0, 10);
}

export const RULE_TEXT: Record<number, string> = { 1: 'beyond a limit', 2: '3 of 4 near a limit', 3: '8 on one side' };
