import { byName, sum } from './entities.js';
import { twoSignificantDigits } from './rounding.js';

/**
 * Who works on each entity, counted in revisions (code-maat's "effort"
 * analyses, after D'Ambros et al.). They need no line counts.
 */

export interface MainDevByRevsRow {
  entity: string;
  mainDev: string;
  /** Revisions by the main developer (code-maat names this column `added`). */
  added: number;
  /** All revisions of the entity (`total-added`). */
  totalAdded: number;
  /** added / totalAdded, two significant digits. */
  ownership: number;
}

/** The author with most revisions of each entity; ties go to the name first in order. Sorted by entity. */
export function mainDevByRevsRows(revisions: ReadonlyMap<string, ReadonlyMap<string, number>>): MainDevByRevsRow[] {
  return [...revisions]
    .map(([entity, authors]) => {
      const [mainDev, added] = topEntry(authors);
      const totalAdded = sum(authors.values());
      return { entity, mainDev, added, totalAdded, ownership: twoSignificantDigits(added, totalAdded) };
    })
    .sort((a, b) => byName(a.entity, b.entity));
}

export interface FragmentationRow {
  entity: string;
  /** 1 - sum((revs of author i / all revs)^2), two significant digits: 0 for one author, towards 1 for many. */
  fractalValue: number;
  totalRevs: number;
}

/** Fractal value of each entity (D'Ambros et al.), sorted by fractal value then revisions, descending. */
export function fragmentationRows(revisions: ReadonlyMap<string, ReadonlyMap<string, number>>): FragmentationRow[] {
  return [...revisions]
    .map(([entity, authors]) => {
      const totalRevs = sum(authors.values());
      // Exact as a fraction: 1 - sum(a_i^2)/n^2 = (n^2 - sum(a_i^2)) / n^2.
      const squares = sum([...authors.values()].map((revs) => revs * revs));
      return { entity, fractalValue: twoSignificantDigits(totalRevs * totalRevs - squares, totalRevs * totalRevs), totalRevs };
    })
    .sort((a, b) => b.fractalValue - a.fractalValue || b.totalRevs - a.totalRevs || byName(a.entity, b.entity));
}

/** The largest value; among equal values the key first in code-unit order. */
export function topEntry(values: ReadonlyMap<string, number>): [string, number] {
  let best: [string, number] | null = null;
  for (const [key, value] of values) {
    if (best === null || value > best[1] || (value === best[1] && key < best[0])) best = [key, value];
  }
  if (best === null) throw new RangeError('topEntry needs at least one entry');
  return best;
}
