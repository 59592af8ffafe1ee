import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createToken } from '../auth/store.js';
import { runCli, startCliServer } from '../test-support/cli.js';
import { makeTempDir } from '../test-support/stores.js';
import { openStore } from '../store/database.js';
import { migrateModules } from '../workspace/workspace.js';

const ENVIRONMENTS_PER_SERVICE = 6;
const WRITERS = 8;

/**
 * SIGKILL gives the process no chance to clean up. Each PUT of a service writes
 * several rows (the service and its environments) in one transaction, so after
 * a kill in the middle of a stream of writes every service must be either
 * whole or absent, the file must pass SQLite's integrity and foreign-key
 * checks, and every write the server acknowledged must still be there.
 */
describe('store consistency after SIGKILL during writes', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged write and no partial one', async () => {
    const dir = makeTempDir('sextant-crash-');
    dirs.push(dir);
    const dbFile = path.join(dir, '.sextant', 'sextant.db');
    const setup = await openStore({ kind: 'sqlite', path: dbFile });
    await migrateModules(setup);
    const { token } = await createToken(setup.db, 'crash-test');
    await setup.db
      .insertInto('teams')
      .values({ id: 'core', name: 'Core', parent_id: null, description: null, source: 'api', created_at: 0, updated_at: 0 })
      .execute();
    await setup.close();

    const server = await startCliServer(['-w', dir]);
    const acknowledged: string[] = [];
    let next = 0;
    let killed = false;
    const writer = async () => {
      while (!killed) {
        const id = `svc-${next++}`;
        try {
          const response = await fetch(`${server.baseUrl}/api/v1/org/services/${id}`, {
            method: 'PUT',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify({
              name: id,
              team: 'core',
              environments: Array.from({ length: ENVIRONMENTS_PER_SERVICE }, (_, i) => `env-${i}`),
            }),
          });
          if (response.status === 200) acknowledged.push(id);
        } catch {
          // The connection dies with the process.
        }
      }
    };
    const writers = Array.from({ length: WRITERS }, writer);
    while (acknowledged.length < 150) await new Promise((resolve) => setTimeout(resolve, 5));
    const exited = new Promise((resolve) => server.child.on('exit', resolve));
    server.child.kill('SIGKILL');
    killed = true;
    await exited;
    await Promise.all(writers);

    // The WAL is left behind by the kill: opening the file recovers it.
    const db = new Database(dbFile);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    const perService = db
      .prepare('select s.id, count(e.name) as envs from services s left join service_environments e on e.service_id = s.id group by s.id')
      .all() as Array<{ id: string; envs: number }>;
    db.close();

    const stored = new Set(perService.map((row) => row.id));
    for (const id of acknowledged) expect(stored.has(id), `acknowledged ${id} is missing`).toBe(true);
    for (const row of perService) expect(row.envs, `service ${row.id} is partial`).toBe(ENVIRONMENTS_PER_SERVICE);
    expect(stored.size).toBeGreaterThanOrEqual(acknowledged.length);

    // And the server starts again on the recovered file.
    const again = runCli(['org', 'list', '--json', '-w', dir]);
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout).services.length).toBe(stored.size);
  });
});
