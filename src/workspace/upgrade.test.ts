import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { openStore } from '../store/database.js';
import { buildTestApp } from '../test-support/app.js';
import { makeTempDir } from '../test-support/stores.js';
import { migrateModules } from './workspace.js';

const TESTDATA = path.join(import.meta.dirname, 'testdata');

/**
 * A store written by the build before the module contract (testdata/README.md)
 * migrates with today's modules — each owning its own migration files now — and
 * answers the delivery summaries with the figures that build recorded — the
 * five metrics now reading incidents through the incidents module, which
 * migration 0401 filled from delivery's old table.
 */
describe('a store from Sextant 0.1.0', () => {
  it('migrates cleanly and gives the same delivery figures', async () => {
    const dir = makeTempDir();
    const file = path.join(dir, 'sextant.db');
    fs.writeFileSync(file, zlib.gunzipSync(fs.readFileSync(path.join(TESTDATA, 'store-0.1.0.db.gz'))));
    const store = await openStore({ kind: 'sqlite', path: file });
    try {
      const report = await migrateModules(store);
      // Every migration of 0.1.0 is recorded under the same name, so none is applied again.
      for (const name of [
        '0001-org',
        '0002-api-tokens',
        '0100-git',
        '0101-delivery',
        '0102-delivery-change-summary',
        '0200-slos',
        '0300-codebase',
      ])
        expect(report.applied).not.toContain(name);
      expect(report.applied).toContain('0401-incidents');

      // Every incident 0.1.0 recorded in delivery_incidents (109 in this store, counted with
      // `sqlite3 store-0.1.0.db 'select count(*) from delivery_incidents'`) is now the incidents
      // module's, field for field: the old row read straight from the old table, compared with the new.
      const before = await store.db.selectFrom('delivery_incidents').selectAll().orderBy('id').execute();
      const after = await store.db.selectFrom('incidents').selectAll().orderBy('id').execute();
      expect(before).toHaveLength(109);
      expect(after).toHaveLength(109);
      after.forEach((row, i) => {
        const old = before[i] as (typeof before)[number];
        expect({
          id: row.id,
          service_id: row.service_id,
          severity: row.severity,
          started_at: row.impact_started_at,
          detected_at: row.detected_at,
          resolved_at: row.resolved_at,
          caused_by_deployment: row.caused_by_deployment,
          caused_by_sha: row.caused_by_sha,
          source: row.source,
          updated_at: row.updated_at,
        }).toEqual(old);
        expect(JSON.parse(row.services)).toEqual([old.service_id]);
        expect(row.drill).toBe(0);
        expect(row.status).toBe(old.resolved_at === null ? 'investigating' : 'resolved');
      });
      const expected = JSON.parse(fs.readFileSync(path.join(TESTDATA, 'store-0.1.0.figures.json'), 'utf8')) as Record<
        string,
        Record<string, unknown>
      >;
      const app = await buildTestApp(store);
      try {
        for (const [query, figures] of Object.entries(expected)) {
          const response = await app.inject({ method: 'GET', url: `/api/v1/delivery/summary?${query}` });
          expect(response.statusCode, query).toBe(200);
          const body = response.json() as Record<string, unknown>;
          for (const [metric, value] of Object.entries(figures)) expect(body[metric], `${query}: ${metric}`).toEqual(value);
        }
      } finally {
        await app.close();
      }
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
