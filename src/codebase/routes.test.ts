import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveRepository, saveService, saveTeam } from '../org/index.js';
import { buildTestApp } from '../test-support/app.js';
import type { Store } from '../store/database.js';
import { TEST_DIALECTS } from '../test-support/stores.js';
import { z } from 'zod';
import { RESULT_SCHEMAS } from './api-schemas.js';
import { refreshHistory } from './history-cache.js';
import { buildCodebaseFixture, type TestRepository } from '../test-support/git-repository.js';

// The fixture history of test-git-repo.ts; expected values as worked out in analyses.test.ts.
for (const dialect of TEST_DIALECTS) {
  describe(`codebase API on ${dialect.name}`, () => {
    let repo: TestRepository;
    let store: Store;
    let app: FastifyInstance;
    beforeAll(async () => {
      repo = buildCodebaseFixture();
      store = await dialect.open();
      await saveRepository(store.db, { id: 'app', name: 'App', path: repo.dir, url: null, defaultBranch: null });
      await saveTeam(store.db, { id: 'core', name: 'Core', parentId: null, description: null });
      await saveService(store.db, {
        id: 'lib',
        name: 'Lib',
        ownerTeamId: 'core',
        description: null,
        repositories: [{ repositoryId: 'app', paths: ['src/lib/**'] }],
        environments: [],
      });
      await refreshHistory(store, 'app', repo.dir);
      app = await buildTestApp(store);
    });
    afterAll(async () => {
      await app.close();
      await store.close();
      repo.remove();
    });

    it('lists the analysed repositories', async () => {
      const response = await app.inject({ method: 'GET', url: '/api/v1/codebase/repositories' });
      expect(response.statusCode).toBe(200);
      // The store keeps epoch ms; the API says the same instant in ISO 8601.
      const stored = await store.db.selectFrom('codebase_histories').select('analysed_at').executeTakeFirstOrThrow();
      expect(response.json()).toEqual({
        items: [{ repositoryId: 'app', head: repo.head(), commits: 8, analysedAt: new Date(Number(stored.analysed_at)).toISOString() }],
        nextCursor: null,
      });
    });

    it('runs an analysis on a repository with options from the query string', async () => {
      const url = '/api/v1/codebase/analyses/revisions?repository=app&include=src/**&exclude=**/c.ts';
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        analysis: 'revisions',
        results: [
          {
            repositoryId: 'app',
            paths: [],
            rev: repo.head(),
            // c1 c2 c3 c4 c5 c6 change src/a.ts or src/lib/b.ts.
            commits: 6,
            result: [
              { entity: 'src/a.ts', nRevs: 4 },
              { entity: 'src/lib/b.ts', nRevs: 4 },
            ],
          },
        ],
      });
    });

    it("narrows a service to its path globs: src/lib/b.ts's history, rename included", async () => {
      const response = await app.inject({ method: 'GET', url: '/api/v1/codebase/analyses/truck-factor?service=lib' });
      expect(response.statusCode).toBe(200);
      const [result] = response.json().results;
      expect(result.paths).toEqual(['src/lib/**']);
      // c1 c2 c4 c5 change src/lib/b.ts (c1, c2 under its old name). Ann created it (FA=1, DL=0, AC=3: 3.946);
      // Bob's later c2 and c4 (DL=2, AC=1: 3.399, 0.861 of Ann's) make him an author too, as in the authors'
      // tool: removing Ann leaves Bob, so the truck factor of this one file is 2.
      expect(result.commits).toBe(4);
      expect(result.result).toMatchObject({ truckFactor: 2, files: [{ path: 'src/lib/b.ts', authors: ['Ann', 'Bob'] }] });
    });

    it('rejects bad queries with the field named, and unknown repositories with 404', async () => {
      const noScope = await app.inject({ method: 'GET', url: '/api/v1/codebase/analyses/revisions' });
      expect(noScope.statusCode).toBe(400);
      expect(noScope.json().errors).toEqual([{ field: 'query.repository', message: 'give exactly one of repository or service' }]);
      const badAnalysis = await app.inject({ method: 'GET', url: '/api/v1/codebase/analyses/nonsense?repository=app' });
      expect(badAnalysis.statusCode).toBe(400);
      expect(badAnalysis.json().errors[0].field).toBe('params.analysis');
      const badDate = await app.inject({ method: 'GET', url: '/api/v1/codebase/analyses/age?repository=app&ageTimeNow=2024-13-01' });
      expect(badDate.json().errors).toEqual([{ field: 'query.ageTimeNow', message: 'is not a calendar date' }]);
      const unknownPerson = await app.inject({
        method: 'GET',
        url: '/api/v1/codebase/analyses/knowledge-risk?repository=app&without=Dora',
      });
      expect(unknownPerson.statusCode).toBe(400);
      expect(unknownPerson.json().errors[0].field).toBe('query.without[0]');
      const unknown = await app.inject({ method: 'GET', url: '/api/v1/codebase/analyses/revisions?repository=nope' });
      expect(unknown.statusCode).toBe(404);
    });

    it('returns results of the shapes its OpenAPI schemas declare', async () => {
      // Strict parsing: a field the schema does not declare fails too, so the generated dashboard types miss nothing.
      for (const [analysis, schema] of Object.entries(RESULT_SCHEMAS)) {
        const response = await app.inject({
          method: 'GET',
          url: `/api/v1/codebase/analyses/${analysis}?repository=app&minRevs=1&minSharedRevs=1`,
        });
        expect(response.statusCode, analysis).toBe(200);
        const [first] = response.json().results;
        // Rows to check, not an empty list that any array schema accepts.
        if (Array.isArray(first.result)) expect(first.result.length, analysis).toBeGreaterThan(0);
        expect(() => strict(schema).parse(first.result), analysis).not.toThrow();
      }
    });

    it('describes its routes in the OpenAPI document', async () => {
      const document = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
      const operation = document.paths['/api/v1/codebase/analyses/{analysis}'].get;
      expect(operation.operationId).toBe('getCodebaseAnalysis');
      expect(operation.parameters.map((p: { name: string }) => p.name)).toEqual(
        expect.arrayContaining(['analysis', 'repository', 'service', 'minRevs']),
      );
    });
  });
}

/** The schema with every object strict (unknown keys rejected), all the way down. */
function strict(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodObject) {
    return z.strictObject(
      Object.fromEntries(Object.entries(schema.shape as Record<string, z.ZodType>).map(([key, value]) => [key, strict(value)])),
    );
  }
  if (schema instanceof z.ZodArray) return z.array(strict(schema.element as z.ZodType));
  if (schema instanceof z.ZodOptional) return strict(schema.unwrap() as z.ZodType).optional();
  return schema;
}
