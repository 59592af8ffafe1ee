/**
 * Walking stored history the way `git log` walks it, without running git.
 *
 * git's default order (no --topo-order, --date-order or --reverse) keeps a
 * list of commits to show, sorted by committer date, newest first: it shows
 * the first, then inserts each of its parents not seen before after every
 * listed commit at least as new (revision.c, commit_list_insert_by_date).
 * With a negative revision (`rev ^after`) the walk is limited, but the
 * commits shown keep that relative order. So a priority queue keyed on
 * (committer date descending, insertion order ascending) over the commits
 * reachable from `head` and not from `after` yields exactly `git log head
 * ^after`, clock skew and equal timestamps included (tested against git).
 */
export interface GraphCommit {
  /** Parent shas, first parent first. */
  parents: readonly string[];
  /** Epoch milliseconds (git stores seconds, so ties are common). */
  committerTime: number;
}

export type CommitGraph = Map<string, GraphCommit>;

/** Every commit reachable from `sha` (itself included) within the graph. */
export function reachable(graph: CommitGraph, sha: string): Set<string> {
  const seen = new Set<string>();
  const stack = [sha];
  while (stack.length > 0) {
    const current = stack.pop() as string;
    if (seen.has(current)) continue;
    const commit = graph.get(current);
    if (commit === undefined) continue;
    seen.add(current);
    for (const parent of commit.parents) if (!seen.has(parent)) stack.push(parent);
  }
  return seen;
}

/** The shas `git log head ^after` lists, in its order (newest first). Commits missing from the graph end the walk there. */
export function walkOrder(graph: CommitGraph, head: string, after?: string): string[] {
  const excluded = after === undefined ? new Set<string>() : reachable(graph, after);
  const out: string[] = [];
  if (!graph.has(head) || excluded.has(head)) return out;
  const queue = new DescendingQueue();
  const seen = new Set<string>([head]);
  queue.push(head, (graph.get(head) as GraphCommit).committerTime);
  for (let sha = queue.pop(); sha !== undefined; sha = queue.pop()) {
    out.push(sha);
    for (const parent of (graph.get(sha) as GraphCommit).parents) {
      if (seen.has(parent) || excluded.has(parent)) continue;
      const commit = graph.get(parent);
      if (commit === undefined) continue;
      seen.add(parent);
      queue.push(parent, commit.committerTime);
    }
  }
  return out;
}

/**
 * `git log head ^after` walked without the whole graph in memory: commits are
 * fetched as the walk reaches them, and `isExcluded` says which of them are
 * reachable from `after` (a caller that stored the previous walk answers from
 * it). The same queue and order as walkOrder, so the same answer when
 * `isExcluded` is exactly reachable(after); `reachedAfter` says whether
 * `after` is an ancestor of `head` (it is reached as a parent on the boundary).
 */
export async function walkOrderSince(
  head: string,
  after: string,
  fetch: (shas: readonly string[]) => Promise<ReadonlyMap<string, GraphCommit>>,
  isExcluded: (shas: readonly string[]) => Promise<ReadonlySet<string>>,
): Promise<{ order: string[]; reachedAfter: boolean }> {
  if (head === after) return { order: [], reachedAfter: true };
  const known = new Map<string, GraphCommit>();
  const excluded = new Set<string>();
  const checked = new Set<string>();
  const learn = async (shas: readonly string[]) => {
    const fresh = shas.filter((sha) => !checked.has(sha));
    if (fresh.length === 0) return;
    const [commits, outside] = await Promise.all([fetch(fresh), isExcluded(fresh)]);
    for (const sha of fresh) {
      checked.add(sha);
      const commit = commits.get(sha);
      if (commit !== undefined) known.set(sha, commit);
      if (outside.has(sha)) excluded.add(sha);
    }
  };
  await learn([head]);
  const out: string[] = [];
  let reachedAfter = false;
  if (!known.has(head) || excluded.has(head)) return { order: out, reachedAfter };
  const queue = new DescendingQueue();
  const seen = new Set<string>([head]);
  queue.push(head, (known.get(head) as GraphCommit).committerTime);
  for (let sha = queue.pop(); sha !== undefined; sha = queue.pop()) {
    out.push(sha);
    const parents = (known.get(sha) as GraphCommit).parents;
    await learn(parents);
    for (const parent of parents) {
      if (parent === after) reachedAfter = true;
      if (seen.has(parent) || excluded.has(parent)) continue;
      const commit = known.get(parent);
      if (commit === undefined) continue;
      seen.add(parent);
      queue.push(parent, commit.committerTime);
    }
  }
  return { order: out, reachedAfter };
}

/** A binary heap of shas: largest key (committer time, generation) first, then first inserted. */
export class DescendingQueue {
  private readonly items: Array<{ sha: string; time: number; order: number }> = [];
  private inserted = 0;

  get size(): number {
    return this.items.length;
  }

  /** The queued shas, in no particular order. */
  shas(): string[] {
    return this.items.map((item) => item.sha);
  }

  push(sha: string, time: number): void {
    const items = this.items;
    items.push({ sha, time, order: this.inserted++ });
    let i = items.length - 1;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (!before(items[i] as Item, items[up] as Item)) break;
      [items[i], items[up]] = [items[up] as Item, items[i] as Item];
      i = up;
    }
  }

  pop(): string | undefined {
    const items = this.items;
    const top = items[0];
    if (top === undefined) return undefined;
    const last = items.pop() as Item;
    if (items.length > 0) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let best = i;
        if (left < items.length && before(items[left] as Item, items[best] as Item)) best = left;
        if (right < items.length && before(items[right] as Item, items[best] as Item)) best = right;
        if (best === i) break;
        [items[i], items[best]] = [items[best] as Item, items[i] as Item];
        i = best;
      }
    }
    return top.sha;
  }
}

type Item = { sha: string; time: number; order: number };

function before(a: Item, b: Item): boolean {
  return a.time > b.time || (a.time === b.time && a.order < b.order);
}
