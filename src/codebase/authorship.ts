import type { HistoryFold } from './model.js';

/**
 * Degree of authorship (Fritz et al., "Degree-of-knowledge", TOSEM 2014, as
 * used by Avelino et al., "A novel approach for estimating truck factors",
 * ICPC 2016):
 *
 *   DOA(d, f) = 3.293 + 1.098 * FA + 0.164 * DL - 0.321 * ln(1 + AC)
 *
 * As in the authors' tool (aserg-ufmg/Truck-Factor, DOACalculator and
 * AuthorshipInfo): FA is 1 for the developer who created f (its oldest change,
 * renames followed); the creating commit is not a delivery; DL is the number
 * of later changes d made to f, AC the number of later changes others made.
 * The authors of f are the developers whose DOA divided by the highest DOA on
 * f exceeds 0.75 and who either reach DOA 3.293 or created the file.
 * Not reproduced: the tool's "secondary authors" (someone else adding a file
 * again after its deletion also gets FA = 1), which needs each change's
 * add/modify status.
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
  // The creating commit makes its author the first author; only later changes are deliveries.
  const later = file.changes - 1;
  const doa = [...file.deliveries].map(([author, changes]) => {
    const first = author === file.creator;
    const deliveries = changes - (first ? 1 : 0);
    return [author, first, degreeOfAuthorship(first, deliveries, later - deliveries)] as const;
  });
  const best = Math.max(...doa.map(([, , value]) => value));
  return doa
    .filter(([, first, value]) => value / best > DOA_NORMALISED_THRESHOLD && (value >= DOA_ABSOLUTE_THRESHOLD || first))
    .map(([author]) => author)
    .sort();
}
