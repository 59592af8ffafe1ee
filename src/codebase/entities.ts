import type { Change, Commit, HistoryFold } from './model.js';

/**
 * Change frequency and authorship counts per entity (code-maat `revisions`,
 * `authors`, `summary`). A revision is a commit that changed the entity.
 * Ties are broken by entity name, ascending, so output is deterministic.
 */

export interface RevisionsRow {
  entity: string;
  nRevs: number;
}

export function revisionsFold(): HistoryFold<RevisionsRow[]> {
  const revs = new Map<string, number>();
  return {
    add(commit) {
      for (const change of commit.changes) revs.set(change.entity, (revs.get(change.entity) ?? 0) + 1);
    },
    result: () => [...revs].map(([entity, nRevs]) => ({ entity, nRevs })).sort((a, b) => b.nRevs - a.nRevs || byName(a.entity, b.entity)),
  };
}

/** Totals per entity and author (lines added and deleted), then one row per entity. */
export function perEntityAuthorFold<Total, Row>(spec: {
  start: () => Total;
  count: (total: Total, change: Change) => void;
  row: (entity: string, authors: ReadonlyMap<string, Total>) => Row;
  order: (a: Row, b: Row) => number;
}): HistoryFold<Row[]> {
  const byEntity = new Map<string, Map<string, Total>>();
  return {
    add(commit) {
      for (const change of commit.changes) {
        let authors = byEntity.get(change.entity);
        if (!authors) byEntity.set(change.entity, (authors = new Map()));
        let total = authors.get(commit.author);
        if (total === undefined) authors.set(commit.author, (total = spec.start()));
        spec.count(total, change);
      }
    },
    result: () => [...byEntity].map(([entity, authors]) => spec.row(entity, authors)).sort(spec.order),
  };
}

/** Revisions per entity and author: what authors, main-dev-by-revs and fragmentation are made of. */
export class EntityAuthorRevisions implements HistoryFold<ReadonlyMap<string, ReadonlyMap<string, number>>> {
  private readonly byEntity = new Map<string, Map<string, number>>();

  add(commit: Commit): void {
    for (const change of commit.changes) {
      let authors = this.byEntity.get(change.entity);
      if (!authors) this.byEntity.set(change.entity, (authors = new Map()));
      authors.set(commit.author, (authors.get(commit.author) ?? 0) + 1);
    }
  }

  result(): ReadonlyMap<string, ReadonlyMap<string, number>> {
    return this.byEntity;
  }
}

export interface AuthorsRow {
  entity: string;
  nAuthors: number;
  nRevs: number;
}

export function authorsRows(revisions: ReadonlyMap<string, ReadonlyMap<string, number>>): AuthorsRow[] {
  return [...revisions]
    .map(([entity, authors]) => ({ entity, nAuthors: authors.size, nRevs: sum(authors.values()) }))
    .sort((a, b) => b.nAuthors - a.nAuthors || b.nRevs - a.nRevs || byName(a.entity, b.entity));
}

export interface SummaryRow {
  statistic: 'number-of-commits' | 'number-of-entities' | 'number-of-entities-changed' | 'number-of-authors';
  value: number;
}

/** code-maat's overview: commits with changes, distinct entities, entity changes, distinct authors. */
export function summaryFold(): HistoryFold<SummaryRow[]> {
  let commits = 0;
  let entitiesChanged = 0;
  const entities = new Set<string>();
  const authors = new Set<string>();
  return {
    add(commit) {
      commits++;
      authors.add(commit.author);
      entitiesChanged += commit.changes.length;
      for (const change of commit.changes) entities.add(change.entity);
    },
    result: () => [
      { statistic: 'number-of-commits', value: commits },
      { statistic: 'number-of-entities', value: entities.size },
      { statistic: 'number-of-entities-changed', value: entitiesChanged },
      { statistic: 'number-of-authors', value: authors.size },
    ],
  };
}

/** Code-unit order, as code-maat (Java) compares strings; locale-independent. */
export function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sum(values: Iterable<number>): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
