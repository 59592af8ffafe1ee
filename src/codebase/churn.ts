import { topEntry } from './effort.js';
import { byName, perEntityAuthorFold, sum } from './entities.js';
import { mapFold, type Change, type Commit, type HistoryFold } from './model.js';
import { twoSignificantDigits } from './rounding.js';

/**
 * Code churn from line counts (code-maat `abs-churn`, `author-churn`,
 * `entity-churn`, `entity-ownership`, `main-dev`). Binary files count 0
 * lines, as in code-maat. `commits` counts distinct commits in the group.
 */

export interface ChurnTotals {
  added: number;
  deleted: number;
  commits: number;
}

export interface AbsChurnRow extends ChurnTotals {
  date: string;
}

export interface AuthorChurnRow extends ChurnTotals {
  author: string;
}

export interface EntityChurnRow extends ChurnTotals {
  entity: string;
}

/** Churn grouped by a key of the commit (its date, its author) or of each change (its entity). */
function churnFold(groupsOf: (commit: Commit, change: Change) => string): HistoryFold<Array<[string, ChurnTotals]>> {
  const groups = new Map<string, ChurnTotals & { lastRev: string }>();
  return {
    add(commit) {
      for (const change of commit.changes) {
        const key = groupsOf(commit, change);
        let totals = groups.get(key);
        if (!totals) groups.set(key, (totals = { added: 0, deleted: 0, commits: 0, lastRev: '' }));
        totals.added += change.added;
        totals.deleted += change.deleted;
        if (totals.lastRev !== commit.rev) totals.commits++;
        totals.lastRev = commit.rev;
      }
    },
    result: () => [...groups].map(([key, { added, deleted, commits }]) => [key, { added, deleted, commits }]),
  };
}

export function absChurnFold(): HistoryFold<AbsChurnRow[]> {
  return mapFold(
    churnFold((commit) => commit.date),
    (groups) => groups.map(([date, totals]) => ({ date, ...totals })).sort((a, b) => byName(a.date, b.date)),
  );
}

export function authorChurnFold(): HistoryFold<AuthorChurnRow[]> {
  return mapFold(
    churnFold((commit) => commit.author),
    (groups) => groups.map(([author, totals]) => ({ author, ...totals })).sort((a, b) => byName(a.author, b.author)),
  );
}

/** Sorted by lines added, descending: added lines predict defects better than deleted ones (Nagappan & Ball). */
export function entityChurnFold(): HistoryFold<EntityChurnRow[]> {
  return mapFold(
    churnFold((_commit, change) => change.entity),
    (groups) => groups.map(([entity, totals]) => ({ entity, ...totals })).sort((a, b) => b.added - a.added || byName(a.entity, b.entity)),
  );
}

interface Lines {
  added: number;
  deleted: number;
}

function linesPerEntityAuthorFold<Row>(
  row: (entity: string, authors: ReadonlyMap<string, Lines>) => Row,
  order: (a: Row, b: Row) => number,
): HistoryFold<Row[]> {
  return perEntityAuthorFold<Lines, Row>({
    start: () => ({ added: 0, deleted: 0 }),
    count: (total, change) => {
      total.added += change.added;
      total.deleted += change.deleted;
    },
    row,
    order,
  });
}

export interface EntityOwnershipRow {
  entity: string;
  author: string;
  added: number;
  deleted: number;
}

export function entityOwnershipFold(): HistoryFold<EntityOwnershipRow[]> {
  return mapFold(
    linesPerEntityAuthorFold(
      (entity, authors) => ({ entity, authors }),
      (a, b) => byName(a.entity, b.entity),
    ),
    (entities) =>
      entities.flatMap(({ entity, authors }) =>
        [...authors].map(([author, lines]) => ({ entity, author, ...lines })).sort((a, b) => byName(a.author, b.author)),
      ),
  );
}

export interface MainDevRow {
  entity: string;
  mainDev: string;
  added: number;
  totalAdded: number;
  /** added / max(totalAdded, 1), two significant digits (an entity may have only deletions). */
  ownership: number;
}

/** The author who added most lines to each entity; ties go to the name first in order. Sorted by entity. */
export function mainDevFold(): HistoryFold<MainDevRow[]> {
  return linesPerEntityAuthorFold(
    (entity, authors) => {
      const added = new Map([...authors].map(([author, lines]) => [author, lines.added]));
      const [mainDev, mainAdded] = topEntry(added);
      const totalAdded = sum(added.values());
      return { entity, mainDev, added: mainAdded, totalAdded, ownership: twoSignificantDigits(mainAdded, Math.max(totalAdded, 1)) };
    },
    (a, b) => byName(a.entity, b.entity),
  );
}
