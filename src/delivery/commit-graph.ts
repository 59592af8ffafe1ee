import type { CommitHistory } from '../sources/git/index.js';

/**
 * The commit history a service's deployments walk, held compactly: shas map to
 * dense indices and parents are index lists, so walking a 100k-commit history
 * touches arrays, not strings. Parents that are not in the graph (a shallow
 * clone's boundary, history not read) are dropped: the walk stops there.
 */
export type GraphCommit = CommitHistory;

export class CommitGraph {
  private readonly indexBySha = new Map<string, number>();
  private readonly commits: GraphCommit[] = [];
  private parentIndexes: Int32Array[] | null = null;

  constructor(commits: Iterable<GraphCommit> = []) {
    for (const commit of commits) this.add(commit);
  }

  add(commit: GraphCommit): void {
    if (this.indexBySha.has(commit.sha)) return;
    this.indexBySha.set(commit.sha, this.commits.length);
    this.commits.push(commit);
    this.parentIndexes = null;
  }

  get size(): number {
    return this.commits.length;
  }

  indexOf(sha: string): number | undefined {
    const exact = this.indexBySha.get(sha);
    if (exact !== undefined || sha.length >= 40) return exact;
    return this.indexOfAbbreviated(sha);
  }

  commit(index: number): GraphCommit {
    return this.commits[index] as GraphCommit;
  }

  parentsOf(index: number): Int32Array {
    if (this.parentIndexes === null) {
      this.parentIndexes = this.commits.map((c) => {
        const known = c.parents.map((p) => this.indexBySha.get(p)).filter((i): i is number => i !== undefined);
        return Int32Array.from(known);
      });
    }
    return this.parentIndexes[index] as Int32Array;
  }

  /** A unique commit whose sha starts with `prefix` (abbreviated shas in messages); undefined when none or ambiguous. */
  private indexOfAbbreviated(prefix: string): number | undefined {
    if (prefix.length < 7) return undefined;
    let found: number | undefined;
    for (const [sha, index] of this.indexBySha) {
      if (!sha.startsWith(prefix)) continue;
      if (found !== undefined) return undefined;
      found = index;
    }
    return found;
  }
}
