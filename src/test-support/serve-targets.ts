import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { openStore, type DialectName, type Store } from '../store/database.js';
import { makeTempDir, testPostgresUrl } from './stores.js';

/**
 * A store for a real `sextant serve` child process: a workspace folder whose
 * embedded SQLite file the server uses, or that folder plus a fresh
 * PostgreSQL database (not a schema: `--database-url` uses the URL's default
 * search path). Each target is private to its test and removed by `cleanup`.
 */
export interface ServeTarget {
  dialect: DialectName;
  /** The arguments that point `sextant serve` (or any command) at this store. */
  args: string[];
  /** The SQLite file the server writes (SQLite only). */
  sqliteFile?: string;
  /** Opens the same store in this process (not migrated). */
  open(): Promise<Store>;
  cleanup(): Promise<void>;
}

/** SQLite always; PostgreSQL when SEXTANT_TEST_DATABASE_URL is set. */
export const SERVE_DIALECTS: DialectName[] = testPostgresUrl ? ['sqlite', 'postgres'] : ['sqlite'];

export async function makeServeTarget(dialect: DialectName, prefix = 'sextant-serve-'): Promise<ServeTarget> {
  const dir = makeTempDir(prefix);
  const removeDir = async () => fs.rmSync(dir, { recursive: true, force: true });
  if (dialect === 'sqlite') {
    const file = path.join(dir, '.sextant', 'sextant.db');
    return { dialect, args: ['-w', dir], sqliteFile: file, open: () => openStore({ kind: 'sqlite', path: file }), cleanup: removeDir };
  }
  if (!testPostgresUrl) throw new Error('a PostgreSQL target needs SEXTANT_TEST_DATABASE_URL');
  const url = testPostgresUrl;
  const name = `sextant_serve_${randomBytes(5).toString('hex')}`;
  await adminQuery(url, `create database ${name}`);
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${name}`;
  return {
    dialect,
    args: ['-w', dir, '--database-url', dbUrl.toString()],
    open: () => openStore({ kind: 'postgres', url: dbUrl.toString() }),
    cleanup: async () => {
      await removeDir();
      await adminQuery(url, `drop database if exists ${name} with (force)`);
    },
  };
}

async function adminQuery(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
