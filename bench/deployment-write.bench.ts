import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { rebuildService, stateSetting } from '../src/delivery/attribution.js';
import type { Deployment } from '../src/delivery/model.js';
import { recordDeployments } from '../src/delivery/record.js';
import { upsertDeployments } from '../src/delivery/store.js';
import { getService, replaceOrg } from '../src/org/index.js';
import { ingestRepository } from '../src/sources/git/index.js';
import { openStore, type Store } from '../src/store/database.js';
import { migrateModules } from '../src/workspace/workspace.js';
import { generateRepository } from './delivery-git-repo.js';
import { median, type Benchmark, type BenchmarkResult } from './harness.js';

const COMMITS = 125_000;
const SIZES = [1_000, 100_000];
const WRITES = 40;
const REBUILDS = 3;
const START = Date.parse('2020-01-01T00:00:00Z');
const HOUR = 3_600_000;

/**
 * Issue 9 item 4: one deployment's write costs the same with 1,000 and with
 * 100,000 deployments stored. A generated repository of 125k commits (main
 * with merged feature branches, bench/delivery-git-repo.ts); deployment i
 * ships main's first-parent commit i (with a merged branch's commits when it
 * is a merge). At each size, 40 single-deployment writes through
 * recordDeployments (what POST /api/v1/deployments and `sextant deployments
 * record` run), each one step ahead of the last. Compared in the same run
 * with its natural limit, inserting the same deployment row and nothing else
 * in a transaction, and with what the write cost before, re-deriving the
 * service's changes from the whole history (rebuildService).
 */
function progress(message: string): void {
  process.stdout.write(`  ${new Date().toISOString().slice(11, 19)} ${message}\n`);
}

const benchmark: Benchmark = {
  name: 'deployment-write',
  description: `one deployment written with 1,000 and 100,000 deployments stored (repository of ${COMMITS / 1000}k commits), on SQLite and PostgreSQL`,
  async run(): Promise<BenchmarkResult> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sextant-bench-write-'));
    const repo = await generateRepository(path.join(dir, 'repo.git'), COMMITS);
    const chain = execFileSync('git', ['rev-list', '--first-parent', '--reverse', 'main'], {
      cwd: repo.dir,
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    })
      .trim()
      .split('\n');
    const needed = (SIZES[SIZES.length - 1] as number) + 2 * WRITES + 10;
    if (chain.length < needed) throw new Error(`main has ${chain.length} first-parent commits, ${needed} needed`);

    const figures: Record<string, number> = {};
    const notes: string[] = [`load average at start ${os.loadavg()[0]?.toFixed(1)}`];
    const targets: NonNullable<BenchmarkResult['targets']> = [];
    const dialects: Array<{ name: string; open: () => Promise<{ store: Store; drop: () => Promise<void> }> }> = [
      {
        name: 'sqlite',
        open: async () => ({ store: await openStore({ kind: 'sqlite', path: path.join(dir, 'sextant.db') }), drop: async () => {} }),
      },
    ];
    const url = process.env.SEXTANT_TEST_DATABASE_URL;
    if (url) {
      dialects.push({
        name: 'postgres',
        open: async () => {
          const schema = `bench_${Date.now().toString(36)}`;
          const store = await openStore({ kind: 'postgres', url, schema });
          return { store, drop: () => sql`drop schema ${sql.id(schema)} cascade`.execute(store.db).then(() => undefined) };
        },
      });
    } else notes.push('PostgreSQL not measured: SEXTANT_TEST_DATABASE_URL was not set.');

    for (const dialect of dialects) {
      const { store, drop } = await dialect.open();
      try {
        await migrateModules(store);
        await replaceOrg(
          store.db,
          {
            teams: [{ id: 'core', name: 'Core', parentId: null, description: null, source: 'config' }],
            repositories: [{ id: 'app', name: 'app', path: repo.dir, url: null, defaultBranch: 'main', source: 'config' }],
            services: [
              {
                id: 'app',
                name: 'app',
                ownerTeamId: 'core',
                description: null,
                repositories: [{ repositoryId: 'app', paths: [] }],
                environments: [{ name: 'production', production: true }],
                source: 'config',
              },
            ],
            people: [],
          },
          'config',
        );
        progress(`${dialect.name}: ingesting ${repo.commits} commits`);
        let start = performance.now();
        await ingestRepository(store, { repositoryId: 'app', path: repo.dir, field: 'path', detail: 'commits' });
        figures[`${dialect.name}IngestSeconds`] = (performance.now() - start) / 1000;

        const deployment = (i: number): Deployment => ({
          id: `d${String(i).padStart(6, '0')}`,
          serviceId: 'app',
          environment: 'production',
          commitSha: chain[i] as string,
          startedAt: null,
          finishedAt: START + i * HOUR,
          status: 'success',
          rollbackOf: null,
          fixes: [],
          unplanned: false,
          version: null,
        });
        const service = await getService(store.db, 'app');
        let stored = 0;
        let next = (SIZES[SIZES.length - 1] as number) + 10;
        for (const size of SIZES) {
          progress(`${dialect.name}: ${size} deployments stored`);
          // Stored deployments written directly, then one rebuild: the state a long-running series would have.
          const rows = Array.from({ length: size - stored }, (_, k) => deployment(stored + k));
          await store.db.transaction().execute(async (tx) => {
            for (let k = 0; k < rows.length; k += 1000) await upsertDeployments(tx, rows.slice(k, k + 1000), 'api', Date.now());
          });
          stored = size;
          start = performance.now();
          await store.db.transaction().execute((tx) => rebuildService(tx, service));
          const setupRebuild = (performance.now() - start) / 1000;

          // The deployments written below ship commits after everything stored (ids and times after too).
          const writes: number[] = [];
          for (let w = 0; w < WRITES; w++) {
            const d = { ...deployment(next), id: `w${size}-${w}`, finishedAt: START + (next + 200_000) * HOUR };
            next++;
            start = performance.now();
            await recordDeployments(store.db, [d], 'api', (i, field) => ({ field: `deployments[${i}].${field}` }));
            writes.push(performance.now() - start);
          }
          const bare: number[] = [];
          for (let w = 0; w < WRITES; w++) {
            const d = {
              ...deployment(next),
              id: `bare${size}-${w}`,
              environment: 'production',
              finishedAt: START + (next + 200_000) * HOUR,
            };
            start = performance.now();
            await store.db.transaction().execute((tx) => upsertDeployments(tx, [d], 'api', Date.now()));
            bare.push(performance.now() - start);
            await store.db.deleteFrom('delivery_deployments').where('id', '=', d.id).execute();
          }
          // What one write cost before: the service's changes re-derived from the whole history.
          const rebuilds: number[] = [];
          for (let r = 0; r < REBUILDS; r++) {
            await store.db.deleteFrom('delivery_settings').where('name', '=', stateSetting('app')).execute();
            start = performance.now();
            await store.db.transaction().execute((tx) => rebuildService(tx, service));
            rebuilds.push((performance.now() - start) / 1000);
          }
          writes.sort((a, b) => a - b);
          const label = `${dialect.name}At${size / 1000}k`;
          figures[`${label}WriteMedianMs`] = median(writes);
          figures[`${label}WriteP95Ms`] = writes[Math.floor(writes.length * 0.95)] as number;
          figures[`${label}BareInsertMedianMs`] = median(bare);
          figures[`${label}RebuildSeconds`] = median(rebuilds);
          notes.push(`${dialect.name}, ${size} stored: setting up the stored state took one rebuild of ${setupRebuild.toFixed(2)} s`);
        }
        const small = figures[`${dialect.name}At1kWriteMedianMs`] as number;
        const large = figures[`${dialect.name}At100kWriteMedianMs`] as number;
        figures[`${dialect.name}WriteRatio100kTo1k`] = large / small;
        targets.push({
          description: `${dialect.name}: one deployment's write at 100,000 stored deployments within 1.5x of its cost at 1,000 (independent of history)`,
          met: large <= 1.5 * small,
        });
      } finally {
        await drop();
        await store.close();
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
    return {
      input: { commits: repo.commits, firstParentCommits: chain.length, storedDeployments: SIZES.join(' and '), writesPerSize: WRITES },
      figures,
      targets,
      notes: [
        ...notes,
        'A write = recordDeployments in its own transaction: validation against the store, the insert, the changes the deployment ships and the series state moved on.',
        'Bare insert = the same deployment row inserted in a transaction, nothing else: the floor for any write.',
        'Rebuild = re-deriving the service from the whole history, what every write did before (median of 3).',
      ],
    };
  },
};

export default benchmark;
