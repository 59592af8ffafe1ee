import { sql, type Kysely } from 'kysely';
import { chunks } from '../../store/chunks.js';
import type { Database, DialectName } from '../../store/database.js';
import { loadCommitLinks } from './store.js';
import { DescendingQueue } from './walk-order.js';

type Db = Kysely<Database>;

/**
 * Generation numbers as git's commit-graph v2 defines them, corrected commit
 * dates: a commit's is its committer time, raised to one more than its
 * highest stored parent's where that is later (clock skew). When a is an
 * ancestor of b, gen(a) < gen(b); so a walk that takes commits in descending
 * generation has seen every descendant of a commit before the commit itself,
 * and can decide reachability between a few commits exactly while reading
 * only the part of history between them (delivery's incremental attribution
 * of a new deployment). Dates rather than topological levels keep that part
 * small when a maintenance branch is deployed after main: the walk from
 * main's tip stops at the branch commit's date instead of its depth.
 *
 * A parent that is not stored (a shallow clone's boundary) counts as absent.
 * Should a later read store it (the clone was deepened), its descendants may
 * keep generations that are too low; readers check gen(parent) < gen(child)
 * as they walk and fall back to the whole history when it does not hold.
 */
export function computeGenerations(commits: readonly GenerationInput[], stored: ReadonlyMap<string, number>): Map<string, number> {
  const generation = generationsOf(commits, indexOf(commits), stored);
  return new Map(commits.map((commit, i) => [commit.sha, generation[i] as number]));
}

/** Each commit's position in `commits` (the last, should a sha appear twice). */
function indexOf(commits: readonly GenerationInput[]): Map<string, number> {
  const index = new Map<string, number>();
  for (let i = 0; i < commits.length; i++) index.set((commits[i] as GenerationInput).sha, i);
  return index;
}

/**
 * The generation of each of `commits`, by position: positions and a typed
 * array rather than maps of shas, so an ingest of 100k commits hashes each
 * sha once (it took 140-260 ms with maps, next to git log's 1.2 s).
 */
function generationsOf(
  commits: readonly GenerationInput[],
  index: ReadonlyMap<string, number>,
  stored: ReadonlyMap<string, number>,
): Float64Array {
  const generation = new Float64Array(commits.length).fill(Number.NaN);
  // Depth-first, parents before children, without recursion (histories are 100k+ deep).
  const stack: number[] = [];
  // Oldest first where the input is newest first (git log's order): parents are then mostly done already.
  for (let start = commits.length - 1; start >= 0; start--) {
    if (!Number.isNaN(generation[start])) continue;
    stack.push(start);
    while (stack.length > 0) {
      const at = stack[stack.length - 1] as number;
      if (!Number.isNaN(generation[at])) {
        stack.pop();
        continue;
      }
      const commit = commits[at] as GenerationInput;
      let highest = -Infinity;
      let pending = false;
      for (const parent of commit.parents) {
        const position = index.get(parent);
        // A parent outside `commits` is stored already (or absent: a shallow clone's boundary).
        const level = position === undefined ? (stored.get(parent) ?? -Infinity) : (generation[position] as number);
        if (Number.isNaN(level)) {
          stack.push(position as number);
          pending = true;
        } else if (level > highest) highest = level;
      }
      if (pending) continue;
      generation[at] = Math.max(commit.committerTime, highest + 1);
      stack.pop();
    }
  }
  return generation;
}

/** What a generation is computed from: the commit's parents and committer time (epoch milliseconds). */
export interface GenerationInput {
  sha: string;
  parents: readonly string[];
  committerTime: number;
}

/**
 * Stores the generations of commits just written to `repositoryId`; the
 * parents outside `commits` are read from the store. Without clock skew a
 * commit's generation is its committer time, so the column holds only the
 * corrections (where they differ) and is null elsewhere: readers take
 * `generation ?? committer_time`, and an ingest writes a handful of rows,
 * not one per commit.
 */
export async function storeGenerations(
  db: Db,
  dialect: DialectName,
  repositoryId: string,
  commits: readonly GenerationInput[],
): Promise<void> {
  if (commits.length === 0) return;
  const index = indexOf(commits);
  const outside = new Set<string>();
  for (const commit of commits) for (const parent of commit.parents) if (!index.has(parent)) outside.add(parent);
  const stored = new Map((await loadCommitLinks(db, [repositoryId], [...outside])).map((link) => [link.sha, link.generation]));
  const generation = generationsOf(commits, index, stored);
  const generations: Array<[string, number]> = [];
  commits.forEach((commit, i) => {
    if (generation[i] !== commit.committerTime) generations.push([commit.sha, generation[i] as number]);
  });
  if (generations.length === 0) return;
  if (dialect === 'postgres') {
    for (const batch of chunks(generations, 5000)) {
      await sql`update git_commits as g set generation = (e.value->>1)::bigint
        from json_array_elements(${JSON.stringify(batch)}::json) as e(value)
        where g.repository_id = ${repositoryId} and g.sha = e.value->>0`.execute(db);
    }
    return;
  }
  // SQLite would scan the repository's commits once per JSON row in an UPDATE ... FROM json_each (neither side
  // indexed for the other): the corrections go to an indexed temporary table first, then one update looks up
  // each of them by primary key.
  await sql`create temp table git_generation_batch (sha text primary key, generation integer not null)`.execute(db);
  try {
    for (const batch of chunks(generations, 5000)) {
      await sql`insert into git_generation_batch select value->>0, value->>1 from json_each(${JSON.stringify(batch)})`.execute(db);
    }
    await sql`update git_commits
      set generation = (select b.generation from git_generation_batch b where b.sha = git_commits.sha)
      where repository_id = ${repositoryId} and sha in (select sha from git_generation_batch)`.execute(db);
  } finally {
    await sql`drop table git_generation_batch`.execute(db);
  }
}

export interface NewCommits {
  /** Commits reachable from the head and from none of the excluded commits, in the order the walk met them. */
  commits: string[];
  /** The excluded commits that are ancestors of the head (or the head itself). */
  reachedExcluded: string[];
}

/**
 * `git rev-list head ^exclude...` over stored history, reading only what it
 * needs: commits are taken in descending generation, those reachable from an
 * excluded commit are painted as such, and the walk ends when no commit of
 * the head's side is left to take — so it reads the commits between the
 * head and the excluded ones, not the history below them. Exact, because a
 * commit is taken only after every descendant that could paint it.
 *
 * `fetch` returns the links of the commits asked for (those not stored are
 * left out: the walk stops there). Undefined when the answer would take more
 * than `limit` steps (the caller does better reading the whole history at
 * once), when a commit has no generation, or when generations contradict the
 * parents (a history deepened after it was stored).
 */
export async function newCommitsSince(
  head: string,
  exclude: readonly string[],
  fetch: (shas: readonly string[]) => Promise<ReadonlyArray<{ sha: string; parents: readonly string[]; generation: number | null }>>,
  limit: number,
): Promise<NewCommits | undefined> {
  const links = new Map<string, { parents: readonly string[]; generation: number }>();
  const asked = new Set<string>();
  let contradiction = false;
  const learn = async (shas: Iterable<string>) => {
    const fresh = [...new Set(shas)].filter((sha) => !asked.has(sha));
    if (fresh.length === 0) return;
    for (const sha of fresh) asked.add(sha);
    for (const link of await fetch(fresh)) {
      if (link.generation === null) contradiction = true;
      else links.set(link.sha, { parents: link.parents, generation: link.generation });
    }
  };
  await learn([head, ...exclude]);
  if (contradiction || !links.has(head)) return undefined;
  const excluded = new Set(exclude.filter((sha) => links.has(sha)));
  if (excluded.size !== new Set(exclude).size) return undefined;
  if (excluded.has(head)) return { commits: [], reachedExcluded: [head] };

  const painted = new Set<string>(excluded);
  const queued = new Set<string>([head, ...excluded]);
  const expanded = new Set<string>();
  const queue = new DescendingQueue();
  for (const sha of [head, ...excluded]) queue.push(sha, (links.get(sha) as { generation: number }).generation);
  let headSide = 1;
  const commits: string[] = [];
  const reachedExcluded = new Set<string>();
  for (let steps = 0; headSide > 0; steps++) {
    if (steps > limit) return undefined;
    // Parents of everything queued are read together: one query per step of the walk, whatever its width.
    await learn(queue.shas().flatMap((sha) => (expanded.has(sha) ? [] : (links.get(sha)?.parents ?? []))));
    if (contradiction) return undefined;
    const sha = queue.pop() as string;
    expanded.add(sha);
    const link = links.get(sha) as { parents: readonly string[]; generation: number };
    const isPainted = painted.has(sha);
    if (!isPainted) {
      headSide--;
      commits.push(sha);
    }
    for (const parent of link.parents) {
      const parentLink = links.get(parent);
      if (parentLink === undefined) continue;
      if (parentLink.generation >= link.generation) return undefined;
      if (isPainted) {
        if (painted.has(parent)) continue;
        painted.add(parent);
        // Queued from the head's side, not yet taken: it turns out to be reachable from an excluded commit.
        if (queued.has(parent)) headSide--;
        else {
          queued.add(parent);
          queue.push(parent, parentLink.generation);
        }
      } else if (painted.has(parent)) {
        if (excluded.has(parent)) reachedExcluded.add(parent);
      } else if (!queued.has(parent)) {
        queued.add(parent);
        queue.push(parent, parentLink.generation);
        headSide++;
      }
    }
  }
  return { commits, reachedExcluded: [...reachedExcluded] };
}
