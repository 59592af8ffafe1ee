import { Validator } from '@seriousme/openapi-schema-validator';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../store/database.js';
import { bearer, buildTestApp } from '../test-support/app.js';
import { TEST_DIALECTS } from '../test-support/stores.js';

for (const dialect of TEST_DIALECTS) {
  describe(`HTTP API on ${dialect.name}`, () => {
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

    it('answers health, readiness and its own Prometheus metrics', async () => {
      expect((await app.inject('/healthz')).json()).toEqual({ status: 'ok' });
      expect((await app.inject('/readyz')).json()).toEqual({ status: 'ready', store: dialect.name });
      await app.inject('/api/v1/org/teams');
      await app.inject('/api/v1/org/teams');
      const metrics = await app.inject('/metrics');
      expect(metrics.headers['content-type']).toContain('text/plain');
      // Two list requests were made above; the counter is labelled by route template.
      expect(metrics.body).toContain('sextant_http_requests_total{method="GET",route="/api/v1/org/teams",status="200"} 2');
      expect(metrics.body).toMatch(
        /sextant_http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/api\/v1\/org\/teams"\} \d/,
      );
    });

    it('rejects a write without a token with 401 problem+json and writes nothing', async () => {
      const response = await app.inject({ method: 'PUT', url: '/api/v1/org/teams/web', payload: { name: 'Web' } });
      expect(response.statusCode).toBe(401);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.headers['www-authenticate']).toBe('Bearer realm="sextant"');
      const problem = response.json();
      expect(problem).toMatchObject({ type: 'urn:sextant:problem:unauthorized', title: 'Authentication required', status: 401 });
      expect(problem.detail).toContain('sextant token create');
      expect((await app.inject('/api/v1/org/teams')).json().items).toEqual([]);

      const wrong = await app.inject({
        method: 'PUT',
        url: '/api/v1/org/teams/web',
        payload: { name: 'Web' },
        headers: { authorization: 'Bearer sxt_not-a-real-token' },
      });
      expect(wrong.statusCode).toBe(401);
      expect(wrong.json().detail).toContain('unknown or has been revoked');
    });

    it('accepts writes with a token, lists with cursor pagination, and deletes', async () => {
      const auth = await bearer(store);
      for (const id of ['a-team', 'b-team', 'c-team']) {
        const put = await app.inject({ method: 'PUT', url: `/api/v1/org/teams/${id}`, payload: { name: id.toUpperCase() }, headers: auth });
        expect(put.statusCode).toBe(200);
        expect(put.json()).toEqual({ id, name: id.toUpperCase(), parentId: null, description: null, source: 'api' });
      }
      const first = (await app.inject('/api/v1/org/teams?limit=2')).json();
      expect(first.items.map((t: { id: string }) => t.id)).toEqual(['a-team', 'b-team']);
      expect(first.nextCursor).toEqual(expect.any(String));
      const second = (await app.inject(`/api/v1/org/teams?limit=2&cursor=${first.nextCursor}`)).json();
      expect(second.items.map((t: { id: string }) => t.id)).toEqual(['c-team']);
      expect(second.nextCursor).toBeNull();

      const service = await app.inject({
        method: 'PUT',
        url: '/api/v1/org/services/checkout',
        headers: auth,
        payload: { name: 'Checkout', team: 'a-team', environments: ['production', { name: 'canary', production: true }, 'staging'] },
      });
      expect(service.statusCode).toBe(200);
      expect(service.json().environments).toEqual([
        { name: 'canary', production: true },
        { name: 'production', production: true },
        { name: 'staging', production: false },
      ]);

      const blocked = await app.inject({ method: 'DELETE', url: '/api/v1/org/teams/a-team', headers: auth });
      expect(blocked.statusCode).toBe(409);
      expect(blocked.json().type).toBe('urn:sextant:problem:conflict');

      expect((await app.inject({ method: 'DELETE', url: '/api/v1/org/services/checkout', headers: auth })).statusCode).toBe(204);
      expect((await app.inject({ method: 'DELETE', url: '/api/v1/org/teams/a-team', headers: auth })).statusCode).toBe(204);
      expect((await app.inject('/api/v1/org/teams/a-team')).statusCode).toBe(404);
    });

    it('names every invalid field in a 400 and changes nothing', async () => {
      const auth = await bearer(store);
      const response = await app.inject({
        method: 'PUT',
        url: '/api/v1/org/people/ada',
        headers: auth,
        payload: { name: '', emails: ['not-an-email'], colour: 'blue' },
      });
      expect(response.statusCode).toBe(400);
      const problem = response.json();
      expect(problem.type).toBe('urn:sextant:problem:validation');
      const fields = problem.errors.map((e: { field: string }) => e.field).sort();
      expect(fields).toEqual(['body.colour', 'body.emails[0]', 'body.name']);
      expect(problem.errors.find((e: { field: string }) => e.field === 'body.colour').message).toBe('is not a known field');

      const unknownTeam = await app.inject({
        method: 'PUT',
        url: '/api/v1/org/services/s',
        headers: auth,
        payload: { name: 'S', team: 'ghost' },
      });
      expect(unknownTeam.statusCode).toBe(400);
      expect(unknownTeam.json().errors).toEqual([{ field: 'body.team', message: 'team "ghost" does not exist' }]);
      expect((await app.inject('/api/v1/org')).json()).toEqual({ teams: 0, services: 0, repositories: 0, people: 0 });
    });

    it('rejects malformed JSON and oversized bodies as problems', async () => {
      const small = await buildTestApp(store, { bodyLimitBytes: 200 });
      try {
        const auth = await bearer(store);
        const broken = await small.inject({
          method: 'PUT',
          url: '/api/v1/org/teams/x',
          headers: { ...auth, 'content-type': 'application/json' },
          payload: '{"name": ',
        });
        expect(broken.statusCode).toBe(400);
        expect(broken.json().type).toBe('urn:sextant:problem:validation');
        const large = await small.inject({
          method: 'PUT',
          url: '/api/v1/org/teams/x',
          headers: auth,
          payload: { name: 'x'.repeat(500) },
        });
        expect(large.statusCode).toBe(413);
        expect(large.headers['content-type']).toContain('application/problem+json');
        expect(large.json().type).toBe('urn:sextant:problem:payload-too-large');
      } finally {
        await small.close();
      }
    });

    it('requires a token for reads when bound beyond loopback', async () => {
      const exposed = await buildTestApp(store, { readsNeedToken: true });
      try {
        expect((await exposed.inject('/api/v1/org/teams')).statusCode).toBe(401);
        expect((await exposed.inject('/metrics')).statusCode).toBe(401);
        expect((await exposed.inject('/healthz')).statusCode).toBe(200);
        const auth = await bearer(store);
        expect((await exposed.inject({ url: '/api/v1/org/teams', headers: auth })).statusCode).toBe(200);
      } finally {
        await exposed.close();
      }
    });

    it('answers unknown API paths with a 404 problem', async () => {
      const response = await app.inject('/api/v1/nothing-here');
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ type: 'urn:sextant:problem:not-found', status: 404 });
    });
  });
}

describe('OpenAPI document', () => {
  it('is valid OpenAPI 3.1 and lists every /api/v1 route the server has', async () => {
    const store = await TEST_DIALECTS[0]!.open();
    const app = await buildTestApp(store);
    try {
      const document = (await app.inject('/api/openapi.json')).json();
      const validator = new Validator();
      const result = await validator.validate(document);
      expect(result.errors ?? []).toEqual([]);
      expect(result.valid).toBe(true);
      expect(document.openapi).toBe('3.1.0');

      // Independent listing: Fastify's own route tree, flattened, filtered to /api/v1.
      const fromServer = new Set<string>();
      for (const { path, methods } of flattenRouteTree(app.printRoutes({ commonPrefix: false }))) {
        if (!path.startsWith('/api/v1')) continue;
        for (const method of methods) if (method !== 'HEAD') fromServer.add(`${method} ${path.replace(/:([A-Za-z]+)/g, '{$1}')}`);
      }
      const fromDocument = new Set<string>();
      for (const [path, operations] of Object.entries(document.paths as Record<string, Record<string, unknown>>)) {
        for (const method of Object.keys(operations)) fromDocument.add(`${method.toUpperCase()} ${path}`);
      }
      expect(fromServer.size).toBeGreaterThan(15);
      expect([...fromDocument].sort()).toEqual([...fromServer].sort());
      // Writes declare the bearer scheme.
      expect(document.paths['/api/v1/org/teams/{id}'].put.security).toEqual([{ bearerAuth: [] }]);
      // Every named schema is a definition, never a reference to itself (Problem once was).
      for (const [name, schema] of Object.entries(document.components.schemas as Record<string, { $ref?: string }>)) {
        expect(schema.$ref, name).toBeUndefined();
      }
      expect(Object.keys(document.components.schemas.Problem.properties)).toEqual(expect.arrayContaining(['type', 'status', 'errors']));
    } finally {
      await app.close();
      await store.close();
    }
  });
});

/** Flattens Fastify's printRoutes() tree ("│   └── /:id (GET, PUT)") into full paths; each level indents 4 characters. */
function flattenRouteTree(tree: string): Array<{ path: string; methods: string[] }> {
  const stack: string[] = [];
  const routes: Array<{ path: string; methods: string[] }> = [];
  for (const line of tree.split('\n')) {
    const match = /^(.*?)(?:├── |└── )(\S+) \(([A-Z, ]+)\)$/.exec(line);
    if (!match) continue;
    const depth = (match[1] as string).length / 4;
    stack.length = depth;
    stack.push(match[2] as string);
    routes.push({ path: stack.join(''), methods: (match[3] as string).split(', ') });
  }
  return routes;
}
