import { Migrator, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateModules } from '../workspace/workspace.js';
import { MODULES } from '../modules.js';
import { collectMigrations } from '../store/migrate.js';

const migrations = collectMigrations(MODULES);
import { TEST_DIALECTS } from '../test-support/stores.js';
import { loadDeploymentsWithStarts } from './store.js';

for (const dialect of TEST_DIALECTS) {
  describe(`migration 0102 on ${dialect.name}`, () => {
    it('backfills the change summaries of deployments recorded before it', async () => {
      const store = await dialect.open({ migrate: false });
      try {
        // Naming the schema keeps Kysely from mistaking another test schema's lock table for this one's.
        const schema =
          dialect.name === 'postgres'
            ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(store.db)).rows[0]?.schema
            : undefined;
        const migrator = new Migrator({
          db: store.db,
          provider: { getMigrations: async () => migrations },
          allowUnorderedMigrations: true,
          ...(schema ? { migrationTableSchema: schema } : {}),
        });
        const before = await migrator.migrateTo('0101-delivery');
        expect(before.error).toBeUndefined();
        const db = store.db;
        await db
          .insertInto('teams')
          .values({ id: 't', name: 'T', parent_id: null, description: null, source: 'api', created_at: 0, updated_at: 0 })
          .execute();
        await db
          .insertInto('services')
          .values({ id: 's', name: 'S', owner_team_id: 't', description: null, source: 'api', created_at: 0, updated_at: 0 })
          .execute();
        const deployment = {
          service_id: 's',
          environment: 'production',
          commit_sha: null,
          started_at: null,
          status: 'success' as const,
          rollback_of: null,
          fixes: '[]',
          unplanned: 0,
          version: null,
          source: 'api',
          updated_at: 0,
        };
        // The 0101 table has no summary columns yet: insert through a row without them.
        await db
          .insertInto('delivery_deployments')
          .values([
            { ...deployment, id: 'd1', finished_at: 5000 },
            { ...deployment, id: 'd2', finished_at: 9000 },
          ] as never)
          .execute();
        await db
          .insertInto('delivery_changes')
          .values([
            { deployment_id: 'd1', sha: 'a', author_time: 1000, committer_time: 1500, reverts_sha: null, fixes_sha: null },
            { deployment_id: 'd1', sha: 'b', author_time: 2000, committer_time: 2500, reverts_sha: null, fixes_sha: null },
          ])
          .execute();

        await migrateModules(store);
        const author = await loadDeploymentsWithStarts(db, {}, 'author');
        expect(Array.from(author.startsByDeployment.get('d1') ?? []).sort()).toEqual([1000, 2000]);
        expect(author.startsByDeployment.has('d2')).toBe(false);
        const committer = await loadDeploymentsWithStarts(db, {}, 'committer');
        expect(Array.from(committer.startsByDeployment.get('d1') ?? []).sort()).toEqual([1500, 2500]);
        const counts = await db.selectFrom('delivery_deployments').select(['id', 'change_count']).orderBy('id').execute();
        expect(counts).toEqual([
          { id: 'd1', change_count: 2 },
          { id: 'd2', change_count: 0 },
        ]);
      } finally {
        await store.close();
      }
    });
  });
}
