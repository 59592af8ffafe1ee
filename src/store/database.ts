import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  Kysely,
  PostgresDialect,
  SqliteDialect,
  sql,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import pg from 'pg';
import { yieldIfBusy } from '../shared/yield.js';

/**
 * Every table Sextant stores, for Kysely's typing. Empty here — the store knows
 * no module — and filled by declaration merging: each module's `tables.ts`
 * adds its own tables (`declare module '../store/database.js' { interface
 * Database extends DeliveryTables {} }`).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface Database {}

export type DialectName = 'sqlite' | 'postgres';

export type StoreTarget =
  | { kind: 'sqlite'; path: string }
  /** `schema`, when set, is created if missing and put first on the search path (tests use one per run). */
  | { kind: 'postgres'; url: string; schema?: string };

/**
 * The open database. Modules receive this (or just `db`) and keep their SQL in
 * their own store files; dialect differences are answered by `dialect` here and
 * in store/dialect.ts, nowhere else.
 */
export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  /** Human description for logs: the file path or the URL without its password. */
  readonly location: string;
  /** Round-trips a trivial query; throws when the database cannot answer. */
  ping(): Promise<void>;
  /**
   * SQLite only: `pragma data_version` of the store's connection, read directly
   * (no query building, no wait for the connection): it changes when another
   * connection commits. The response cache reads it on every cached answer.
   */
  dataVersion?(): number;
  /**
   * SQLite only: prepares `statement` once and returns a function that runs it
   * for each row of parameters, directly on the store's one connection (so
   * inside the Kysely transaction the caller has open). For bulk writes: one
   * prepared statement per row costs a third of expanding a JSON batch.
   */
  bulkStatement?(statement: string): (rows: ReadonlyArray<readonly unknown[]>) => void;
  close(): Promise<void>;
}

// PostgreSQL returns int8 (bigint: our instants, counts) and numeric as strings to
// avoid precision loss. Our int8 values are epoch milliseconds and counts, far
// below 2^53, so numbers are exact.
const PG_INT8_OID = 20;
const PG_NUMERIC_OID = 1700;
pg.types.setTypeParser(PG_INT8_OID, (value) => Number(value));
pg.types.setTypeParser(PG_NUMERIC_OID, (value) => Number(value));

const SQLITE_BUSY_TIMEOUT_MS = 5000;

/** After each SQLite query, lets other requests in once the current slice of work is used up (shared/yield.ts). */
class YieldBetweenQueries implements KyselyPlugin {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    await yieldIfBusy();
    return args.result;
  }
}

export async function openStore(target: StoreTarget): Promise<Store> {
  return target.kind === 'sqlite' ? openSqlite(target.path) : openPostgres(target.url, target.schema);
}

function openSqlite(file: string): Store {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // Only the owner may read the store (tokens' hashes, people's names): create
  // the file 0600 before SQLite opens it; its -wal and -shm files copy the mode.
  if (!fs.existsSync(file)) fs.closeSync(fs.openSync(file, 'a', 0o600));
  const sqlite = new SqliteDatabase(file);
  // WAL lets the dashboard read while ingestion writes; with synchronous=NORMAL a
  // crash can lose the last transactions but never leaves a torn one.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  // Aggregates (GROUP BY over 200,000 work items) sort in memory, and a 64 MiB page cache keeps the
  // tables a dashboard reads in memory: capacity for 200,000 items 850 ms -> 400-500 ms.
  sqlite.pragma('temp_store = memory');
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  // better-sqlite3 answers synchronously: a view of many queries would hold the event loop throughout.
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }), plugins: [new YieldBetweenQueries()] });
  const dataVersion = sqlite.prepare('pragma data_version').pluck();
  return {
    db,
    dialect: 'sqlite',
    location: file,
    dataVersion: () => dataVersion.get() as number,
    bulkStatement: (statement) => {
      const prepared = sqlite.prepare(statement);
      return (rows) => {
        for (const row of rows) prepared.run(...row);
      };
    },
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

async function openPostgres(url: string, schema: string | undefined): Promise<Store> {
  if (schema !== undefined) {
    if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new RangeError(`unsafe schema name "${schema}"`);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`create schema if not exists ${schema}`);
    } finally {
      await client.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    ...(schema !== undefined ? { options: `-c search_path=${schema}` } : {}),
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    location: redactUrl(url) + (schema ? ` (schema ${schema})` : ''),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}
