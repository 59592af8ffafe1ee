import zlib from 'node:zlib';
import { sql } from 'kysely';
import type { Store } from '../store/database.js';

/**
 * Answers of read routes marked `cache: true` (dashboard views such as the
 * delivery summary), kept until the stored data changes: any successful write
 * through this server, or a commit by another connection (`sextant sync` in
 * another process, a second server on the same PostgreSQL). An answer also
 * expires after `ttlMs`, because views default to windows ending now.
 * Identical requests that arrive while one is computed wait for it instead of
 * computing again. Keys are the full URL (path and query); answers are kept as
 * serialised JSON, at most `maxEntries` of them (least recently used goes).
 */
export interface ResponseCacheOptions {
  maxEntries?: number;
  ttlMs?: number;
}

/**
 * A kept answer: its JSON encoded once (UTF-8), gzip-compressed once when a
 * client first accepts that, and the response head of each encoding built once
 * by the server that sends it (register-routes.ts).
 */
export class CachedAnswer {
  private gzipped: Buffer | undefined;
  private readonly heads: { identity?: readonly string[]; gzip?: readonly string[] } = {};
  constructor(readonly json: Buffer) {}
  gzip(): Buffer {
    return (this.gzipped ??= zlib.gzipSync(this.json));
  }
  head(encoding: 'identity' | 'gzip', build: () => readonly string[]): readonly string[] {
    return (this.heads[encoding] ??= build());
  }
}

interface Entry {
  version: string;
  at: number;
  body: Promise<CachedAnswer>;
  /** The answer once computed, for `peek()`. */
  answer?: CachedAnswer;
}

export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  private localWrites = 0;
  private readonly maxEntries: number;
  private readonly ttlMs: number;

  constructor(
    private readonly store: Store,
    options: ResponseCacheOptions = {},
  ) {
    this.maxEntries = options.maxEntries ?? 256;
    this.ttlMs = options.ttlMs ?? 30_000;
  }

  /** A write through this server succeeded: every answer is stale. */
  invalidate(): void {
    this.localWrites++;
    this.entries.clear();
  }

  /**
   * The answer kept for `key` when it is still current (or being computed for
   * an identical request), else undefined. Asked before a request's input is
   * validated: only a URL that was valid, and answered, has an entry.
   */
  async lookup(key: string): Promise<CachedAnswer | undefined> {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const version = await this.version();
    if (entry.version !== version || Date.now() - entry.at >= this.ttlMs) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return await entry.body;
  }

  /**
   * `lookup()` without waiting: the answer kept for `key` when it is computed
   * and still current and the store's version can be read synchronously
   * (SQLite), else undefined (then ask `lookup()`/`get()`).
   */
  peek(key: string): CachedAnswer | undefined {
    const entry = this.entries.get(key);
    if (entry?.answer === undefined || Date.now() - entry.at >= this.ttlMs) return undefined;
    const external = this.store.dataVersion?.();
    if (external === undefined || entry.version !== `${this.localWrites}:${String(external)}`) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.answer;
  }

  /** The cached answer for `key`, or `compute()`'s, stored for the next request. `hit` says which. */
  async get(key: string, compute: () => Promise<string>): Promise<{ body: CachedAnswer; hit: boolean }> {
    const version = await this.version();
    const now = Date.now();
    const entry = this.entries.get(key);
    if (entry && entry.version === version && now - entry.at < this.ttlMs) {
      // Most recently used last, so the first key is the one to evict.
      this.entries.delete(key);
      this.entries.set(key, entry);
      return { body: await entry.body, hit: true };
    }
    const body = compute().then((text) => new CachedAnswer(Buffer.from(text)));
    const fresh: Entry = { version, at: now, body };
    void body.then(
      (answer) => (fresh.answer = answer),
      () => undefined,
    );
    this.entries.delete(key);
    this.entries.set(key, fresh);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    try {
      return { body: await body, hit: false };
    } catch (error) {
      // A failure is not an answer to keep.
      if (this.entries.get(key)?.body === body) this.entries.delete(key);
      throw error;
    }
  }

  /**
   * What the stored data's version is as far as this process can tell: its own
   * writes, plus SQLite's data_version (changes when another connection
   * commits) or, on PostgreSQL, the next transaction id the server will hand
   * out (it moves whenever any transaction writes, in any schema: answers are
   * recomputed more often than needed on a busy server, never served stale).
   */
  async version(): Promise<string> {
    const external =
      this.store.dialect === 'sqlite'
        ? (this.store.dataVersion?.() ??
          (await sql<{ data_version: number }>`pragma data_version`.execute(this.store.db)).rows[0]?.data_version)
        : (await sql<{ v: string }>`select pg_snapshot_xmax(pg_current_snapshot())::text as v`.execute(this.store.db)).rows[0]?.v;
    return `${this.localWrites}:${String(external)}`;
  }
}
