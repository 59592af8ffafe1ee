import { describe, expect, it } from 'vitest';
import { createHistoryNormaliser } from './history.js';
import type { RawCommit, RawFileChange } from './model.js';

const change = (path: string, previousPath: string | null = null, added = 1): RawFileChange => ({
  path,
  previousPath,
  added,
  deleted: 0,
  binary: false,
});
const commit = (rev: string, date: string, changes: RawFileChange[], authorName = 'Ann', authorEmail = 'ann@example.com'): RawCommit => ({
  rev,
  time: Date.parse(`${date}T00:00:00Z`),
  date,
  authorName,
  authorEmail,
  changes,
});

describe('createHistoryNormaliser', () => {
  it('follows a chain of renames to the latest name, newest commit first', () => {
    const normalise = createHistoryNormaliser();
    // Newest first: c3 renames b -> c, c2 renames a -> b, c1 edits a. All three are one file, "c".
    const out = [
      commit('c3', '2024-03-01', [change('c', 'b')]),
      commit('c2', '2024-02-01', [change('b', 'a')]),
      commit('c1', '2024-01-01', [change('a')]),
    ].map(normalise);
    expect(out.map((c) => c?.changes.map((x) => x.entity))).toEqual([['c'], ['c'], ['c']]);
  });

  it('merges two paths that end up as one entity in a commit, and drops commits left empty', () => {
    const normalise = createHistoryNormaliser({ exclude: ['docs/**'] });
    normalise(commit('c2', '2024-02-01', [change('x', 'y')]));
    const merged = normalise(commit('c1', '2024-01-01', [change('x', null, 2), change('y', null, 3)]));
    expect(merged?.changes).toEqual([{ entity: 'x', added: 5, deleted: 0, binary: false }]);
    expect(normalise(commit('c0', '2023-12-01', [change('docs/a.md')]))).toBeNull();
  });

  it('tracks renames outside the date range, and resolves authors', () => {
    const normalise = createHistoryNormaliser({
      until: '2024-01-31',
      resolveAuthor: (name, email) => (email === 'ann@home.example' ? 'Ann' : name),
    });
    expect(normalise(commit('c2', '2024-02-01', [change('new', 'old')]))).toBeNull();
    const inRange = normalise(commit('c1', '2024-01-01', [change('old')], 'Ann Lee', 'ann@home.example'));
    expect(inRange).toMatchObject({ author: 'Ann', changes: [{ entity: 'new' }] });
  });
});
