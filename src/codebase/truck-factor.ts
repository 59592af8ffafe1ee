import { byName } from './entities.js';

/**
 * Truck factor by Avelino et al.'s greedy heuristic (ICPC 2016): starting from
 * each file's authors (degree of authorship, see authorship.ts), repeatedly
 * remove the developer who authors the most files (ties: name order) while at
 * least half of the files still have an author. The truck factor is the number
 * of developers removed: after that many leave, most files have no one who
 * knows them.
 */
export const TRUCK_FACTOR_COVERAGE = 0.5;

export interface TruckFactorDeveloper {
  name: string;
  /** Files this developer is an author of. */
  authoredFiles: number;
  /** Files whose only author is this developer: what they alone know. */
  soleFiles: string[];
  /** Share of files still having an author after this developer (and those before) are removed. */
  coverageAfter: number;
}

export interface TruckFactorResult {
  truckFactor: number;
  /** The removed developers, in removal order. */
  developers: TruckFactorDeveloper[];
  /** Share of files with at least one author before anyone is removed. */
  coverage: number;
}

export function truckFactor(authorsByFile: ReadonlyMap<string, readonly string[]>): TruckFactorResult {
  const fileCount = authorsByFile.size;
  const filesOf = new Map<string, string[]>();
  const soleFilesOf = new Map<string, string[]>();
  const remainingAuthors = new Map<string, number>();
  for (const [file, authors] of authorsByFile) {
    remainingAuthors.set(file, authors.length);
    for (const author of authors) {
      const files = filesOf.get(author);
      if (files) files.push(file);
      else filesOf.set(author, [file]);
    }
    if (authors.length === 1) {
      const author = authors[0] as string;
      const sole = soleFilesOf.get(author);
      if (sole) sole.push(file);
      else soleFilesOf.set(author, [file]);
    }
  }
  let covered = [...remainingAuthors.values()].filter((n) => n > 0).length;
  const share = (n: number) => (fileCount === 0 ? 0 : n / fileCount);
  const coverage = share(covered);
  // Authorship is fixed, so "authors the most files" is the same count at every step.
  const candidates = [...filesOf].sort((a, b) => b[1].length - a[1].length || byName(a[0], b[0]));
  const developers: TruckFactorDeveloper[] = [];
  for (const [name, files] of candidates) {
    if (fileCount === 0 || share(covered) < TRUCK_FACTOR_COVERAGE) break;
    for (const file of files) {
      const left = (remainingAuthors.get(file) as number) - 1;
      remainingAuthors.set(file, left);
      if (left === 0) covered--;
    }
    developers.push({
      name,
      authoredFiles: files.length,
      soleFiles: (soleFilesOf.get(name) ?? []).sort(byName),
      coverageAfter: share(covered),
    });
  }
  return { truckFactor: developers.length, developers, coverage };
}
