import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../store/database.js';
import { bearer, buildTestApp } from '../test-support/app.js';
import { seedPaymentsOrg } from '../test-support/org-fixtures.js';
import { TEST_DIALECTS } from '../test-support/stores.js';

/**
 * Repeated reads of a cached view are answered on the socket before Fastify
 * (kept-reads.ts), over real HTTP (inject() calls Fastify directly). They must
 * be indistinguishable from the handler's answers, and every request that
 * Fastify would treat differently (foreign Host, a token to check, HEAD,
 * debug logging, shutdown) must go on to Fastify. `keptReads.answered` counts
 * the requests answered before Fastify.
 */
const SUMMARY = '/api/v1/delivery/summary?from=2024-04-01T00:00:00Z&to=2024-04-29T00:00:00Z';
const TREND = '/api/v1/delivery/trend?from=2024-01-01T00:00:00Z&to=2024-12-30T00:00:00Z&interval=week';
/** Long enough that no other connection's commit (parallel test files on PostgreSQL) turns a hit into a miss. */
const PATIENT = { ttlMs: 60_000, versionCheckMs: 60_000 };

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function get(port: number, url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, path: url, method, headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
    });
    request.on('error', reject);
    request.end();
  });
}

async function listening(app: FastifyInstance): Promise<number> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return (app.server.address() as AddressInfo).port;
}

for (const dialect of TEST_DIALECTS) {
  describe(`reads answered before Fastify on ${dialect.name}`, () => {
    let store: Store;
    let app: FastifyInstance;
    let port: number;
    let auth: { authorization: string };
    beforeEach(async () => {
      store = await dialect.open();
      await seedPaymentsOrg(store.db);
      auth = await bearer(store);
      app = await buildTestApp(store, { responseCache: PATIENT });
      port = await listening(app);
    });
    afterEach(async () => {
      await app.close();
      await store.close();
    });

    const deploy = (id: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/deployments',
        headers: auth,
        payload: { deployments: [{ id, service: 'payments', finishedAt: '2024-04-02T10:00:00Z' }] },
      });

    it("answers a repeated read with the handler's headers and bytes, in either encoding, and 304 to a client that holds it", async () => {
      await deploy('D1');
      const encodings: Array<Record<string, string>> = [{}, { 'accept-encoding': 'gzip, deflate, br' }];
      for (const headers of encodings) {
        const before = app.keptReads.answered;
        const miss = await get(port, TREND, headers);
        expect(miss.status).toBe(200);
        expect(miss.headers['x-cache']).toBe('miss');
        expect(app.keptReads.answered).toBe(before);
        const hit = await get(port, TREND, headers);
        expect(app.keptReads.answered).toBe(before + 1);
        expect(hit.headers['x-cache']).toBe('hit');
        // Every header the handler sent, with the same value (the date and X-Cache aside), and no other.
        const comparable = ({ headers: { date, 'x-cache': _cache, ...rest } }: Answer) => {
          expect(date).toEqual(expect.any(String));
          return rest;
        };
        expect(comparable(hit)).toEqual(comparable(miss));
        expect(hit.body.equals(miss.body)).toBe(true);
        const json = 'accept-encoding' in headers ? gunzipSync(hit.body).toString() : hit.body.toString();
        expect(JSON.parse(json).points.length).toBeGreaterThan(50); // a year of weeks: the view itself
        expect(hit.headers['content-encoding']).toBe('accept-encoding' in headers ? 'gzip' : undefined);

        const held = await get(port, TREND, { ...headers, 'if-none-match': hit.headers.etag as string });
        expect(held.status).toBe(304);
        expect(held.body.length).toBe(0);
        expect(held.headers.etag).toBe(hit.headers.etag);
        expect(held.headers['content-security-policy']).toBe(miss.headers['content-security-policy']);
        expect(app.keptReads.answered).toBe(before + 2);
        await deploy('D2'); // the next encoding's first read computes again
      }
      // Counted in the metrics under the route's template, as the handler's answers are: 2 misses, 4 hits.
      const metrics = (await app.inject('/metrics')).body;
      const count = (status: number) =>
        Number(
          new RegExp(`sextant_http_requests_total\\{method="GET",route="/api/v1/delivery/trend",status="${status}"\\} (\\d+)`).exec(
            metrics,
          )?.[1],
        );
      expect([count(200), count(304)]).toEqual([4, 2]);
    });

    it('answers with the new data once a write went through', async () => {
      const first = await get(port, SUMMARY);
      expect(JSON.parse(first.body.toString()).deployments.count).toBe(0);
      expect((await get(port, SUMMARY)).headers['x-cache']).toBe('hit');
      expect((await deploy('D1')).statusCode).toBe(200);
      const after = await get(port, SUMMARY);
      expect(after.headers['x-cache']).toBe('miss');
      expect(JSON.parse(after.body.toString()).deployments.count).toBe(1);
    });

    it('leaves to Fastify a foreign Host, HEAD, and every read after shutdown began', async () => {
      await get(port, SUMMARY);
      const before = app.keptReads.answered;
      const evil = await get(port, SUMMARY, { host: 'evil.example' });
      expect(evil.status).toBe(421);
      expect(evil.body.toString()).not.toContain('deployments');
      const head = await get(port, SUMMARY, {}, 'HEAD');
      expect(head.status).toBe(200);
      expect(head.body.length).toBe(0);
      expect(app.keptReads.answered).toBe(before);
      // Once stopped (shutdown began), Fastify answers: here still from the cache; while Fastify closes, 503.
      expect(app.keptReads.stopped).toBe(false);
      app.keptReads.stop();
      const late = await get(port, SUMMARY);
      expect([late.status, late.headers['x-cache']]).toEqual([200, 'hit']);
      expect(app.keptReads.answered).toBe(before);
      // Fastify's close starts with its preClose hooks, which stop the answering here.
      const other = await buildTestApp(store, { responseCache: PATIENT });
      const otherPort = await listening(other);
      await get(otherPort, SUMMARY);
      expect((await get(otherPort, SUMMARY)).headers['x-cache']).toBe('hit');
      expect(other.keptReads.answered).toBe(1);
      await other.close();
      expect(other.keptReads.stopped).toBe(true);
    });

    it('leaves reads to Fastify when they need a token, answering the cached view there once the token is checked', async () => {
      const exposed = await buildTestApp(store, { readsNeedToken: true, responseCache: PATIENT });
      const exposedPort = await listening(exposed);
      try {
        expect((await get(exposedPort, SUMMARY, auth)).status).toBe(200);
        const anonymous = await get(exposedPort, SUMMARY);
        expect(anonymous.status).toBe(401);
        expect(anonymous.body.toString()).not.toContain('deployments');
        const forged = await get(exposedPort, SUMMARY, { authorization: 'Bearer not-a-token' });
        expect(forged.status).toBe(401);
        const kept = await get(exposedPort, SUMMARY, auth);
        expect([kept.status, kept.headers['x-cache']]).toEqual([200, 'hit']);
        expect(exposed.keptReads.answered).toBe(0);
      } finally {
        await exposed.close();
      }
    });

    it('leaves reads to Fastify while requests are logged (debug), so each is logged', async () => {
      const lines: Array<{ msg: string; req?: { url: string }; res?: { statusCode: number } }> = [];
      const verbose = await buildTestApp(store, {
        responseCache: PATIENT,
        logLevel: 'debug',
        logStream: { write: (line: string) => void lines.push(JSON.parse(line)) },
      });
      const verbosePort = await listening(verbose);
      try {
        await get(verbosePort, SUMMARY);
        const again = await get(verbosePort, SUMMARY);
        expect(again.headers['x-cache']).toBe('hit');
        expect(verbose.keptReads.answered).toBe(0);
        expect(lines.filter((line) => line.msg === 'incoming request' && line.req?.url === SUMMARY)).toHaveLength(2);
        expect(lines.filter((line) => line.msg === 'request completed' && line.res?.statusCode === 200)).toHaveLength(2);
      } finally {
        await verbose.close();
      }
    });
  });
}
