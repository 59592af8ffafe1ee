import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getService, replaceOrg, type Org } from '../org/index.js';
import { SeededRandom } from '../shared/random.js';
import { ingestRepository } from '../sources/git/ingest.js';
import type { Store } from '../store/database.js';
import { buildDeployment } from '../test-support/delivery-factories.js';
import { TestRepository, type ImportedCommit } from '../test-support/git-repository.js';
import { TEST_DIALECTS } from '../test-support/stores.js';
import { rebuildService, type AttributionState } from './attribution.js';
import type { Deployment } from './model.js';
import { recordDeployments } from './record.js';
import { ATTRIBUTION_STATE_PREFIX } from './store.js';

const HOUR = 3_600_000;
const START = Date.parse('2025-01-06T00:00:00Z');

function orgWith(repo: TestRepository, services: Array<{ id: string; paths: string[] }>): Org {
  return {
    teams: [{ id: 'core', name: 'Core', parentId: null, description: null, source: 'config' }],
    repositories: [{ id: 'mono', name: 'mono', path: repo.dir, url: null, defaultBranch: 'main', source: 'config' }],
    services: services.map((s) => ({
      id: s.id,
      name: s.id,
      ownerTeamId: 'core',
      description: null,
      repositories: [{ repositoryId: 'mono', paths: s.paths }],
      environments: [
        { name: 'production', production: true },
        { name: 'staging', production: false },
      ],
      source: 'config',
    })),
    people: [],
  };
}

/** Counts the rows every query through this Kysely returns: what a write read from the store. */
function rowCounter(): { plugin: KyselyPlugin; take: () => number } {
  let rows = 0;
  return {
    plugin: {
      transformQuery: (args) => args.node,
      transformResult: async (args) => {
        rows += args.result.rows.length;
        return args.result;
      },
    },
    take: () => {
      const taken = rows;
      rows = 0;
      return taken;
    },
  };
}

const locate = (index: number, field: string) => ({ field: `deployments[${index}].${field}` });

/** Every derived row: changes, each deployment's change summary, and each service's attribution state. */
async function derived(store: Store) {
  const changes = await store.db.selectFrom('delivery_changes').selectAll().orderBy('deployment_id').orderBy('sha').execute();
  const summaries = await store.db
    .selectFrom('delivery_deployments')
    .select(['id', 'change_count', 'change_author_times', 'change_committer_times'])
    .orderBy('id')
    .execute();
  // The stored state too: where each series stands (its tips), the deployments' digest and the counts.
  const states = (
    await store.db
      .selectFrom('delivery_settings')
      .selectAll()
      .where('name', 'like', `${ATTRIBUTION_STATE_PREFIX}%`)
      .orderBy('name')
      .execute()
  ).map((row) => {
    const state = JSON.parse(row.value) as AttributionState;
    return { ...state, series: [...state.series].sort((a, b) => (a.environment < b.environment ? -1 : 1)) };
  });
  return { changes, summaries, states };
}

/**
 * A history with what attribution has to get right: feature branches merged
 * into main, a maintenance branch with its own fixes, reverts that name the
 * reverted change by subject only (the latest change with that subject),
 * subjects that repeat, and commits in two folders (a service with a path
 * filter ships only one of them).
 */
function randomHistory(random: SeededRandom, size: number): { commits: ImportedCommit[]; main: number[]; release: number[] } {
  const commits: ImportedCommit[] = [];
  const main: number[] = [];
  const release: number[] = [];
  const subjects: string[] = [];
  let time = START - 400 * HOUR;
  const add = (commit: Omit<ImportedCommit, 'at'>) => {
    time += random.int(1, 90) * 60_000;
    commits.push({ ...commit, at: new Date(time).toISOString() });
    return commits.length - 1;
  };
  const folder = () => (random.chance(0.5) ? 'api' : 'web');
  main.push(add({ parents: [], message: 'Initial commit', files: { 'api/a.txt': 'a\n', 'web/w.txt': 'w\n' } }));
  while (commits.length < size) {
    const head = main[main.length - 1] as number;
    const i = commits.length;
    if (random.chance(0.08)) {
      let feature = head;
      for (let n = random.int(1, 3); n > 0; n--)
        feature = add({
          parents: [feature],
          branch: 'feature',
          message: `Feature ${i}-${n}`,
          files: { [`${folder()}/f${i}-${n}.txt`]: `${n}\n` },
        });
      main.push(add({ parents: [head, feature], message: `Merge feature ${i}` }));
    } else if (random.chance(0.05) && subjects.length > 0) {
      main.push(add({ parents: [head], message: `Revert "${random.pick(subjects)}"`, files: { [`${folder()}/r${i}.txt`]: 'r\n' } }));
    } else if (main.length > 30 && random.chance(0.06)) {
      // Fixes on the maintenance branch, cut from main early on.
      const from = release.length > 0 ? (release[release.length - 1] as number) : (main[25] as number);
      release.push(add({ parents: [from], branch: 'release', message: `Hotfix ${i}`, files: { [`${folder()}/h${i}.txt`]: 'h\n' } }));
    } else {
      // Subjects repeat now and then: a revert by subject names the latest of them.
      const subject = random.chance(0.1) && subjects.length > 0 ? random.pick(subjects) : `Change ${i}`;
      subjects.push(subject);
      main.push(add({ parents: [head], message: subject, files: { [`${folder()}/c${i}.txt`]: `${i}\n` } }));
    }
  }
  return { commits, main, release };
}

for (const dialect of TEST_DIALECTS) {
  describe(`deployments appended to a series, on ${dialect.name}`, () => {
    let store: Store;
    let repo: TestRepository;
    let shas: string[];
    let history: ReturnType<typeof randomHistory>;

    beforeAll(async () => {
      const random = new SeededRandom(42);
      history = randomHistory(random, 400);
      repo = TestRepository.create({ prefix: 'sextant-append-' });
      shas = repo.importCommits(history.commits);
      store = await dialect.open();
      await replaceOrg(
        store.db,
        orgWith(repo, [
          { id: 'api', paths: ['api/**'] },
          { id: 'whole', paths: [] },
        ]),
        'config',
      );
      await ingestRepository(store, { repositoryId: 'mono', path: repo.dir, field: 'path', detail: 'paths' });
    });
    afterAll(async () => {
      repo?.remove();
      await store?.close();
    });

    it('ships what rebuilding from the whole history ships, reading only the new part of it', async () => {
      const random = new SeededRandom(5);
      const counter = rowCounter();
      const db = store.db.withPlugin(counter.plugin);
      const sent = new Map<string, Deployment>();
      // Per series: the latest finish of a successful deployment with a commit, and whether one had a known commit.
      const latest = new Map<string, { finishedAt: number; id: string }>();
      const known = new Set<string>();
      const seen = new Set<string>();
      const position = new Map<string, number>();
      let time = START;
      let next = 0;
      const appended: string[] = [];
      const readByAppend: number[] = [];
      const readByRebuild: number[] = [];

      for (let step = 0; step < 160; step++) {
        const batch: Deployment[] = [];
        for (let n = random.chance(0.8) ? 1 : random.int(2, 3); n > 0; n--) {
          if (sent.size > 0 && random.chance(0.04)) {
            // A deployment sent again with another commit: an update, which re-derives the service.
            const before = random.pick([...sent.values()]);
            const near = position.get(`${before.serviceId}/${before.environment}`) ?? 30;
            batch.push({ ...before, commitSha: shas[history.main[Math.max(0, near - random.int(0, 5))] as number] as string });
            continue;
          }
          const serviceId = random.chance(0.5) ? 'api' : 'whole';
          const environment = random.chance(0.7) ? 'production' : 'staging';
          const series = `${serviceId}/${environment}`;
          const at = position.get(series) ?? random.int(20, 60);
          let commit: string;
          const roll = random.next();
          if (roll < 0.06) commit = random.int(0, 0xffffff).toString(16).padStart(40, 'f');
          else if (roll < 0.14 && history.release.length > 0) commit = shas[random.pick(history.release)] as string;
          else if (roll < 0.2) commit = shas[history.main[Math.max(0, at - random.int(1, 10))] as number] as string;
          else {
            const moved = Math.min(history.main.length - 1, at + random.int(0, 8));
            position.set(series, moved);
            commit = shas[history.main[moved] as number] as string;
          }
          if (random.chance(0.05)) commit = commit.slice(0, 12);
          time += random.int(1, 12) * HOUR;
          batch.push(
            buildDeployment({
              id: `d${next++}`,
              serviceId,
              environment,
              commitSha: commit,
              status: random.chance(0.9) ? 'success' : 'failure',
              // Now and then one finishes before the latest of its series (reported late).
              finishedAt: random.chance(0.05) ? time - 30 * HOUR : time,
            }),
          );
        }

        // What the test expects: new deployments, each at the end of a series that already shipped a known commit, append.
        const distinct = new Map(batch.map((d) => [d.id, d]));
        if (distinct.size < batch.length) continue;
        const services = new Set(batch.map((d) => d.serviceId));
        const seriesLatest = new Map(latest);
        // A service's first write has no stored state to start from.
        let appends = batch.every((d) => !sent.has(d.id) && seen.has(d.serviceId));
        for (const d of [...batch].sort((a, b) => a.finishedAt - b.finishedAt || (a.id < b.id ? -1 : 1))) {
          if (d.status !== 'success') continue;
          const series = `${d.serviceId}/${d.environment}`;
          const before = seriesLatest.get(series);
          if (before && (before.finishedAt > d.finishedAt || (before.finishedAt === d.finishedAt && before.id > d.id))) appends = false;
          else seriesLatest.set(series, { finishedAt: d.finishedAt, id: d.id });
          const isKnown = shas.some((sha) => sha.startsWith(d.commitSha as string));
          if (isKnown && !known.has(series)) appends = false;
          if (isKnown) known.add(series);
        }
        for (const d of batch) {
          if (d.status === 'success' && sent.get(d.id)?.status === 'success') appends = false;
        }
        counter.take();
        await recordDeployments(db, batch, 'api', locate);
        const read = counter.take();
        // Either way the series state moves on as if from the whole history.
        for (const [series, value] of seriesLatest) latest.set(series, value);
        for (const d of batch) {
          sent.set(d.id, d);
          seen.add(d.serviceId);
        }
        if (appends && services.size === 1) {
          appended.push(...batch.map((d) => d.id));
          readByAppend.push(read);
        } else if (!appends) readByRebuild.push(read);
      }

      // The cases the test means to cover occurred.
      expect(appended.length).toBeGreaterThan(60);
      expect(readByRebuild.length).toBeGreaterThan(5);
      // A rebuild reads the whole history (400 commits) and every deployment of the service. An append reads
      // what lies between the series' tips and the new commit: a few dozen rows for a deployment a few commits
      // ahead, up to a few hundred for one of a commit far behind the tips (proving it ships nothing takes a
      // walk down to it), never the whole history.
      expect(Math.min(...readByRebuild)).toBeGreaterThanOrEqual(400);
      const sorted = [...readByAppend].sort((a, b) => a - b);
      expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThan(60);
      expect(sorted[sorted.length - 1]).toBeLessThan(400);

      const incremental = await derived(store);
      const revertedBySubject = incremental.changes.filter(
        (c) =>
          appended.includes(c.deployment_id) &&
          c.reverts_sha !== null &&
          history.commits[shas.indexOf(c.sha)]?.message.startsWith('Revert'),
      );
      expect(revertedBySubject.length).toBeGreaterThan(0);
      const releaseShas = new Set(history.release.map((i) => shas[i]));
      expect(incremental.changes.some((c) => appended.includes(c.deployment_id) && releaseShas.has(c.sha))).toBe(true);

      // The reference: every service re-derived from the whole history, with no stored state to start from.
      await store.db.deleteFrom('delivery_settings').where('name', 'like', `${ATTRIBUTION_STATE_PREFIX}%`).execute();
      for (const id of ['api', 'whole']) await rebuildService(store.db, await getService(store.db, id));
      const rebuilt = await derived(store);
      expect(incremental.changes.length).toBeGreaterThan(200);
      expect(incremental.states).toHaveLength(2);
      expect(incremental).toEqual(rebuilt);
    });
  });

  describe(`one deployment's write on ${dialect.name}`, () => {
    let store: Store;
    let repo: TestRepository;

    afterAll(async () => {
      repo?.remove();
      await store?.close();
    });

    it('reads as many rows with 1,000 deployments stored as with 100', async () => {
      // A line of 3,100 commits; deployment i ships commits 3i+1..3i+3.
      repo = TestRepository.create({ prefix: 'sextant-append-line-' });
      const shas = repo.importCommits(
        Array.from({ length: 3100 }, (_, i) => ({
          parents: i === 0 ? [] : [i - 1],
          message: `Change ${i}`,
          at: new Date(START + i * 60_000).toISOString(),
        })),
      );
      store = await dialect.open();
      await replaceOrg(store.db, orgWith(repo, [{ id: 'whole', paths: [] }]), 'config');
      await ingestRepository(store, { repositoryId: 'mono', path: repo.dir, field: 'path', detail: 'commits' });
      const deployment = (i: number) =>
        buildDeployment({
          id: `d${String(i).padStart(4, '0')}`,
          serviceId: 'whole',
          commitSha: shas[3 * i + 3] as string,
          finishedAt: START + 3100 * 60_000 + i * HOUR,
        });
      const counter = rowCounter();
      const db = store.db.withPlugin(counter.plugin);
      const record = (ids: number[]) =>
        recordDeployments(
          db,
          ids.map((i) => deployment(i)),
          'api',
          locate,
        );
      const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);

      await record(range(0, 100));
      counter.take();
      await record([100]);
      const at100 = counter.take();
      for (let from = 101; from < 1000; from += 100) await record(range(from, Math.min(from + 100, 1000)));
      counter.take();
      await record([1000]);
      const at1000 = counter.take();

      expect(at1000).toBe(at100);
      // Stored rows: 3,100 commits and 100 or 1,000 deployments; the write reads a few dozen.
      expect(at100).toBeLessThan(60);
      const changes = await store.db
        .selectFrom('delivery_changes')
        .select(['sha'])
        .where('deployment_id', '=', 'd1000')
        .orderBy('sha')
        .execute();
      expect(changes.map((c) => c.sha)).toEqual([shas[3001], shas[3002], shas[3003]].sort());
    }, 120_000);
  });
}
