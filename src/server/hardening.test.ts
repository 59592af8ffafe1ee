import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import type { Store } from '../store/database.js';
import { bearer, buildTestApp } from '../test-support/app.js';
import { makeTempDir, TEST_DIALECTS } from '../test-support/stores.js';
import { openStore } from '../store/database.js';
import { CONTENT_SECURITY_POLICY } from './exposure.js';
import { REPO_ROOT } from '../test-support/cli.js';

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
      expect(response.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
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
    });
    try {
      for (const url of ['/', '/delivery']) {
        const page = await app.inject(url);
        expect(page.statusCode).toBe(200);
        expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
        expect(page.headers['x-content-type-options']).toBe('nosniff');
      }
    } finally {
      await app.close();
      await store.close();
    }
  });
});
