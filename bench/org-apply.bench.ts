import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { generateDemoOrg } from '../src/org/demo-org.js';
import { replaceOrg } from '../src/org/store.js';
import { openStore } from '../src/store/database.js';
import { migrateModules } from '../src/workspace/workspace.js';
import { medianSeconds, type Benchmark } from './harness.js';

const SCALE = 200;

/**
 * Applying a large organisation (the demo at scale 200: ~1,000 teams and
 * services, ~5,000 people) through the org store, against the natural limit:
 * the same rows written with raw prepared better-sqlite3 inserts in one
 * transaction, with no validation, upserts or Kysely.
 */
const benchmark: Benchmark = {
  name: 'org-apply',
  description: `apply the demo organisation at scale ${SCALE} to SQLite vs raw prepared inserts`,
  async run() {
    const org = generateDemoOrg({ seed: 1, scale: SCALE });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sextant-bench-'));
    const rows =
      org.teams.length +
      org.repositories.length +
      org.services.length * 4 +
      org.people.length +
      org.people.reduce((n, p) => n + p.emails.length + p.logins.length + 1, 0);

    let run = 0;
    const sextantSeconds = await medianSeconds(async () => {
      const store = await openStore({ kind: 'sqlite', path: path.join(dir, `sextant-${run++}.db`) });
      await migrateModules(store);
      const start = performance.now();
      await replaceOrg(store.db, org, 'demo');
      const elapsedSeconds = (performance.now() - start) / 1000;
      await store.close();
      return elapsedSeconds;
    });

    let rawRun = 0;
    const rawSeconds = await medianSeconds(async () => {
      const store = await openStore({ kind: 'sqlite', path: path.join(dir, `raw-${rawRun}.db`) });
      await migrateModules(store);
      await store.close();
      const start = performance.now();
      const db = new SqliteDatabase(path.join(dir, `raw-${rawRun++}.db`));
      db.pragma('journal_mode = WAL');
      db.pragma('foreign_keys = ON');
      const team = db.prepare('insert into teams values (?, ?, ?, ?, ?, ?, ?)');
      const repo = db.prepare('insert into repositories values (?, ?, ?, ?, ?, ?, ?, ?)');
      const service = db.prepare('insert into services values (?, ?, ?, ?, ?, ?, ?)');
      const link = db.prepare('insert into service_repositories values (?, ?, ?)');
      const env = db.prepare('insert into service_environments values (?, ?, ?)');
      const person = db.prepare('insert into people values (?, ?, ?, ?, ?, ?, ?)');
      const identity = db.prepare('insert or ignore into person_identities values (?, ?, ?)');
      db.transaction(() => {
        for (const t of org.teams) team.run(t.id, t.name, t.parentId, t.description, 'demo', 0, 0);
        for (const r of org.repositories) repo.run(r.id, r.name, r.path, r.url, r.defaultBranch, 'demo', 0, 0);
        for (const s of org.services) {
          service.run(s.id, s.name, s.ownerTeamId, s.description, 'demo', 0, 0);
          for (const l of s.repositories) link.run(s.id, l.repositoryId, JSON.stringify(l.paths));
          for (const e of s.environments) env.run(s.id, e.name, e.production ? 1 : 0);
        }
        for (const p of org.people) {
          person.run(p.id, p.name, p.teamId, p.bot ? 1 : 0, 'demo', 0, 0);
          for (const e of p.emails) identity.run(p.id, 'email', e.toLowerCase());
          for (const l of p.logins) identity.run(p.id, 'login', l.toLowerCase());
          identity.run(p.id, 'name', p.name.toLowerCase());
        }
      })();
      db.close();
      return (performance.now() - start) / 1000;
    });
    fs.rmSync(dir, { recursive: true, force: true });
    const ratio = sextantSeconds / rawSeconds;
    return {
      input: { scale: SCALE, teams: org.teams.length, services: org.services.length, people: org.people.length, rows },
      figures: { sextantSeconds, rawInsertSeconds: rawSeconds, ratioToRaw: ratio, rowsPerSecond: rows / sextantSeconds },
      notes: ['Both timings exclude creating and migrating the database file; both write the same rows in one transaction.'],
    };
  },
};

export default benchmark;
