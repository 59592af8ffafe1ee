import { gunzipSync } from 'node:zlib';
import SqliteDatabase from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../store/database.js';
import { bearer, buildTestApp } from '../test-support/app.js';
import { seedPaymentsOrg } from '../test-support/org-fixtures.js';
import { TEST_DIALECTS } from '../test-support/stores.js';

/**
 * Dashboard views (routes with `cache: true`) are answered from the response
 * cache until the data changes (issue 9, item 3): a repeated read is a hit
 * with the same body; a write through the API, a commit by another connection
 * (`sextant sync` in another process) or the expiry makes the next read
 * compute again, and it sees the new data.
 */
const SUMMARY = '/api/v1/delivery/summary?from=2024-04-01T00:00:00Z&to=2024-04-29T00:00:00Z';

for (const dialect of TEST_DIALECTS) {
  describe(`the response cache on ${dialect.name}`, () => {
    let store: Store;
    let app: FastifyInstance;
    let auth: { authorization: string };
    beforeEach(async () => {
      store = await dialect.open();
      await seedPaymentsOrg(store.db);
      auth = await bearer(store);
      app = await buildTestApp(store, { responseCache: { ttlMs: 60_000 } });
    });
    afterEach(async () => {
      await app.close();
      await store.close();
    });

    const deploy = (id: string, finishedAt: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/deployments',
        headers: auth,
        payload: { deployments: [{ id, service: 'payments', finishedAt }] },
      });
    const summary = async () => {
      const response = await app.inject(SUMMARY);
      expect(response.statusCode).toBe(200);
      return { cache: response.headers['x-cache'], count: response.json().deployments.count as number, body: response.body };
    };
    /**
     * A read that should be a hit. On PostgreSQL the cache's version also moves
     * when any other transaction on the server writes (parallel test files do):
     * then a miss is right, and the answer must still be the same.
     */
    const repeated = async (count: number) => {
      const versionBefore = await cacheVersion();
      const answer = await summary();
      const moved = (await cacheVersion()) !== versionBefore;
      expect(answer.count).toBe(count);
      expect(answer.cache).toBe(moved && dialect.name === 'postgres' ? answer.cache : 'hit');
      return answer;
    };
    const cacheVersion = async () =>
      dialect.name === 'postgres'
        ? (await sql<{ v: string }>`select pg_snapshot_xmax(pg_current_snapshot())::text as v`.execute(store.db)).rows[0]?.v
        : 'sqlite';

    it('answers a repeated read from the cache, and a write through the API makes the next read fresh', async () => {
      expect((await deploy('D1', '2024-04-02T10:00:00Z')).statusCode).toBe(200);
      const first = await summary();
      expect(first).toMatchObject({ cache: 'miss', count: 1 });
      const second = await repeated(1);
      expect(second.body).toBe(first.body);
      expect((await deploy('D2', '2024-04-03T10:00:00Z')).statusCode).toBe(200);
      expect(await summary()).toMatchObject({ cache: 'miss', count: 2 });
      // A rejected write changes nothing and keeps the answer.
      expect((await deploy('D3', 'not a date')).statusCode).toBe(400);
      await repeated(2);
    });

    it('answers 304 with no body to a client that holds the current answer, and 200 once it changed', async () => {
      expect((await deploy('D1', '2024-04-02T10:00:00Z')).statusCode).toBe(200);
      const first = await app.inject(SUMMARY);
      const etag = first.headers.etag as string;
      expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]{27}"$/);
      expect(first.headers['cache-control']).toBe('no-cache');
      // A hit (answered before Fastify's handler) and, after another write's answer is gone, a miss computed again.
      const held = await app.inject({ url: SUMMARY, headers: { 'if-none-match': etag } });
      expect(held.statusCode).toBe(304);
      expect(held.body).toBe('');
      expect(held.headers.etag).toBe(etag);
      expect(held.headers['content-security-policy']).toBe(first.headers['content-security-policy']);
      expect((await app.inject({ url: SUMMARY, headers: { 'if-none-match': `"other", ${etag.slice(2)}` } })).statusCode).toBe(304);
      expect((await app.inject({ url: SUMMARY, headers: { 'if-none-match': '"other"' } })).statusCode).toBe(200);
      // A write that leaves this view as it was still forgets the kept answer: computed again, it is the same, so 304.
      const team = await app.inject({ method: 'PUT', url: '/api/v1/org/teams/web', headers: auth, payload: { name: 'Web' } });
      expect(team.statusCode).toBe(200);
      const recomputed = await app.inject({ url: SUMMARY, headers: { 'if-none-match': etag } });
      expect(recomputed.statusCode).toBe(304);
      expect(recomputed.headers['x-cache']).toBe('miss');
      // New data: a new answer and a new tag.
      expect((await deploy('D2', '2024-04-03T10:00:00Z')).statusCode).toBe(200);
      const changed = await app.inject({ url: SUMMARY, headers: { 'if-none-match': etag } });
      expect(changed.statusCode).toBe(200);
      expect(changed.headers.etag).not.toBe(etag);
      expect(changed.json().deployments.count).toBe(2);
    });

    /** Inserts a deployment of `payments` on another connection, as `sextant sync` in another process would. */
    const commitElsewhere = async (id: string) => {
      const row = [id, 'payments', 'production', Date.parse('2024-04-05T10:00:00Z'), 'success', '[]', 0, 'api', 0] as const;
      const insert =
        'insert into delivery_deployments (id, service_id, environment, finished_at, status, fixes, unplanned, source, updated_at) ';
      if (dialect.name === 'sqlite') {
        // Another connection to the same file, as `sextant sync` in another process opens it.
        const other = new SqliteDatabase(store.location);
        other.prepare(insert + 'values (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(...row);
        other.close();
      } else {
        // Any commit moves PostgreSQL's WAL position, whichever connection made it.
        await sql.raw(insert + `values (${row.map((v) => (typeof v === 'string' ? `'${v}'` : v)).join(', ')})`).execute(store.db);
      }
    };

    it('sees a commit made by another connection', async () => {
      expect(await summary()).toMatchObject({ cache: 'miss', count: 0 });
      await repeated(0);
      await commitElsewhere('X1');
      // The store's version is read at most once a millisecond (versionCheckMs): a request after that sees the commit.
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(await summary()).toMatchObject({ cache: 'miss', count: 1 });
    });

    it("reads the store's version at most once per versionCheckMs, and sees its own writes at once", async () => {
      // A window of a minute makes the bound visible: within it, hits do not look at the store at all.
      const patient = await buildTestApp(store, { responseCache: { ttlMs: 60_000, versionCheckMs: 60_000 } });
      try {
        const read = async () => {
          const response = await patient.inject(SUMMARY);
          return { cache: response.headers['x-cache'], count: response.json().deployments.count as number };
        };
        expect(await read()).toEqual({ cache: 'miss', count: 0 });
        await commitElsewhere('X1');
        // On PostgreSQL other test files' commits move the version too: with the default window this read could miss.
        expect(await read()).toEqual({ cache: 'hit', count: 0 });
        const write = await patient.inject({
          method: 'POST',
          url: '/api/v1/deployments',
          headers: auth,
          payload: { deployments: [{ id: 'D1', service: 'payments', finishedAt: '2024-04-02T10:00:00Z' }] },
        });
        expect(write.statusCode).toBe(200);
        // A write through this server forgets the answers and the version: both deployments are read.
        expect(await read()).toEqual({ cache: 'miss', count: 2 });
      } finally {
        await patient.close();
      }
    });

    it('sends a kept answer gzip-compressed to a client that accepts gzip, and plain to others', async () => {
      const trend = '/api/v1/delivery/trend?from=2024-01-01T00:00:00Z&to=2024-12-30T00:00:00Z&interval=week';
      const plain = await app.inject(trend);
      expect(plain.statusCode).toBe(200);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.rawPayload.length).toBeGreaterThan(1024);
      for (const accept of ['gzip, deflate, br', 'br;q=1.0, gzip;q=0.8, *;q=0.1']) {
        const zipped = await app.inject({ url: trend, headers: { 'accept-encoding': accept } });
        expect(zipped.headers['content-encoding']).toBe('gzip');
        expect(zipped.headers.vary).toContain('accept-encoding');
        expect(zipped.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);
        expect(gunzipSync(zipped.rawPayload).toString()).toBe(plain.body);
      }
      for (const accept of ['identity', 'gzip;q=0', 'br']) {
        const other = await app.inject({ url: trend, headers: { 'accept-encoding': accept } });
        expect(other.headers['content-encoding'], accept).toBeUndefined();
        expect(other.body).toBe(plain.body);
      }
    });

    // The handler's hit (inject() calls Fastify; hits written before it are kept-reads.test.ts's) sends what the miss sent.
    it('sends a hit with the same headers and body as the answer it keeps, in either encoding', async () => {
      const trend = '/api/v1/delivery/trend?from=2024-01-01T00:00:00Z&to=2024-12-30T00:00:00Z&interval=week';
      for (const headers of [{}, { 'accept-encoding': 'gzip, deflate, br' }]) {
        await deploy(`D-${Object.keys(headers).length}`, '2024-04-02T10:00:00Z'); // the next read computes again
        const miss = await app.inject({ url: trend, headers });
        const hit = await app.inject({ url: trend, headers });
        expect(miss.headers['x-cache']).toBe('miss');
        if (hit.headers['x-cache'] !== 'hit') continue; // PostgreSQL: another test file's commit came between
        const comparable = (response: typeof miss) => {
          const { date, 'x-cache': _cache, ...rest } = response.headers;
          expect(date).toEqual(expect.any(String));
          return rest;
        };
        expect(comparable(hit)).toEqual(comparable(miss));
        expect(hit.headers['content-security-policy']).toContain("frame-ancestors 'none'");
        expect(hit.rawPayload.equals(miss.rawPayload)).toBe(true);
      }
      // HEAD of a kept answer: the head without the body.
      const head = await app.inject({ method: 'HEAD', url: trend });
      expect(head.statusCode).toBe(200);
      expect(head.body).toBe('');
    });

    it('refuses a hit to a request with a foreign Host, or without a token when reads need one, and counts hits in its metrics', async () => {
      await summary();
      await repeated(0);
      const evil = await app.inject({ url: SUMMARY, headers: { host: 'evil.example' } });
      expect(evil.statusCode).toBe(421);
      expect(evil.headers['x-cache']).toBeUndefined();
      expect(evil.body).not.toContain('deployments');
      const metrics = await app.inject('/metrics');
      expect(metrics.body).toMatch(/sextant_http_requests_total\{method="GET",route="\/api\/v1\/delivery\/summary",status="200"\} 2/);
      expect(metrics.body).toMatch(/sextant_http_requests_total\{method="GET",route="\/api\/v1\/delivery\/summary",status="421"\} 1/);

      const exposed = await buildTestApp(store, { readsNeedToken: true, responseCache: { ttlMs: 60_000 } });
      try {
        expect((await exposed.inject({ url: SUMMARY, headers: auth })).statusCode).toBe(200);
        const kept = await exposed.inject({ url: SUMMARY, headers: auth });
        expect(kept.statusCode).toBe(200);
        const anonymous = await exposed.inject(SUMMARY);
        expect(anonymous.statusCode).toBe(401);
        expect(anonymous.body).not.toContain('deployments');
        const forged = await exposed.inject({ url: SUMMARY, headers: { authorization: 'Bearer not-a-token' } });
        expect(forged.statusCode).toBe(401);
      } finally {
        await exposed.close();
      }
    });

    it('keeps at most maxEntries answers, forgetting the one asked for least recently', async () => {
      const week = (day: number) => `/api/v1/delivery/summary?from=2024-04-01T00:00:00Z&to=2024-04-${10 + day}T00:00:00Z`;
      // On PostgreSQL any commit elsewhere on the server (parallel test files) moves the version and turns hits
      // into misses: a sequence during which the version moved is run again, with a fresh cache.
      for (let attempt = 1; ; attempt++) {
        const small = await buildTestApp(store, { responseCache: { ttlMs: 60_000, maxEntries: 2 } });
        const cache = async (url: string) => (await small.inject(url)).headers['x-cache'];
        try {
          const versionBefore = await cacheVersion();
          const first = [await cache(week(1)), await cache(week(2)), await cache(week(1))];
          // A third answer: week 2, asked for before week 1's hit, goes.
          const third = await cache(week(3));
          const after = [await cache(week(1)), await cache(week(3)), await cache(week(2))];
          if ((await cacheVersion()) !== versionBefore && attempt < 5) continue;
          expect(first).toEqual(['miss', 'miss', 'hit']);
          expect(third).toBe('miss');
          expect(after).toEqual(['hit', 'hit', 'miss']);
          break;
        } finally {
          await small.close();
        }
      }
    });

    it('forgets answers after the expiry', async () => {
      const quick = await buildTestApp(store, { responseCache: { ttlMs: 50 } });
      try {
        // (That a read within the expiry is a hit is the first test's; here only the expiry is.)
        expect((await quick.inject(SUMMARY)).headers['x-cache']).toBe('miss');
        await new Promise((resolve) => setTimeout(resolve, 80));
        expect((await quick.inject(SUMMARY)).headers['x-cache']).toBe('miss');
      } finally {
        await quick.close();
      }
    });
  });
}
