import { sql, type Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../test-support/stores.js';
import type { Store } from './database.js';
import { insertJsonRows, insertRows, type JsonColumn } from './json-rows-insert.js';

/**
 * Bulk inserts: on SQLite `insertRows` runs one prepared statement per row
 * (Store.bulkStatement) instead of expanding a JSON batch; both must store
 * exactly the same values, with the same conflict handling, on both stores.
 */
const COLUMNS: JsonColumn[] = [
  { name: 'id', type: 'text' },
  { name: 'n', type: 'bigint' },
  { name: 'x', type: 'double precision' },
  { name: 'label', type: 'text' },
  { name: 'note', type: 'text' },
];

// Edge values worked out by hand: the largest safe integer, a negative, a fraction, an empty and a non-BMP string, nulls.
const FIRST: unknown[][] = [
  ['a', 9007199254740991, 1.5, 'ä 😀 "quoted" \\ back', null],
  ['b', -3, 0, '', 'kept?'],
  ['c', null, null, 'plain', 'n1'],
];
// The same keys again: `label` must stay as first written, `note` is updated only where asked.
const SECOND: unknown[][] = [
  ['b', 4, 2.25, 'changed', 'updated'],
  ['d', 7, -0.5, 'new', null],
];

for (const dialect of TEST_DIALECTS) {
  describe(`bulk inserts on ${dialect.name}`, () => {
    let store: Store | undefined;
    afterEach(async () => {
      await store?.close();
      store = undefined;
    });

    const createTable = (db: Kysely<unknown>, name: string) =>
      sql`create table ${sql.table(name)} (id text primary key, n bigint, x double precision, label text, note text)`.execute(db);
    const read = async (db: Kysely<unknown>, name: string) =>
      (
        await sql<{ id: string; n: number | string | null; x: number | null; label: string; note: string | null }>`
          select id, n, x, label, note from ${sql.table(name)} order by id`.execute(db)
      ).rows.map((row) => ({ ...row, n: row.n === null ? null : Number(row.n) }));

    it('stores every value exactly, skips conflicting rows and updates only the columns named', async () => {
      store = await dialect.open({ migrate: false });
      const db = store.db as unknown as Kysely<unknown>;
      await createTable(db, 'bulk_probe');
      await db.transaction().execute(async (tx) => {
        const target = { db: tx, dialect: store!.dialect, bulkStatement: store!.bulkStatement };
        await insertRows(target, 'bulk_probe', COLUMNS, FIRST, ['id']);
        await insertRows(target, 'bulk_probe', COLUMNS, [['a', 1, 1, 'ignored', 'ignored']], ['id']);
        await insertRows(target, 'bulk_probe', COLUMNS, SECOND, ['id'], ['note']);
      });
      expect(await read(db, 'bulk_probe')).toEqual([
        { id: 'a', n: 9007199254740991, x: 1.5, label: 'ä 😀 "quoted" \\ back', note: null },
        { id: 'b', n: -3, x: 0, label: '', note: 'updated' },
        { id: 'c', n: null, x: null, label: 'plain', note: 'n1' },
        { id: 'd', n: 7, x: -0.5, label: 'new', note: null },
      ]);
    });

    if (dialect.name === 'sqlite') {
      it('stores the same values with the same SQLite types as the JSON batch', async () => {
        store = await dialect.open({ migrate: false });
        expect(store.bulkStatement).toBeDefined();
        const db = store.db as unknown as Kysely<unknown>;
        await createTable(db, 'by_statement');
        await createTable(db, 'by_json');
        await db.transaction().execute(async (tx) => {
          const target = { db: tx, dialect: store!.dialect, bulkStatement: store!.bulkStatement };
          await insertRows(target, 'by_statement', COLUMNS, FIRST, ['id']);
          await insertRows(target, 'by_statement', COLUMNS, SECOND, ['id'], ['note', 'x']);
          await insertJsonRows(tx, 'sqlite', 'by_json', COLUMNS, FIRST, ['id']);
          await insertJsonRows(tx, 'sqlite', 'by_json', COLUMNS, SECOND, ['id'], ['note', 'x']);
        });
        const typed = (name: string) =>
          sql`select id, n, typeof(n) as nt, x, typeof(x) as xt, label, note, typeof(note) as ot from ${sql.table(name)} order by id`
            .execute(db)
            .then((result) => result.rows);
        const byStatement = await typed('by_statement');
        expect(byStatement).toHaveLength(4);
        expect(byStatement).toEqual(await typed('by_json'));
        // An integer bound from JavaScript is stored as an integer in a bigint column, as the JSON path stores it.
        expect(byStatement[0]).toMatchObject({ id: 'a', nt: 'integer', xt: 'real' });
      });
    }
  });
}
