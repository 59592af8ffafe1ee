import type { Kysely } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../../shared/random.js';
import type { Store } from '../../store/database.js';
import { TestRepository, type ImportedCommit } from '../../test-support/git-repository.js';
import { TEST_DIALECTS } from '../../test-support/stores.js';
import { computeGenerations, newCommitsSince } from './generations.js';
import { ingestRepository } from './ingest.js';
import { gitGenerationMigration } from './migrations/0100-git-generation.js';
import { reachable, type CommitGraph } from './walk-order.js';

type Link = { sha: string; parents: string[]; generation: number | null };

function fetcherOf(links: readonly Link[]) {
  const bySha = new Map(links.map((l) => [l.sha, l]));
  let calls = 0;
  const fetch = async (shas: readonly string[]) => {
    calls++;
    return shas.flatMap((sha) => {
      const link = bySha.get(sha);
      return link ? [link] : [];
    });
  };
  return { fetch, calls: () => calls };
}

/** A random history: each commit has one parent among the last few (two for a merge), a root now and then. */
function randomHistory(random: SeededRandom, size: number): Link[] {
  const commits: Array<{ sha: string; parents: string[]; committerTime: number }> = [];
  for (let i = 0; i < size; i++) {
    const parents = new Set<string>();
    if (i > 0 && !random.chance(0.02)) {
      parents.add(`c${Math.max(0, i - random.int(1, 6))}`);
      if (random.chance(0.2)) parents.add(`c${random.int(0, i - 1)}`);
    }
    // Clock skew now and then: a commit dated before its parents.
    commits.push({ sha: `c${i}`, parents: [...parents], committerTime: (i - (random.chance(0.1) ? random.int(1, 20) : 0)) * 1000 });
  }
  // Listed newest first, as git log lists them.
  commits.reverse();
  const generations = computeGenerations(commits, new Map());
  return commits.map((c) => ({ sha: c.sha, parents: c.parents, generation: generations.get(c.sha) as number }));
}

describe('generation numbers', () => {
  it('are corrected commit dates: the committer time, or one more than the highest parent when that is later', () => {
    // Worked by hand. a is a root at 100; b (200) and c (150) sit on a; the merge d of b and c is dated 180,
    // before b (clock skew), so it becomes 201, and e on d (190) becomes 202; f on c keeps its 160.
    // y's parent z is stored with 1000, so y (500) is 1001; x's parent w is neither read nor stored: x keeps 50.
    const commits = [
      { sha: 'e', parents: ['d'], committerTime: 190 },
      { sha: 'f', parents: ['c'], committerTime: 160 },
      { sha: 'd', parents: ['b', 'c'], committerTime: 180 },
      { sha: 'c', parents: ['a'], committerTime: 150 },
      { sha: 'b', parents: ['a'], committerTime: 200 },
      { sha: 'a', parents: [], committerTime: 100 },
      { sha: 'y', parents: ['z'], committerTime: 500 },
      { sha: 'x', parents: ['w'], committerTime: 50 },
    ];
    const generations = computeGenerations(commits, new Map([['z', 1000]]));
    expect(Object.fromEntries(generations)).toEqual({ a: 100, b: 200, c: 150, d: 201, e: 202, f: 160, y: 1001, x: 50 });
  });

  it('handle a history deeper than the call stack', () => {
    // Every commit dated 0: each is one more than its parent.
    const commits = Array.from({ length: 200_000 }, (_, i) => ({ sha: `c${i}`, parents: i === 0 ? [] : [`c${i - 1}`], committerTime: 0 }));
    const generations = computeGenerations(commits.reverse(), new Map());
    expect(generations.get('c199999')).toBe(199_999);
  });
});

describe('newCommitsSince', () => {
  it('gives what reachability over the whole graph gives, for random heads and tips', async () => {
    const random = new SeededRandom(7);
    for (let history = 0; history < 5; history++) {
      const links = randomHistory(random, 300);
      const graph: CommitGraph = new Map(links.map((l) => [l.sha, { parents: l.parents, committerTime: 0 }]));
      const { fetch } = fetcherOf(links);
      for (let query = 0; query < 40; query++) {
        const head = `c${random.int(0, 299)}`;
        // Tips as a series keeps them: none reaches another.
        const candidates = Array.from({ length: random.int(1, 3) }, () => `c${random.int(0, 299)}`);
        const tips = [...new Set(candidates)].filter((t) => !candidates.some((o) => o !== t && reachable(graph, o).has(t)));
        const shipped = new Set(tips.flatMap((t) => [...reachable(graph, t)]));
        const expected = [...reachable(graph, head)].filter((sha) => !shipped.has(sha)).sort();
        const reachedTips = tips.filter((t) => reachable(graph, head).has(t)).sort();

        const walk = await newCommitsSince(head, tips, fetch, 10_000);
        expect(walk, `${head} ^${tips.join(' ^')}`).toBeDefined();
        expect([...(walk?.commits ?? [])].sort()).toEqual(expected);
        expect([...(walk?.reachedExcluded ?? [])].sort()).toEqual(reachedTips);
      }
    }
  });

  it('reads the commits between the head and the tips, not the history below them', async () => {
    // A line of 10,000 commits; the tip is 3 below the head: 4 steps, each reading one commit's parents.
    const links: Link[] = Array.from({ length: 10_000 }, (_, i) => ({
      sha: `c${i}`,
      parents: i === 0 ? [] : [`c${i - 1}`],
      generation: i + 1,
    }));
    const { fetch, calls } = fetcherOf(links);
    const walk = await newCommitsSince('c9999', ['c9996'], fetch, 100);
    expect(walk).toEqual({ commits: ['c9999', 'c9998', 'c9997'], reachedExcluded: ['c9996'] });
    expect(calls()).toBeLessThanOrEqual(5);
  });

  it('gives up past its step limit, on a commit without a generation, and on generations that contradict the parents', async () => {
    const line = (n: number): Link[] =>
      Array.from({ length: n }, (_, i) => ({ sha: `c${i}`, parents: i === 0 ? [] : [`c${i - 1}`], generation: i + 1 }));
    expect(await newCommitsSince('c99', ['c0'], fetcherOf(line(100)).fetch, 50)).toBeUndefined();
    expect(await newCommitsSince('c99', ['c0'], fetcherOf(line(100)).fetch, 200)).toMatchObject({ reachedExcluded: ['c0'] });

    const unnumbered = line(10).map((l) => (l.sha === 'c5' ? { ...l, generation: null } : l));
    expect(await newCommitsSince('c9', ['c0'], fetcherOf(unnumbered).fetch, 100)).toBeUndefined();

    // c3 was stored before its parent c2 was read (a deepened shallow clone): c3 kept generation 1.
    const deepened = line(10).map((l) => (l.sha === 'c3' ? { ...l, generation: 1 } : l));
    expect(await newCommitsSince('c9', ['c0'], fetcherOf(deepened).fetch, 100)).toBeUndefined();

    // A head or tip that is not stored: the caller decides (unknown commit, or a history rewritten under the tips).
    expect(await newCommitsSince('nope', ['c0'], fetcherOf(line(10)).fetch, 100)).toBeUndefined();
    expect(await newCommitsSince('c9', ['gone'], fetcherOf(line(10)).fetch, 100)).toBeUndefined();
  });

  it('ships nothing from a tip or from a commit a tip reaches', async () => {
    const links: Link[] = Array.from({ length: 10 }, (_, i) => ({
      sha: `c${i}`,
      parents: i === 0 ? [] : [`c${i - 1}`],
      generation: i + 1,
    }));
    const { fetch } = fetcherOf(links);
    expect(await newCommitsSince('c5', ['c5'], fetch, 100)).toEqual({ commits: [], reachedExcluded: ['c5'] });
    expect(await newCommitsSince('c3', ['c5'], fetch, 100)).toEqual({ commits: [], reachedExcluded: [] });
  });
});

for (const dialect of TEST_DIALECTS) {
  describe(`stored generations on ${dialect.name}`, () => {
    let store: Store;
    let repo: TestRepository;
    afterAll(async () => {
      repo?.remove();
      await store?.close();
    });

    it('are filled at ingest, incrementally, and by the migration for commits stored before it', async () => {
      // Merges, a second root, and committer clocks that run backwards now and then.
      const random = new SeededRandom(3);
      const base = Date.parse('2024-01-01T00:00:00Z');
      const commits: ImportedCommit[] = [];
      for (let i = 0; i < 120; i++) {
        // Commit 60 is a second root, on its own branch, merged by 61.
        const parents = i === 0 || i === 60 ? [] : i === 61 ? [59, 60] : [i - 1];
        if (i > 10 && i !== 60 && i !== 61 && random.chance(0.15)) parents.push(random.int(0, i - 2));
        const skew = random.chance(0.1) ? -random.int(1, 48) * 3_600_000 : 0;
        commits.push({
          parents: [...new Set(parents)],
          ...(i === 60 ? { branch: 'other' } : {}),
          message: `c${i}`,
          at: new Date(base + i * 3_600_000 + skew).toISOString(),
        });
      }
      repo = TestRepository.create({ prefix: 'sextant-generations-' });
      repo.importCommits(commits);
      store = await dialect.open();
      await store.db
        .insertInto('repositories')
        .values({ id: 'r', name: 'r', path: repo.dir, url: null, default_branch: 'main', source: 'config', created_at: 0, updated_at: 0 })
        .execute();
      await ingestRepository(store, { repositoryId: 'r', path: repo.dir, field: 'path' });
      // Three more commits on main, read by an incremental sync: their parents' generations come from the store.
      for (let i = 0; i < 3; i++) repo.commit({ message: `late ${i}`, at: `2024-03-0${i + 1}T00:00:00Z` });
      expect((await ingestRepository(store, { repositoryId: 'r', path: repo.dir, field: 'path' })).commitsRead).toBe(3);

      // Independently: git's own topological order (parents first), each commit max(its date, highest parent + 1).
      const expected = new Map<string, number>();
      for (const line of repo.git(['log', '--all', '--topo-order', '--reverse', '--format=%H %ct %P']).split('\n')) {
        const [sha, seconds, ...parents] = line.split(' ');
        const highest = Math.max(-Infinity, ...parents.filter((p) => p !== '').map((p) => expected.get(p) as number));
        expected.set(sha as string, Math.max(Number(seconds) * 1000, highest + 1));
      }
      const stored = async () =>
        new Map(
          (await store.db.selectFrom('git_commits').select(['sha', 'generation', 'committer_time']).execute()).map((r) => [
            r.sha,
            // Stored only where the clock was skewed; the committer time elsewhere.
            Number(r.generation ?? r.committer_time),
          ]),
        );
      expect(expected.size).toBe(123);
      // The test means to cover corrections: some commits are dated before a parent.
      const corrected = await store.db.selectFrom('git_commits').select('sha').where('generation', 'is not', null).execute();
      expect(corrected.length).toBeGreaterThan(5);
      expect(await stored()).toEqual(expected);

      // A store from before generations: the migration computes them for every stored commit.
      await gitGenerationMigration.down?.(store.db as Kysely<unknown>);
      await gitGenerationMigration.up(store.db as Kysely<unknown>);
      expect(await stored()).toEqual(expected);
    });
  });
}
