import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestRepository } from '../../test-support/git-repository.js';
import { readCommits } from './read-commits.js';
import { reachable, walkOrder, walkOrderSince, type CommitGraph } from './walk-order.js';

/**
 * walkOrder must list exactly what `git log head ^after` lists, in git's
 * order, from stored parents and committer times alone. The independent
 * method is git itself: every expectation below is git's own output.
 *
 * The history is built to hit every rule of git's default order: commits in
 * the same second (ties keep insertion order), a clock-skewed commit older
 * than its parent, two branches merged with interleaved dates, an octopus
 * merge, a merge of two parents from the same second, and a side branch
 * that starts before the point `after` names. (Reversing the tie rule fails
 * this test; so does ignoring committer times.)
 */
describe('walking stored history in git log order', () => {
  let repo: TestRepository;
  let graph: CommitGraph;
  const sha: Record<string, string> = {};

  beforeAll(async () => {
    repo = TestRepository.create();
    const at = (minute: number, second = 0) => `2024-05-01T10:${String(minute).padStart(2, '0')}:${String(second).padStart(2, '0')}Z`;
    sha.root = repo.commit({ message: 'root', at: at(0) });
    sha.a1 = repo.commit({ message: 'a1', at: at(1) });
    repo.checkout('side', { create: true });
    sha.s1 = repo.commit({ message: 's1', at: at(2) });
    sha.s2 = repo.commit({ message: 's2', at: at(2) }); // same second as s1
    repo.checkout('main');
    sha.a2 = repo.commit({ message: 'a2', at: at(2) }); // same second as s1 and s2
    sha.a3 = repo.commit({ message: 'a3', at: at(5), committedAt: at(0, 30) }); // clock skew: older than its parent
    repo.checkout('other', { create: true, from: sha.a1 });
    sha.o1 = repo.commit({ message: 'o1', at: at(3) });
    repo.checkout('main');
    sha.cut = repo.commit({ message: 'cut', at: at(6) });
    sha.m1 = repo.merge('side', at(7));
    repo.git(['merge', '-q', '--no-ff', '-m', 'octopus', 'other', sha.s1], { GIT_AUTHOR_DATE: at(8), GIT_COMMITTER_DATE: at(8) });
    sha.octo = repo.head();
    repo.checkout('twin', { create: true });
    sha.t1 = repo.commit({ message: 't1', at: at(9) });
    repo.checkout('main');
    sha.t2 = repo.commit({ message: 't2', at: at(9) }); // a merge of two parents from the same second
    sha.m2 = repo.merge('twin', at(10));
    sha.b1 = repo.commit({ message: 'b1', at: at(10) }); // same second as the merge
    graph = new Map();
    for await (const c of readCommits(repo.dir, { include: ['main', 'side', 'other', 'twin'] }))
      graph.set(c.sha, { parents: c.parents, committerTime: c.committerTime });
  });
  afterAll(() => repo.remove());

  const gitLog = (...revs: string[]) =>
    repo
      .git(['log', '--format=%H', ...revs])
      .split('\n')
      .filter(Boolean);

  it('lists the whole history of a revision as git log does', () => {
    expect(graph.size).toBe(14);
    for (const head of [sha.b1, sha.m2, sha.octo, sha.m1, sha.a3, sha.s2, sha.root] as string[]) {
      expect(walkOrder(graph, head)).toEqual(gitLog(head));
    }
  });

  it('lists what came after a known commit as git log head ^after does', () => {
    for (const after of [sha.cut, sha.a1, sha.a2, sha.s1, sha.m1, sha.t1, sha.root] as string[]) {
      expect(walkOrder(graph, sha.b1 as string, after)).toEqual(gitLog(sha.b1 as string, `^${after}`));
    }
    // after == head, or after newer than head: nothing.
    expect(walkOrder(graph, sha.a1 as string, sha.b1)).toEqual([]);
  });

  it('walks lazily from head to the last walk as git log head ^after does, fetching only what it reaches', async () => {
    for (const after of [sha.cut, sha.a1, sha.a2, sha.s1, sha.m1, sha.t1, sha.root] as string[]) {
      const previous = reachable(graph, after);
      const fetched = new Set<string>();
      const since = await walkOrderSince(
        sha.b1 as string,
        after,
        async (shas) => {
          for (const s of shas) fetched.add(s);
          return new Map(shas.flatMap((s) => (graph.has(s) ? [[s, graph.get(s)!] as const] : [])));
        },
        async (shas) => new Set(shas.filter((s) => previous.has(s))),
      );
      expect(since.order).toEqual(gitLog(sha.b1 as string, `^${after}`));
      expect(since.reachedAfter).toBe(true);
      // What it fetched: the commits it lists and the boundary parents it stopped at, nothing behind them.
      const boundary = since.order.flatMap((s) => graph.get(s)!.parents).filter((p) => previous.has(p));
      expect([...fetched].sort()).toEqual([...new Set([...since.order, ...boundary])].sort());
    }
    // A head that is an ancestor of the last walk's head: after is not reached (the caller rebuilds).
    const fromB1 = reachable(graph, sha.b1 as string);
    const back = await walkOrderSince(
      sha.a1 as string,
      sha.b1 as string,
      async (shas) => new Map(shas.flatMap((s) => (graph.has(s) ? [[s, graph.get(s)!] as const] : []))),
      async (shas) => new Set(shas.filter((s) => fromB1.has(s))),
    );
    expect(back).toEqual({ order: [], reachedAfter: false });
  });

  it('answers ancestry as merge-base --is-ancestor does', () => {
    const fromB1 = reachable(graph, sha.b1 as string);
    expect(fromB1.size).toBe(14);
    expect(reachable(graph, sha.a3 as string).has(sha.s1 as string)).toBe(false);
    expect(fromB1.has(sha.o1 as string)).toBe(true);
  });
});
