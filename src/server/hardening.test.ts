import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import type { Store } from '../store/database.js';
import { bearer, buildTestApp } from '../test-support/app.js';
import { seedPaymentsOrg } from '../test-support/org-fixtures.js';
import { makeTempDir, TEST_DIALECTS } from '../test-support/stores.js';
import { openStore } from '../store/database.js';
import { CONTENT_SECURITY_POLICY } from './exposure.js';
import { REPO_ROOT, runCli, startCliServer } from '../test-support/cli.js';
import { sql } from 'kysely';
import { DEFAULT_BODY_LIMIT_BYTES } from '../config/settings.js';
import { ValidationError } from '../shared/errors.js';
import { loadDefinitions, parseDefinitions } from '../reliability/definitions/load-definitions.js';
import { replaceDefinitions } from '../reliability/store.js';
import { parseSamplesCsv } from '../reliability/samples-csv.js';
import Fastify from 'fastify';
import { retryConflicts } from '../store/serialise.js';
import { problemErrorHandler } from './problem.js';
import { ingestRepository } from '../sources/git/ingest.js';
import { TestRepository } from '../test-support/git-repository.js';

const definitions = loadDefinitions([path.join(REPO_ROOT, 'src', 'test-support', 'testdata', 'reliability', 'openslo')]);

/**
 * The probes of issue 9 replayed against an in-process server on each dialect.
 * Each `it` names the item it covers; each failed before the change that made
 * it pass (noted per test).
 */

/** Sends raw bytes to a listening server and returns the raw response (status line, headers, body). */
async function rawRequest(port: number, text: string): Promise<{ status: number; headers: string; body: string }> {
  const raw = await new Promise<string>((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(text));
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString('latin1')));
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
  });
  const [head = '', ...rest] = raw.split('\r\n\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
  return { status, headers: head.toLowerCase(), body: rest.join('\r\n\r\n') };
}

function expectProblem(response: { status: number; headers: string; body: string }, status: number): void {
  expect(response.status).toBe(status);
  expect(response.headers).toContain('content-type: application/problem+json');
  const body = response.body.startsWith('{') ? response.body : response.body.slice(response.body.indexOf('{'));
  const problem = JSON.parse(body.slice(0, body.lastIndexOf('}') + 1));
  expect(problem).toMatchObject({ status });
  expect(problem.type).toMatch(/^urn:sextant:problem:/);
}

for (const dialect of TEST_DIALECTS) {
  describe(`hardening probes on ${dialect.name}`, () => {
    let store: Store;
    let app: FastifyInstance;

    beforeEach(async () => {
      store = await dialect.open();
      app = await buildTestApp(store);
    });
    afterEach(async () => {
      await app.close();
      await store.close();
    });

    // Item 10. Before: `Host: evil.example` got the data with 200.
    it('refuses a request whose Host is not a name of this server (DNS rebinding) and sends no CORS headers', async () => {
      const evil = await app.inject({ url: '/api/v1/org/teams', headers: { host: 'evil.example', origin: 'http://evil.example' } });
      expect(evil.statusCode).toBe(421);
      expect(evil.headers['content-type']).toContain('application/problem+json');
      expect(evil.json().errors).toEqual([{ field: 'headers.host', message: '"evil.example" is not a name of this server' }]);
      expect(evil.body).not.toContain('items');
      // Names of this server, with and without a port, are answered.
      for (const host of ['localhost:4680', '127.0.0.1:4680', '[::1]:4680', 'localhost']) {
        const ok = await app.inject({ url: '/api/v1/org/teams', headers: { host, origin: 'http://evil.example' } });
        expect(ok.statusCode, host).toBe(200);
        expect(Object.keys(ok.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
      }
      // A configured public name (a reverse proxy's) is answered too.
      const proxied = await buildTestApp(store, { publicHosts: ['sextant.internal.example'] });
      try {
        expect((await proxied.inject({ url: '/healthz', headers: { host: 'sextant.internal.example' } })).statusCode).toBe(200);
        expect((await proxied.inject({ url: '/healthz', headers: { host: 'other.example' } })).statusCode).toBe(421);
      } finally {
        await proxied.close();
      }
    });

    // Item 11. Before: no security header at all.
    it('sends a Content-Security-Policy without inline script, frame-ancestors none and nosniff', async () => {
      const response = await app.inject('/api/v1/org/teams');
      // An API answer loads nothing and is framed by no one; the dashboard's pages get their own policy (below).
      expect(response.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(response.headers['x-frame-options']).toBe('DENY');
      // No other origin's page may load it, even without reading it (a <script src> or <img>).
      expect(response.headers['cross-origin-resource-policy']).toBe('same-origin');
      expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
      expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
      expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
      expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      const notFound = await app.inject('/api/v1/nothing');
      expect(notFound.headers['x-content-type-options']).toBe('nosniff');
    });

    // Item 12. Before: text/plain was parsed as a string and rejected with 400 "expected object".
    it('answers a text/plain body with 415 problem+json and writes nothing', async () => {
      const auth = await bearer(store);
      const response = await app.inject({
        method: 'PUT',
        url: '/api/v1/org/teams/web',
        headers: { ...auth, 'content-type': 'text/plain' },
        payload: '{"name":"Web"}',
      });
      expect(response.statusCode).toBe(415);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect((await app.inject('/api/v1/org/teams')).json().items).toEqual([]);
    });

    // Item 12. Before: reported as `body: Unrecognized key: "colour"`, under the object's name.
    it('reports an unknown key under its own field name', async () => {
      const auth = await bearer(store);
      const response = await app.inject({
        method: 'PUT',
        url: '/api/v1/org/teams/web',
        headers: auth,
        payload: { name: 'Web', colour: 'blue', size: 3 },
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().errors).toEqual([
        { field: 'body.colour', message: 'is not a known field' },
        { field: 'body.size', message: 'is not a known field' },
      ]);
    });

    // Item 12. Before: Fastify's own errors (bad URL, 431, 414) were `{"error":...}` JSON or text.
    it("answers Fastify's and Node's own errors as problem+json", async () => {
      await app.listen({ host: '127.0.0.1', port: 0 });
      const port = (app.server.address() as net.AddressInfo).port;
      expectProblem(await rawRequest(port, 'GET /api/v1/org/teams/%E0%A4%A HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'), 400);
      expectProblem(
        await rawRequest(port, `GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(20_000)}\r\nConnection: close\r\n\r\n`),
        431,
      );
      // A path parameter over the router's 100 characters.
      expectProblem(
        await rawRequest(port, `GET /api/v1/org/teams/${'a'.repeat(500)} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`),
        414,
      );
      expectProblem(await rawRequest(port, 'NONSENSE\r\n\r\n'), 400);
      const badJson = await rawRequest(
        port,
        'PUT /api/v1/org/teams/x HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 3\r\nConnection: close\r\n\r\n{"a',
      );
      // No token: auth runs before the body is parsed, and that is a problem too.
      expectProblem(badJson, 401);
    });

    // Item 12. Before: 409 "An email or login of this service already belongs to another person".
    it('says a service lists an environment or a repository twice', async () => {
      const auth = await bearer(store);
      await app.inject({ method: 'PUT', url: '/api/v1/org/teams/core', headers: auth, payload: { name: 'Core' } });
      const twice = await app.inject({
        method: 'PUT',
        url: '/api/v1/org/services/api',
        headers: auth,
        payload: { name: 'API', team: 'core', environments: ['production', 'staging', 'production'] },
      });
      expect(twice.statusCode).toBe(400);
      expect(twice.json().errors).toEqual([
        { field: 'body.environments[2].name', message: '"production" is a duplicate: already listed as environments[0]' },
      ]);
      expect((await app.inject('/api/v1/org')).json().services).toBe(0);
    });

    // Item 12. Before: a 50,000-sample batch (the documented maximum) was ~4 MB against a 1 MiB body limit.
    it('accepts the documented largest sample batch under the default body limit', async () => {
      await replaceDefinitions(store.db, definitions, 'config');
      const auth = await bearer(store);
      const big = await buildTestApp(store, { bodyLimitBytes: DEFAULT_BODY_LIMIT_BYTES });
      try {
        // 50,000 consecutive minutes from 2024-01-01, with 9-digit counts: the widest realistic sample.
        const start = Date.UTC(2024, 0, 1);
        const samples = Array.from({ length: 50_000 }, (_, i) => ({
          timestamp: new Date(start + i * 60_000).toISOString().replace('.000Z', '+00:00'),
          good: 999_999_999,
          total: 999_999_999,
        }));
        const payload = JSON.stringify({ samples }, null, 2); // pretty-printed: the largest form a client sends
        expect(Buffer.byteLength(payload)).toBeGreaterThan(1024 * 1024);
        expect(Buffer.byteLength(payload)).toBeLessThan(DEFAULT_BODY_LIMIT_BYTES);
        const response = await big.inject({
          method: 'POST',
          url: '/api/v1/slos/checkout-availability/samples',
          headers: { ...auth, 'content-type': 'application/json' },
          payload,
        });
        expect(response.statusCode).toBe(200);
        expect(response.json().written).toBe(50_000);
      } finally {
        await big.close();
      }
    }, 120_000);

    // Item 6. Before: a NUL byte gave 500 on PostgreSQL and was stored on SQLite; a 3,000-character
    // name overflowed a PostgreSQL btree index (500) and was stored on SQLite.
    it('rejects NUL bytes, lone surrogates and over-long names with a 400 naming the field, on both stores alike', async () => {
      const auth = await bearer(store);
      const cases: Array<[unknown, string, RegExp]> = [
        [{ name: 'Web\u0000' }, 'body.name', /NUL/],
        [{ name: 'Web \ud800' }, 'body.name', /lone UTF-16 surrogate/],
        [{ name: 'x'.repeat(3000) }, 'body.name', /at most 200 characters/],
        [{ name: 'Web', description: 'd'.repeat(10_001) }, 'body.description', /at most 10000 characters/],
      ];
      for (const [payload, field, message] of cases) {
        const response = await app.inject({ method: 'PUT', url: '/api/v1/org/teams/web', headers: auth, payload: payload as object });
        expect(response.statusCode, field).toBe(400);
        const errors = response.json().errors as Array<{ field: string; message: string }>;
        expect(errors.map((e) => e.field)).toEqual([field]);
        expect(errors[0]?.message).toMatch(message);
      }
      const person = await app.inject({
        method: 'PUT',
        url: '/api/v1/org/people/ada',
        headers: auth,
        payload: { name: 'Ada', aliases: ['ok', 'a\u0000b'], emails: [`${'e'.repeat(3000)}@example.com`] },
      });
      expect(person.statusCode).toBe(400);
      expect(person.json().errors.map((e: { field: string }) => e.field)).toEqual(['body.aliases[1]']);
      const longEmail = await app.inject({
        method: 'PUT',
        url: '/api/v1/org/people/ada',
        headers: auth,
        payload: { name: 'Ada', emails: [`${'e'.repeat(3000)}@example.com`] },
      });
      expect(longEmail.statusCode).toBe(400);
      expect(longEmail.json().errors.map((e: { field: string }) => e.field)).toEqual(['body.emails[0]']);
      // A NUL in a query string or a path is refused the same way.
      const query = await app.inject({ url: '/api/v1/org/teams?cursor=a%00b' });
      expect(query.statusCode).toBe(400);
      expect(query.json().errors[0].field).toBe('query.cursor');
      expect((await app.inject('/api/v1/org')).json()).toEqual({ teams: 0, services: 0, repositories: 0, people: 0 });
      // 200 characters of 4-byte characters (800 bytes) are stored on both.
      const widest = await app.inject({ method: 'PUT', url: '/api/v1/org/teams/web', headers: auth, payload: { name: '😀'.repeat(100) } });
      expect(widest.statusCode).toBe(200);
    });

    // Item 7. Before: timestamp 9000000000000 (epoch seconds) wrote rows, then failed in toISOString with 500.
    it('validates instants to 1970-2199 before writing anything', async () => {
      await replaceDefinitions(store.db, definitions, 'config');
      const auth = await bearer(store);
      const before = await countRows(store);
      for (const timestamp of [9_000_000_000_000, '9999-12-31T23:59:00Z', '0001-01-01T00:00:00Z', -60]) {
        const response = await app.inject({
          method: 'POST',
          url: '/api/v1/slos/checkout-availability/samples',
          headers: auth,
          payload: {
            samples: [
              { timestamp: '2024-06-03T10:00:00Z', good: 1, total: 1 },
              { timestamp, good: 1, total: 1 },
            ],
          },
        });
        expect(response.statusCode, String(timestamp)).toBe(400);
        expect(response.json().errors[0]).toMatchObject({ field: 'body.samples[1].timestamp' });
        expect(response.json().errors[0].message).toContain('between 1970-01-01T00:00:00Z and 2199-12-31T23:59:59Z');
      }
      const deployment = await app.inject({
        method: 'POST',
        url: '/api/v1/deployments',
        headers: auth,
        payload: { deployments: [{ service: 'checkout', environment: 'production', finishedAt: '9999-01-01T00:00:00Z', id: 'd1' }] },
      });
      expect(deployment.statusCode).toBe(400);
      expect(JSON.stringify(deployment.json().errors)).toContain('finishedAt');
      const reads = await app.inject('/api/v1/slos?at=0001-01-01T00:00:00Z');
      expect(reads.statusCode).toBe(400);
      expect(await countRows(store)).toEqual(before);
    });

    // Item 5. Before: on PostgreSQL 8 concurrent writers to one service deadlocked (24 of 40 got 500).
    it('takes 8 concurrent deployment writers to one service without a single 5xx', async () => {
      const repo = TestRepository.create();
      try {
        const shas = Array.from({ length: 10 }, (_, i) =>
          repo.commit({ message: `c${i}`, at: `2024-04-0${1 + (i % 9)}T0${i % 10}:00:00Z` }),
        );
        await seedPaymentsOrg(store.db, repo.dir);
        await ingestRepository(store, { repositoryId: 'payments', path: repo.dir, field: 'path' });
        const auth = await bearer(store);
        const statuses: number[] = [];
        let next = 0;
        const writer = async () => {
          for (let i = 0; i < 5; i++) {
            const n = next++;
            const response = await app.inject({
              method: 'POST',
              url: '/api/v1/deployments',
              headers: auth,
              payload: {
                deployments: [
                  {
                    id: `d${n}`,
                    service: 'payments',
                    commitSha: shas[n % shas.length],
                    finishedAt: new Date(Date.UTC(2024, 4, 1) + n * 3_600_000).toISOString(),
                  },
                ],
              },
            });
            statuses.push(response.statusCode);
          }
        };
        await Promise.all(Array.from({ length: 8 }, writer));
        expect(statuses).toHaveLength(40);
        expect(statuses.filter((status) => status !== 200)).toEqual([]);
        const stored = await store.db.selectFrom('delivery_deployments').select('id').execute();
        expect(stored).toHaveLength(40);
      } finally {
        repo.remove();
      }
    }, 120_000);

    // Item 1. Before: trend over 0001-9999 ran 49 s, returned 287 MB and blocked /healthz for 16 s.
    it('refuses a read window beyond 1830 days or outside 1970-2199 with a 400 naming the limit', async () => {
      const started = Date.now();
      for (const url of [
        '/api/v1/delivery/trend?from=0001-01-01T00:00:00Z&to=9999-12-31T23:59:59Z',
        '/api/v1/delivery/summary?from=2000-01-01T00:00:00Z&to=2024-01-01T00:00:00Z',
        '/api/v1/delivery/deployments?from=1900-01-01T00:00:00Z&to=1971-01-01T00:00:00Z',
      ]) {
        const response = await app.inject(url);
        expect(response.statusCode, url).toBe(400);
        expect(response.headers['content-type']).toContain('application/problem+json');
        expect(response.json().errors[0].field).toMatch(/^query\.(from|to)$/);
      }
      const span = await app.inject('/api/v1/delivery/trend?from=2000-01-01T00:00:00Z&to=2024-01-01T00:00:00Z');
      // 2000-01-01 to 2024-01-01: 24 years of 365 days plus 6 leap days (2000, 04, 08, 12, 16, 20) = 8766 days.
      expect(span.json().errors[0].message).toBe('the window from `from` to `to` is 8766 days; the limit is 1830 days');
      // Five years is answered.
      expect((await app.inject('/api/v1/delivery/trend?from=2019-01-01T00:00:00Z&to=2024-01-01T00:00:00Z')).statusCode).toBe(200);
      expect((await app.inject('/api/v1/delivery/summary?incidentWindowDays=100000')).statusCode).toBe(400);
      expect(Date.now() - started).toBeLessThan(20_000);
    });

    // Item 12. Before: components.Problem was { $ref: '#/components/schemas/Problem' }.
    it('describes Problem in OpenAPI as an object, not a reference to itself', async () => {
      const document = (await app.inject('/api/openapi.json')).json();
      const problem = document.components.schemas.Problem;
      expect(problem.$ref).toBeUndefined();
      expect(problem.type).toBe('object');
      expect(problem.required).toEqual(expect.arrayContaining(['type', 'title', 'status', 'detail']));
    });
  });
}

/** Row counts of every table: equal before and after a rejected request means nothing was written. */
async function countRows(store: Store): Promise<Record<string, number>> {
  const tables =
    store.dialect === 'sqlite'
      ? await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(store.db)
      : await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema()`.execute(
          store.db,
        );
  const counts: Record<string, number> = {};
  for (const { name } of tables.rows) {
    const result = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(name)}`.execute(store.db);
    counts[name] = Number(result.rows[0]?.n ?? 0);
  }
  return counts;
}

// Item 12. Before: Number() read "0x9" as 9 and "1e1" as 10.
describe('sample CSV counts', () => {
  it('accept decimal digits only', () => {
    const csv = (good: string) => `timestamp,good,total\n2024-06-03T10:00:00Z,${good},100\n`;
    expect(parseSamplesCsv(csv('99'), 's.csv', ['a']).get('a')).toEqual([{ minute: Date.UTC(2024, 5, 3, 10), good: 99, total: 100 }]);
    for (const bad of ['0x9', '1e1', '0b1', '9.5', '+9', 'Infinity']) {
      expect(() => parseSamplesCsv(csv(bad), 's.csv', ['a']), bad).toThrow(ValidationError);
      try {
        parseSamplesCsv(csv(bad), 's.csv', ['a']);
      } catch (error) {
        expect((error as ValidationError).issues[0]).toMatchObject({
          field: 'good',
          line: 2,
          message: `"${bad}" is not a whole number (decimal digits only)`,
        });
      }
    }
  });
});

// Item 5. A conflict that survives the retries is a 503 with Retry-After, never a 500.
describe('a retryable store conflict', () => {
  it('is retried, then answered 503 with Retry-After', async () => {
    let calls = 0;
    const deadlock = Object.assign(new Error('deadlock detected'), { code: '40P01' });
    expect(
      await retryConflicts(async () => {
        if (++calls < 3) throw deadlock;
        return 'ok';
      }),
    ).toBe('ok');
    expect(calls).toBe(3);
    const app = Fastify({ logger: false });
    app.setErrorHandler(problemErrorHandler);
    app.get('/x', () => retryConflicts(() => Promise.reject(deadlock)));
    const response = await app.inject('/x');
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('1');
    expect(response.json()).toMatchObject({ type: 'urn:sextant:problem:unavailable', status: 503 });
    await app.close();
  });
});

// Item 2. Before: `duration: 999999999999d` passed validation; every read then ran ~2 min and failed.
describe('SLO windows', () => {
  const slo = (duration: string) =>
    fs
      .readFileSync(path.join(REPO_ROOT, 'src', 'test-support', 'testdata', 'reliability', 'openslo', 'checkout.yaml'), 'utf8')
      .replace('duration: 30d', `duration: ${duration}`);
  it('are at most 400 days, and a longer one is an error naming the field', () => {
    for (const accepted of ['400d', '57w', '1d']) {
      expect(parseDefinitions(slo(accepted), 'slos.yaml').slos.length, accepted).toBeGreaterThan(0);
    }
    for (const refused of ['999999999999d', '401d', '2Y', '58w', '14M']) {
      try {
        parseDefinitions(slo(refused), 'slos.yaml');
        expect.unreachable(refused);
      } catch (error) {
        const issues = (error as ValidationError).issues;
        expect(issues.map((issue) => issue.field)).toContain('spec.timeWindow[0].duration');
        expect(JSON.stringify(issues)).toContain('longer than the 400 days');
      }
    }
  });
});

// Item 12. Before: an empty file gave "0 SLOs valid".
describe('an empty SLO definitions file', () => {
  it('is an error naming the file', () => {
    for (const text of ['', '\n# only a comment\n', '---\n']) {
      expect(() => parseDefinitions(text, 'empty.yaml'), JSON.stringify(text)).toThrow(ValidationError);
      try {
        parseDefinitions(text, 'empty.yaml');
      } catch (error) {
        expect((error as ValidationError).issues).toEqual([
          { field: '(file)', file: 'empty.yaml', message: 'holds no definitions (the file is empty)' },
        ]);
      }
    }
  });
});

/** Ten levels of ten aliases each: 10^10 nodes once expanded, from a few hundred bytes. */
const ALIAS_BOMB = [
  'a: &a ["x","x","x","x","x","x","x","x","x","x"]',
  ...Array.from({ length: 9 }, (_, i) => {
    const previous = String.fromCharCode(97 + i);
    const name = String.fromCharCode(98 + i);
    return `${name}: &${name} [${Array(10).fill(`*${previous}`).join(',')}]`;
  }),
].join('\n');

// Item 12. Before: the yaml library's ReferenceError escaped with a stack trace (exit 1).
describe('a YAML alias bomb and a port in use', () => {
  it('give a one-line error and exit 2 (sextant.yaml) or 1 (EADDRINUSE), with no stack trace', async () => {
    const dir = makeTempDir('sextant-bomb-');
    try {
      fs.writeFileSync(path.join(dir, 'sextant.yaml'), `workspace:\n  name: Bomb\n${ALIAS_BOMB}\n`);
      const config = runCli(['sync', '-w', dir]);
      expect(config.status).toBe(2);
      expect(config.stderr).toMatch(/aliases expand too far/);
      expect(config.stderr).not.toMatch(/\n\s+at /);

      fs.writeFileSync(path.join(dir, 'slos.yaml'), ALIAS_BOMB);
      const slos = runCli(['slo', 'validate', path.join(dir, 'slos.yaml')]);
      expect(slos.status).toBe(2);
      expect(slos.stderr).toMatch(/aliases expand too far/);
      expect(slos.stderr).not.toMatch(/\n\s+at /);

      fs.rmSync(path.join(dir, 'sextant.yaml'));
      const first = await startCliServer(['-w', dir]);
      try {
        const port = new URL(first.baseUrl).port;
        const second = runCli(['serve', '-w', dir, '--port', port]);
        expect(second.status).toBe(1);
        expect(second.stderr.trim()).toBe(`error: cannot listen on 127.0.0.1:${port}: the address is already in use`);
      } finally {
        first.child.kill('SIGKILL');
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

// Item 11. Before: the file was created with the process umask, typically 0644.
describe('the SQLite store file', () => {
  it('is created readable by its owner only (0600)', async () => {
    const dir = makeTempDir('sextant-mode-');
    try {
      const file = path.join(dir, '.sextant', 'sextant.db');
      const store = await openStore({ kind: 'sqlite', path: file });
      await store.ping();
      await store.close();
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

// Item 11. The CSP forbids inline script, so the built dashboard must not have any.
describe('the dashboard build', () => {
  it('has no inline script in web/index.html nor in dist/web/index.html', () => {
    const sources = [path.join(REPO_ROOT, 'web', 'index.html'), path.join(REPO_ROOT, 'dist', 'web', 'index.html')];
    for (const file of sources) {
      if (!fs.existsSync(file)) continue; // dist/ exists after `npm run build:web` (npm test builds it first)
      const html = fs.readFileSync(file, 'utf8');
      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
      expect(scripts.length, file).toBeGreaterThan(0);
      for (const [, attributes, body] of scripts) {
        expect(attributes, file).toMatch(/\bsrc=/);
        expect((body ?? '').trim(), file).toBe('');
      }
      expect(html).not.toMatch(/\son[a-z]+=/i); // no inline event handlers
      expect(html).not.toMatch(/<style\b/i);
    }
  });

  it('is served with the security headers', async () => {
    const dir = path.join(REPO_ROOT, 'dist', 'web');
    if (!fs.existsSync(path.join(dir, 'index.html'))) return;
    const store = await openStore({ kind: 'sqlite', path: path.join(makeTempDir(), 'x.db') });
    const app = await buildApp({
      store,
      readsNeedToken: false,
      bodyLimitBytes: 1024,
      logLevel: 'silent',
      webRoot: dir,
      workspace: { name: 'T', timezone: 'UTC', mode: 'configured', store: store.location },
      workspaceDir: makeTempDir(),
    });
    try {
      for (const url of ['/', '/delivery']) {
        const page = await app.inject(url);
        expect(page.statusCode).toBe(200);
        expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
        expect(page.headers['x-content-type-options']).toBe('nosniff');
        // Headers that act only on documents go on the pages (the API's JSON answers leave them out).
        expect(page.headers['referrer-policy']).toBe('no-referrer');
        expect(page.headers['cross-origin-opener-policy']).toBe('same-origin');
        // A browser that holds the page revalidates it and stores the 304's headers over the page's: a 304 has
        // no content type, and with the API's policy (default-src 'none') the page's scripts stopped loading.
        const again = await app.inject({ url, headers: { 'if-none-match': page.headers.etag as string } });
        expect(again.statusCode).toBe(304);
        expect(again.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      }
      // A script of the dashboard carries its policy too (it would apply to a worker started from it).
      const script = fs.readdirSync(path.join(dir, 'assets')).find((name) => name.endsWith('.js'));
      expect(script).toBeDefined();
      const asset = await app.inject(`/assets/${script}`);
      expect(asset.statusCode).toBe(200);
      expect(asset.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    } finally {
      await app.close();
      await store.close();
    }
  });
});
