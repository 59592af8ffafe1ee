import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../test-support/stores.js';
import type { Store } from './database.js';
import { MODULES } from '../modules.js';
import { collectMigrations, migrateToLatest } from './migrate.js';

const migrations = collectMigrations(MODULES);

for (const dialect of TEST_DIALECTS) {
  describe(`migrations on ${dialect.name}`, () => {
    let store: Store | undefined;
    afterEach(async () => {
      await store?.close();
      store = undefined;
    });

    it('applies every migration once, and a second run is a no-op', async () => {
      store = await dialect.open({ migrate: false });
      const first = await migrateToLatest(store, migrations);
      expect(first.applied).toEqual(Object.keys(migrations).sort());
      const second = await migrateToLatest(store, migrations);
      expect(second.applied).toEqual([]);
      // The tables exist and are empty: a count works on each.
      for (const table of ['teams', 'services', 'repositories', 'people', 'api_tokens'] as const) {
        const row = await store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow();
        expect(Number(row.n)).toBe(0);
      }
    });

    it('enforces foreign keys', async () => {
      store = await dialect.open();
      const insertOrphan = store.db
        .insertInto('services')
        .values({ id: 's', name: 'S', owner_team_id: 'no-such-team', description: null, source: 'api', created_at: 0, updated_at: 0 })
        .execute();
      await expect(insertOrphan).rejects.toThrow();
      const count = await store.db
        .selectFrom('services')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(0);
    });

    if (dialect.name === 'postgres') {
      it('migrates a second store in the same database while the first one exists', async () => {
        // Without pinning Kysely's migration tables to the store's schema, the
        // second migrator sees the first schema's tables and never creates its own.
        const first = await dialect.open();
        try {
          store = await dialect.open({ migrate: false });
          expect((await migrateToLatest(store, migrations)).applied).toEqual(Object.keys(migrations).sort());
        } finally {
          await first.close();
        }
      });
    }

    if (dialect.name === 'postgres') {
      it('migrates while other schemas on the same server are created and dropped', async () => {
        // Kysely's own introspector reads every column of every schema and failed
        // ("column ... of relation ... does not exist") when another schema was
        // dropped meanwhile: a flake seen once in CI with parallel test schemas.
        // Two churners create and drop schemas with wide tables beside five migrations; each must succeed.
        let churning = true;
        const churnOnce = async () => {
          let round = 0;
          while (churning) {
            const other = await dialect.open({ migrate: false });
            const wide = Array.from({ length: 60 }, (_, i) => `c${i} text`).join(', ');
            for (let t = 0; t < 10; t++) await sql.raw(`create table churn_${round}_${t} (${wide})`).execute(other.db);
            await other.close(); // drops the schema
            round++;
          }
          return round;
        };
        const churners = [churnOnce(), churnOnce()];
        try {
          for (let i = 0; i < 5; i++) {
            const target = await dialect.open({ migrate: false });
            try {
              expect((await migrateToLatest(target, migrations)).applied).toEqual(Object.keys(migrations).sort());
            } finally {
              await target.close();
            }
          }
        } finally {
          churning = false;
        }
        for (const rounds of await Promise.all(churners)) expect(rounds).toBeGreaterThan(0);
      });
    }

    if (dialect.name === 'sqlite') {
      it('opens SQLite in WAL mode with foreign keys on and a busy timeout', async () => {
        store = await dialect.open();
        const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(store.db);
        const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(store.db);
        const busy = await sql<{ timeout: number }>`pragma busy_timeout`.execute(store.db);
        expect(mode.rows[0]?.journal_mode).toBe('wal');
        expect(fk.rows[0]?.foreign_keys).toBe(1);
        expect(busy.rows[0]?.timeout).toBeGreaterThan(0);
      });
    }
  });
}
