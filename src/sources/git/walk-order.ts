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
  const queue = new DateQueue();
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

/** A binary heap: newest committer time first, then first inserted. */
class DateQueue {
  private readonly items: Array<{ sha: string; time: number; order: number }> = [];
  private inserted = 0;

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
