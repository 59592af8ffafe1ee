import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../auth/store.js';
import { resolveSettings } from '../config/settings.js';
import { saveService, saveTeam } from '../org/index.js';
import type { Store } from '../store/database.js';
import { buildTestApp } from '../test-support/app.js';
import { runCommandsInProcess } from '../test-support/cli-in-process.js';
import { checkResponseSchemas } from '../test-support/response-schemas.js';
import { makeTempDir, TEST_DIALECTS } from '../test-support/stores.js';
import { openWorkspaceStore } from '../workspace/workspace.js';
import { registerIncidentCommands } from './cli.js';
import { applyIncidentsConfig, incidentsConfig } from './settings.js';

type Db = Store['db'];

async function services(db: Db, ids: string[]): Promise<void> {
  await saveTeam(db, { id: 'shop', name: 'Shop', parentId: null, description: null });
  for (const id of ids) await saveService(db, { id, name: id, ownerTeamId: 'shop', description: null, repositories: [], environments: [] });
}

async function rows(db: Db) {
  return db.selectFrom('incident_runbooks').selectAll().orderBy('service_id').execute();
}

/**
 * Stale flags worked by hand, as of 2026-06-01T00:00Z; the rule is "more than 90 days
 * (90 × 86 400 000 ms) since midnight UTC of the review day":
 *   checkout  reviewed 2026-03-03: Mar 3 -> Apr 3 31 d, -> May 3 30 d, -> Jun 1 29 d = 90 d exactly -> not stale
 *   search    reviewed 2026-03-02: 91 d                                                            -> stale
 *   payments  reviewed 2026-05-31: 1 d                                                             -> not stale
 * One more hour (at 2026-06-01T01:00Z) makes checkout 90 d 1 h: stale.
 */
for (const dialect of TEST_DIALECTS) {
  describe(`runbooks API on ${dialect.name}`, () => {
    let store: Store | undefined;
    let app: FastifyInstance | undefined;
    afterEach(async () => {
      await app?.close();
      await store?.close();
      app = undefined;
      store = undefined;
    });

    async function setUp() {
      store = await dialect.open();
      await services(store.db, ['checkout', 'payments', 'search']);
      const { token } = await createToken(store.db, 'test');
      app = await buildTestApp(store);
      checkResponseSchemas(app);
      const put = (service: string, payload: Record<string, unknown>) =>
        app!.inject({
          method: 'PUT',
          url: `/api/v1/incidents/runbooks/${service}`,
          headers: { authorization: `Bearer ${token}` },
          payload,
        });
      const list = async (at: string) =>
        (await app!.inject({ method: 'GET', url: `/api/v1/incidents/runbooks?at=${at}` })).json() as {
          items: Array<{ serviceId: string; lastReviewedAt: string; stale: boolean; source: string; url: string }>;
        };
      return { store, put, list };
    }

    it('sets runbooks through the API and flags the ones not reviewed in 90 days', async () => {
      const { put, list } = await setUp();
      const saved = await put('checkout', { url: 'https://wiki.example.com/runbooks/checkout', lastReviewed: '2026-03-03' });
      expect(saved.statusCode).toBe(200);
      expect(saved.json()).toMatchObject({
        serviceId: 'checkout',
        url: 'https://wiki.example.com/runbooks/checkout',
        lastReviewedAt: '2026-03-03T00:00:00.000Z',
        source: 'api',
      });
      expect((await put('search', { url: 'https://wiki.example.com/runbooks/search', lastReviewed: '2026-03-02' })).statusCode).toBe(200);
      expect((await put('payments', { url: 'http://wiki.internal/payments', lastReviewed: '2026-05-31' })).statusCode).toBe(200);

      const flags = (body: Awaited<ReturnType<typeof list>>) =>
        body.items.map((r) => [r.serviceId, r.lastReviewedAt.slice(0, 10), r.stale]);
      expect(flags(await list('2026-06-01T00:00:00Z'))).toEqual([
        ['checkout', '2026-03-03', false],
        ['payments', '2026-05-31', false],
        ['search', '2026-03-02', true],
      ]);
      expect(flags(await list('2026-06-01T01:00:00Z'))).toEqual([
        ['checkout', '2026-03-03', true],
        ['payments', '2026-05-31', false],
        ['search', '2026-03-02', true],
      ]);

      // Setting it again updates the row (a fresh review clears the flag).
      expect((await put('search', { url: 'https://wiki.example.com/runbooks/search-v2', lastReviewed: '2026-05-20' })).statusCode).toBe(
        200,
      );
      const after = await list('2026-06-01T00:00:00Z');
      expect(after.items.find((r) => r.serviceId === 'search')).toMatchObject({
        url: 'https://wiki.example.com/runbooks/search-v2',
        stale: false,
      });
      expect(after.items).toHaveLength(3);
    });

    it('refuses an unknown service, a bad URL and a future or impossible date, naming the field and writing nothing', async () => {
      const { store, put } = await setUp();
      const refused = async (service: string, payload: Record<string, unknown>, status: number) => {
        const response = await put(service, payload);
        expect(response.statusCode).toBe(status);
        return (response.json() as { errors?: Array<{ field: string; message: string }> }).errors ?? [];
      };
      expect(await refused('nope', { url: 'https://wiki/x', lastReviewed: '2026-01-01' }, 400)).toEqual([
        { field: 'params.service', message: 'unknown service "nope"' },
      ]);
      expect((await refused('checkout', { url: 'not a url', lastReviewed: '2026-01-01' }, 400)).map((e) => e.field)).toEqual(['body.url']);
      expect((await refused('checkout', { url: 'javascript:alert(1)', lastReviewed: '2026-01-01' }, 400)).map((e) => e.field)).toEqual([
        'body.url',
      ]);
      expect((await refused('checkout', { url: 'https://wiki/x', lastReviewed: '2026-02-30' }, 400)).map((e) => e.field)).toEqual([
        'body.lastReviewed',
      ]);
      expect((await refused('checkout', { url: 'https://wiki/x', lastReviewed: '01/02/2026' }, 400)).map((e) => e.field)).toEqual([
        'body.lastReviewed',
      ]);
      const future = await refused('checkout', { url: 'https://wiki/x', lastReviewed: '2999-01-01' }, 400);
      expect(future.map((e) => e.field)).toEqual(['body.lastReviewed']);
      expect(future[0]?.message).toContain('in the future');
      expect((await refused('checkout', { url: 'https://wiki/x' }, 400)).map((e) => e.field)).toEqual(['body.lastReviewed']);
      expect(await rows(store.db)).toEqual([]);
    });

    it('answers 409 for a runbook sextant.yaml defines; a sync keeps API-set runbooks it does not list', async () => {
      const { store, put, list } = await setUp();
      expect((await put('search', { url: 'https://wiki.example.com/search', lastReviewed: '2026-05-01' })).statusCode).toBe(200);
      await applyIncidentsConfig(
        store.db,
        incidentsConfig.parse({
          runbooks: [{ service: 'checkout', url: 'https://wiki.example.com/checkout', lastReviewed: '2026-04-01' }],
        }),
      );
      const conflict = await put('checkout', { url: 'https://elsewhere.example.com/checkout', lastReviewed: '2026-05-01' });
      expect(conflict.statusCode).toBe(409);
      expect(conflict.json().detail).toContain('sextant.yaml');
      expect((await list('2026-06-01T00:00:00Z')).items.map((r) => [r.serviceId, r.url, r.source])).toEqual([
        ['checkout', 'https://wiki.example.com/checkout', 'config'],
        ['search', 'https://wiki.example.com/search', 'api'],
      ]);

      // The file takes over a runbook it lists (as with org entities) and drops the config rows it no longer lists.
      await applyIncidentsConfig(
        store.db,
        incidentsConfig.parse({
          runbooks: [{ service: 'search', url: 'https://wiki.example.com/search-file', lastReviewed: '2026-04-02' }],
        }),
      );
      expect((await rows(store.db)).map((r) => [r.service_id, r.url, r.source, r.last_reviewed_at])).toEqual([
        ['search', 'https://wiki.example.com/search-file', 'config', Date.parse('2026-04-02T00:00:00Z')],
      ]);
    });
  });
}

describe('sextant incident runbook', () => {
  const dir = makeTempDir('sextant-runbook-cli-');
  const run = (args: string[]) => runCommandsInProcess(registerIncidentCommands, ['--workspace', dir, 'incident', 'runbook', ...args]);
  beforeAll(async () => {
    const { store } = await openWorkspaceStore(resolveSettings({ workspace: dir }, {}));
    try {
      await services(store.db, ['checkout', 'search']);
    } finally {
      await store.close();
    }
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('sets and lists runbooks with the stale flag (same hand-worked dates as the API test)', async () => {
    const set = await run(['set', 'checkout', '--url', 'https://wiki.example.com/checkout', '--reviewed', '2026-03-03']);
    expect(set.stderr).toBe('');
    expect(set.code).toBe(0);
    expect(set.stdout).toContain('Runbook of checkout: https://wiki.example.com/checkout, reviewed 2026-03-03');
    expect((await run(['set', 'search', '--url', 'https://wiki.example.com/search', '--reviewed', '2026-03-02'])).code).toBe(0);

    const listed = await run(['list', '--at', '2026-06-01T00:00:00Z', '--json']);
    expect(listed.code).toBe(0);
    const body = JSON.parse(listed.stdout) as { items: Array<{ serviceId: string; stale: boolean; source: string }> };
    expect(body.items.map((r) => [r.serviceId, r.stale, r.source])).toEqual([
      ['checkout', false, 'api'],
      ['search', true, 'api'],
    ]);
    const table = await run(['list', '--at', '2026-06-01T00:00:00Z']);
    expect(table.stdout).toMatch(/search\s+2026-03-02\s+stale/);
  });

  it('names the flag or argument of bad input, exits 2 and writes nothing', async () => {
    const bad = async (args: string[], field: string) => {
      const result = await run(['set', ...args]);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(`${field}:`);
    };
    await bad(['nope', '--url', 'https://wiki/x', '--reviewed', '2026-01-01'], 'SERVICE');
    await bad(['search', '--url', 'wiki/x', '--reviewed', '2026-01-01'], '--url');
    await bad(['search', '--url', 'https://wiki/x', '--reviewed', '2026-13-01'], '--reviewed');
    await bad(['search', '--url', 'https://wiki/x', '--reviewed', '2999-01-01'], '--reviewed');
    const listed = JSON.parse((await run(['list', '--at', '2026-06-01T00:00:00Z', '--json'])).stdout) as { items: Array<{ url: string }> };
    expect(listed.items.map((r) => r.url)).toEqual(['https://wiki.example.com/checkout', 'https://wiki.example.com/search']);
  });

  it('refuses a runbook sextant.yaml defines with exit 1, naming the file', async () => {
    const { store } = await openWorkspaceStore(resolveSettings({ workspace: dir }, {}));
    try {
      await applyIncidentsConfig(
        store.db,
        incidentsConfig.parse({ runbooks: [{ service: 'checkout', url: 'https://wiki.example.com/file', lastReviewed: '2026-01-01' }] }),
      );
    } finally {
      await store.close();
    }
    const result = await run(['set', 'checkout', '--url', 'https://elsewhere.example.com/x', '--reviewed', '2026-05-01']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('sextant.yaml');
    const listed = JSON.parse((await run(['list', '--json'])).stdout) as {
      items: Array<{ serviceId: string; url: string; source: string }>;
    };
    expect(listed.items.find((r) => r.serviceId === 'checkout')).toMatchObject({ url: 'https://wiki.example.com/file', source: 'config' });
  });
});
