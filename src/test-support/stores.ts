import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openStore, type DialectName, type Store } from '../store/database.js';
import { migrateModules } from '../workspace/workspace.js';

/**
 * The dialects store tests run on: SQLite always; PostgreSQL when
 * SEXTANT_TEST_DATABASE_URL points at a server (CI starts one). Each opened
 * store is private to its test: a fresh SQLite file, or a fresh PostgreSQL
 * schema that is dropped on close.
 */
export interface TestDialect {
  name: DialectName;
  open(options?: { migrate?: boolean }): Promise<Store>;
}

/** The PostgreSQL server tests use, when one is given. */
export const testPostgresUrl = process.env.SEXTANT_TEST_DATABASE_URL;
const postgresUrl = testPostgresUrl;
if (!postgresUrl) {
  const message =
    '\n*** Store tests run on SQLite only: SEXTANT_TEST_DATABASE_URL is not set ' +
    '(scripts/test-postgres.sh start DIR PORT prints one; CI always sets it). ***\n';
  // CI must test both dialects: there a missing URL fails instead of silently testing less.
  if (process.env.SEXTANT_REQUIRE_TOOLS) throw new Error(message);
  process.stderr.write(message);
}

export const TEST_DIALECTS: TestDialect[] = [
  { name: 'sqlite', open: openTestSqlite },
  ...(postgresUrl ? [{ name: 'postgres' as const, open: (o?: { migrate?: boolean }) => openTestPostgres(postgresUrl, o) }] : []),
];

export function makeTempDir(prefix = 'sextant-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

async function openTestSqlite(options?: { migrate?: boolean }): Promise<Store> {
  const dir = makeTempDir();
  const store = await openStore({ kind: 'sqlite', path: path.join(dir, 'sextant.db') });
  if (options?.migrate !== false) await migrateModules(store);
  return {
    ...store,
    close: async () => {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function openTestPostgres(url: string, options?: { migrate?: boolean }): Promise<Store> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const store = await openStore({ kind: 'postgres', url, schema });
  const close = async () => {
    await store.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`drop schema ${schema} cascade`);
    } finally {
      await client.end();
    }
  };
  if (options?.migrate !== false) {
    try {
      await migrateModules(store);
    } catch (error) {
      await close();
      throw error;
    }
  }
  return { ...store, close };
}
