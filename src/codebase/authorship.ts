import type { HistoryFold } from './model.js';

/**
 * Degree of authorship (Fritz et al., "Degree-of-knowledge", TOSEM 2014, as
 * used by Avelino et al., "A novel approach for estimating truck factors",
 * ICPC 2016):
 *
 *   DOA(d, f) = 3.293 + 1.098 * FA + 0.164 * DL - 0.321 * ln(1 + AC)
 *
 * FA is 1 when d created f (made its oldest change), DL the number of
 * changes d made to f, AC the number of changes others made to f. The
 * authors of f are the developers whose DOA, divided by the highest DOA on
 * f, exceeds 0.75 and whose DOA is at least 3.293.
 */
export const DOA_NORMALISED_THRESHOLD = 0.75;
export const DOA_ABSOLUTE_THRESHOLD = 3.293;

export function degreeOfAuthorship(firstAuthor: boolean, deliveries: number, acceptances: number): number {
  return 3.293 + 1.098 * (firstAuthor ? 1 : 0) + 0.164 * deliveries - 0.321 * Math.log(1 + acceptances);
}

export interface FileHistory {
  creator: string;
  /** Author time of the oldest change seen. */
  createdAt: number;
  /** Changes per author. */
  deliveries: Map<string, number>;
  changes: number;
}

export interface AuthorshipHistory {
  files: Map<string, FileHistory>;
  /** Latest author time of each author over every analysed commit (any file). */
  lastActive: Map<string, number>;
}

/** Collects what DOA needs for the files `tracked` accepts, and every author's latest commit. */
export function authorshipFold(tracked: (entity: string) => boolean): HistoryFold<AuthorshipHistory> {
  const files = new Map<string, FileHistory>();
  const lastActive = new Map<string, number>();
  return {
    add(commit) {
      const seen = lastActive.get(commit.author);
      if (seen === undefined || commit.time > seen) lastActive.set(commit.author, commit.time);
      for (const change of commit.changes) {
        if (!tracked(change.entity)) continue;
        let file = files.get(change.entity);
        if (!file) files.set(change.entity, (file = { creator: commit.author, createdAt: commit.time, deliveries: new Map(), changes: 0 }));
        // Commits arrive newest first, so on equal times the later one seen is the older.
        else if (commit.time <= file.createdAt) {
          file.creator = commit.author;
          file.createdAt = commit.time;
        }
        file.deliveries.set(commit.author, (file.deliveries.get(commit.author) ?? 0) + 1);
        file.changes++;
      }
    },
    result: () => ({ files, lastActive }),
  };
}

/** The authors of one file by DOA, in name order. */
export function fileAuthors(file: FileHistory): string[] {
  const doa = [...file.deliveries].map(
    ([author, deliveries]) => [author, degreeOfAuthorship(author === file.creator, deliveries, file.changes - deliveries)] as const,
  );
  const best = Math.max(...doa.map(([, value]) => value));
  return doa
    .filter(([, value]) => value / best > DOA_NORMALISED_THRESHOLD && value >= DOA_ABSOLUTE_THRESHOLD)
    .map(([author]) => author)
    .sort();
}
