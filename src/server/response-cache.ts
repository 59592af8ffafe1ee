import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import zlib from 'node:zlib';
import { sql } from 'kysely';
import type { Access } from '../kit/routes.js';
import type { Store } from '../store/database.js';

/**
 * Answers of read routes marked `cache: true` (dashboard views such as the
 * delivery summary), kept until the stored data changes: any successful write
 * through this server, or a commit by another connection (`sextant sync` in
 * another process, a second server on the same PostgreSQL; seen within
 * `versionCheckMs`, 1 ms). An answer also
 * expires after `ttlMs`, because views default to windows ending now.
 * Identical requests that arrive while one is computed wait for it instead of
 * computing again. Keys are the full URL (path and query); answers are kept as
 * serialised JSON, at most `maxEntries` of them (least recently used goes).
 */
export interface ResponseCacheOptions {
  maxEntries?: number;
  ttlMs?: number;
  /**
   * How long the store's version, once read, stands for the commits of other
   * connections (1 ms by default): a commit by another process is seen by
   * every request that arrives more than this after it. Reading SQLite's
   * data_version costs three system calls (a WAL read lock, its release, a
   * stat) and PostgreSQL's a round trip; at thousands of hits a second that
   * was a fifth of a hit's cost. This server's own writes are seen at once.
   */
  versionCheckMs?: number;
}

/** What the server writes for a hit in one encoding: the head as name/value pairs, and the body as a latin1 string (one byte per character). */
export interface HitReply {
  head: readonly string[];
  body: string;
}

/** The route an answer came from: its template (for metrics) and who may read it. */
export interface AnswerOrigin {
  route: string;
  access: Access;
}

/**
 * A kept answer: its JSON encoded once (UTF-8), gzip-compressed once when a
 * client first accepts that, and what a hit writes in each encoding built once
 * by the server that sends it (kept-reads.ts).
 */
export class CachedAnswer {
  private gzipped: Buffer | undefined;
  private tag: string | undefined;
  private readonly hitReplies: { identity?: HitReply; gzip?: HitReply; notModified?: HitReply } = {};
  constructor(
    readonly json: Buffer,
    readonly origin: AnswerOrigin,
  ) {}
  /**
   * A weak entity tag of the JSON (the same for both encodings): a browser
   * that holds this answer asks again with If-None-Match and gets 304 with no
   * body. Derived from the content, so an answer computed again unchanged
   * (after a write elsewhere, or the time-to-live) still matches.
   */
  etag(): string {
    return (this.tag ??= `W/"${createHash('sha256').update(this.json).digest('base64url').slice(0, 27)}"`);
  }
  /** Whether an If-None-Match header names this answer (or is `*`). */
  matches(ifNoneMatch: string | undefined): boolean {
    if (!ifNoneMatch) return false;
    const tag = this.etag();
    return ifNoneMatch.split(',').some((t) => {
      const trimmed = t.trim();
      return trimmed === '*' || trimmed === tag || `W/${trimmed}` === tag;
    });
  }
  gzip(): Buffer {
    return (this.gzipped ??= zlib.gzipSync(this.json));
  }
  hitReply(encoding: 'identity' | 'gzip' | 'notModified', build: () => HitReply): HitReply {
    return (this.hitReplies[encoding] ??= build());
  }
}

interface Entry {
  /** The version the answer was computed at: this server's write count and the store's own version. */
  writes: number;
  external: unknown;
  at: number;
  body: Promise<CachedAnswer>;
  /** The answer once computed, for `peek()`. */
  answer?: CachedAnswer;
  /** When last asked for, in lookups: the entry asked for least recently goes first. */
  usedAt: number;
}

export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  private localWrites = 0;
  private lookups = 0;
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly versionCheckMs: number;
  /** The store's version as last read, and when the read began (performance.now()). */
  private version: { value: unknown; readAt: number } | undefined;
  /** Counts invalidations, so that a version read begun before a write is not kept after it. */
  private writeEpoch = 0;

  constructor(
    private readonly store: Store,
    options: ResponseCacheOptions = {},
  ) {
    this.maxEntries = options.maxEntries ?? 256;
    this.ttlMs = options.ttlMs ?? 30_000;
    this.versionCheckMs = options.versionCheckMs ?? 1;
  }

  /** A write through this server succeeded: every answer is stale. */
  invalidate(): void {
    this.localWrites++;
    this.entries.clear();
    // The write moved the store's version too: answers computed from now on record the new one.
    this.version = undefined;
    this.writeEpoch++;
  }

  /**
   * The answer kept for `key` when it is still current (or being computed for
   * an identical request), else undefined. Asked before a request's input is
   * validated: only a URL that was valid, and answered, has an entry.
   */
  async lookup(key: string): Promise<CachedAnswer | undefined> {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const external = await this.externalVersion();
    return this.isCurrent(entry, external, Date.now()) ? await entry.body : undefined;
  }

  /**
   * `lookup()` without waiting: the answer kept for `key` when it is computed
   * and still current and the store's version is known without waiting (read
   * within the last `versionCheckMs`, or SQLite's, read synchronously), else
   * undefined (then ask `lookup()`/`get()`).
   */
  peek(key: string): CachedAnswer | undefined {
    const entry = this.entries.get(key);
    if (entry?.answer === undefined) return undefined;
    const external = this.knownVersion();
    return external !== undefined && this.isCurrent(entry, external.value, Date.now()) ? entry.answer : undefined;
  }

  /** The cached answer for `key`, or `compute()`'s, stored for the next request. `hit` says which. */
  async get(key: string, compute: () => Promise<string>, origin: AnswerOrigin): Promise<{ body: CachedAnswer; hit: boolean }> {
    const writes = this.localWrites;
    const external = await this.externalVersion();
    const now = Date.now();
    const entry = this.entries.get(key);
    if (entry && this.isCurrent(entry, external, now)) return { body: await entry.body, hit: true };
    const body = compute().then((text) => new CachedAnswer(Buffer.from(text), origin));
    const fresh: Entry = { writes, external, at: now, body, usedAt: ++this.lookups };
    void body.then(
      (answer) => (fresh.answer = answer),
      () => undefined,
    );
    this.entries.set(key, fresh);
    if (this.entries.size > this.maxEntries) this.evictLeastRecentlyUsed();
    try {
      return { body: await body, hit: false };
    } catch (error) {
      // A failure is not an answer to keep.
      if (this.entries.get(key)?.body === body) this.entries.delete(key);
      throw error;
    }
  }

  /**
   * Whether `entry` was computed at the current version and has not expired;
   * if so it counts as used now. (A hit only stamps the entry: moving it to
   * the end of the map would keep each request's URL string, one per hit.)
   */
  private isCurrent(entry: Entry, external: unknown, now: number): boolean {
    if (entry.writes !== this.localWrites || entry.external !== external || now - entry.at >= this.ttlMs) return false;
    entry.usedAt = ++this.lookups;
    return true;
  }

  /** At most once per answer computed, over at most `maxEntries` entries. */
  private evictLeastRecentlyUsed(): void {
    let oldest: string | undefined;
    let oldestUse = Infinity;
    for (const [key, entry] of this.entries) {
      if (entry.usedAt < oldestUse) [oldest, oldestUse] = [key, entry.usedAt];
    }
    if (oldest !== undefined) this.entries.delete(oldest);
  }

  /**
   * The stored data's version as far as other connections go (this server's
   * own writes are counted by `invalidate()`): SQLite's data_version (changes
   * when another connection commits) or, on PostgreSQL, the next transaction
   * id the server will hand out (it moves whenever any transaction writes, in
   * any schema: answers are recomputed more often than needed on a busy
   * server). Read at most once per `versionCheckMs`: a commit by another
   * connection is seen by requests arriving more than that after it.
   */
  private async externalVersion(): Promise<unknown> {
    const known = this.knownVersion();
    if (known) return known.value;
    // When the read began: a commit after that may or may not be in it, so it stands for versionCheckMs from then.
    const readAt = performance.now();
    const epoch = this.writeEpoch;
    const value =
      this.store.dialect === 'sqlite'
        ? (await sql<{ data_version: number }>`pragma data_version`.execute(this.store.db)).rows[0]?.data_version
        : (await sql<{ v: string }>`select pg_snapshot_xmax(pg_current_snapshot())::text as v`.execute(this.store.db)).rows[0]?.v;
    // Unless a write through this server came in between (the read may predate it) or a later read ended first.
    if (epoch === this.writeEpoch && (!this.version || this.version.readAt < readAt)) this.version = { value, readAt };
    return value;
  }

  /** The store's version when it was read less than `versionCheckMs` ago, or can be read now without waiting (SQLite). */
  private knownVersion(): { value: unknown } | undefined {
    const now = performance.now();
    if (this.version && now - this.version.readAt < this.versionCheckMs) return this.version;
    if (!this.store.dataVersion) return undefined;
    this.version = { value: this.store.dataVersion(), readAt: now };
    return this.version;
  }
}
