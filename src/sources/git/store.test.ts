import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../test-support/stores.js';
import { readFileHistory } from './file-history.js';
import { ingestRepository, syncRepository } from './ingest.js';
import type { GitCommit } from './model.js';
import { readCommits } from './read-commits.js';
import { countCommits, getSyncState, loadCommitGraph, loadCommits, loadFileHistory, loadTags } from './store.js';
import { walkOrder } from './walk-order.js';
import { TestRepository } from '../../test-support/git-repository.js';

describe('git history in the store', () => {
  let repo: TestRepository;
  beforeAll(() => {
    repo = TestRepository.create();
    const first = repo.commit({
      message: 'Añadir «caché» 🚀\n\nFixes: 0123456789ab ("x")',
      files: { 'src/ümlaut dir/a,b.txt': '1' },
      author: 'Zoë Ñúñez <zoe@example.com>',
      at: '2024-06-01T10:00:00Z',
    });
    repo.commit({ message: 'Second', files: { 'src/b.txt': '2' }, at: '2024-06-02T10:00:00Z' });
    repo.revert(first, '2024-06-03T10:00:00Z');
    repo.annotatedTag('v1.0.0', '2024-06-03T12:00:00Z');
  });
  afterAll(() => repo.remove());

  for (const dialect of TEST_DIALECTS) {
    it(`stores every field as git gave it, and re-reads nothing new, on ${dialect.name}`, async () => {
      const store = await dialect.open();
      try {
        await store.db
          .insertInto('repositories')
          .values({ id: 'r', name: 'r', path: repo.dir, url: null, default_branch: 'main', source: 'api', created_at: 0, updated_at: 0 })
          .execute();
        const first = await ingestRepository(store, { repositoryId: 'r', path: repo.dir, field: 'path', detail: 'paths' });
        expect(first).toMatchObject({ commitsRead: 3, tags: 1, full: true });
        const again = await ingestRepository(store, { repositoryId: 'r', path: repo.dir, field: 'path', detail: 'paths' });
        expect(again).toMatchObject({ commitsRead: 0, full: false });
        expect(await countCommits(store.db, 'r')).toBe(3);

        // Independent reading: what git log gives, against what the store gives back.
        const fromGit: GitCommit[] = [];
        for await (const c of readCommits(repo.dir, { include: ['HEAD'], withPaths: true })) fromGit.push(c);
        const expected = fromGit.map(
          ({ sha, parents, authorTime, committerTime, subject, revertsSha, revertedSubject, fixesSha, paths }) => ({
            repositoryId: 'r',
            sha,
            parents,
            authorTime,
            committerTime,
            subject,
            revertsSha,
            revertedSubject,
            fixesSha,
            paths,
          }),
        );
        const stored = await loadCommits(store.db, ['r']);
        const bySha = (a: { sha: string }, b: { sha: string }) => (a.sha < b.sha ? -1 : 1);
        expect(stored.sort(bySha)).toEqual(expected.sort(bySha));
        expect(stored.find((c) => c.subject.startsWith('Añadir'))).toMatchObject({
          fixesSha: '0123456789ab',
          paths: ['src/ümlaut dir/a,b.txt'],
        });
        const identity = await store.db
          .selectFrom('git_commits')
          .select(['author_name', 'author_email'])
          .where('subject', 'like', 'Añadir%')
          .executeTakeFirst();
        expect(identity).toEqual({ author_name: 'Zoë Ñúñez', author_email: 'zoe@example.com' });
        expect((await loadTags(store.db, 'r')).map((t) => [t.name, t.taggerTime])).toEqual([
          ['v1.0.0', Date.parse('2024-06-03T12:00:00Z')],
        ]);
      } finally {
        await store.close();
      }
    });

    it(`reads changes once more detail is needed, filling commits stored before, and gives back what git log gives, on ${dialect.name}`, async () => {
      const store = await dialect.open();
      try {
        await store.db
          .insertInto('repositories')
          .values({ id: 'r', name: 'r', path: repo.dir, url: null, default_branch: 'main', source: 'api', created_at: 0, updated_at: 0 })
          .execute();
        expect(await ingestRepository(store, { repositoryId: 'r', path: repo.dir, field: 'path', detail: 'paths' })).toMatchObject({
          commitsRead: 3,
          full: true,
        });
        // Changes newly needed: the whole history is read again, the stored commits gain the new columns.
        expect(await syncRepository(store, { repositoryId: 'r', path: repo.dir, field: 'path' })).toMatchObject({
          commitsRead: 3,
          full: true,
          walked: true,
        });
        expect(await getSyncState(store.db, 'r')).toMatchObject({ withPaths: true, withChanges: true });
        // Nothing new: no git log at all; a lesser request keeps the stored detail.
        expect(await ingestRepository(store, { repositoryId: 'r', path: repo.dir, field: 'path', detail: 'paths' })).toMatchObject({
          commitsRead: 0,
          walked: false,
        });
        expect(await getSyncState(store.db, 'r')).toMatchObject({ withChanges: true });

        // Independent reading: the file history git log prints directly, against the history derived from the store.
        const head = repo.head();
        const fromGit = [];
        for await (const c of readFileHistory({ repo: repo.dir, rev: head, detail: 'lines' })) fromGit.push(c);
        const fromStore = [];
        for await (const c of loadFileHistory(store.db, 'r', walkOrder(await loadCommitGraph(store.db, 'r'), head))) fromStore.push(c);
        expect(fromStore).toEqual(fromGit);
        expect(fromStore).toHaveLength(3);
        expect(fromStore[2]).toMatchObject({
          authorName: 'Zoë Ñúñez',
          date: '2024-06-01',
          changes: [{ path: 'src/ümlaut dir/a,b.txt', previousPath: null, added: 1, deleted: 0, binary: false }],
        });
      } finally {
        await store.close();
      }
    });
  }
});
