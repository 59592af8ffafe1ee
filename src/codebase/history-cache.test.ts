import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveRepository } from '../org/index.js';
import type { Store } from '../store/database.js';
import { TEST_DIALECTS } from '../test-support/stores.js';
import { ANALYSES } from './analyses.js';
import { analyseCachedHistory, refreshHistory } from './history-cache.js';
import { ANALYSIS_NAMES, analysisOptionsSchema, type AnalysisName } from './model.js';
import { runAnalyses } from './run-analysis.js';
import { TestRepository } from '../test-support/git-repository.js';

const ANN = 'Ann <ann@example.com>';
const BOB = 'Bob <bob@example.com>';
const options = analysisOptionsSchema.parse({ minRevs: 1, minSharedRevs: 1, ageTimeNow: '2024-12-01', inactiveDays: 60 });
const NOW = Date.UTC(2024, 11, 1);

/**
 * The cache is checked against an independent method: the same analyses
 * read straight from git. Whatever order the history arrived in (whole,
 * in two steps, rewritten), the cached results must equal the direct ones.
 */
async function directCsv(repo: TestRepository): Promise<Map<AnalysisName, string>> {
  const run = await runAnalyses(ANALYSIS_NAMES, { kind: 'repo', repo: repo.dir }, options, { now: NOW });
  return new Map(ANALYSIS_NAMES.map((name) => [name, ANALYSES[name].csv(run.results.get(name))]));
}

async function cachedCsv(store: Store): Promise<Map<AnalysisName, string>> {
  const results = await analyseCachedHistory(store.db, 'app', ANALYSIS_NAMES, options, [], NOW);
  return new Map(ANALYSIS_NAMES.map((name) => [name, ANALYSES[name].csv(results.get(name)?.result)]));
}

for (const dialect of TEST_DIALECTS) {
  describe(`the history cache on ${dialect.name}`, () => {
    let repo: TestRepository;
    let store: Store;
    beforeAll(async () => {
      repo = TestRepository.create();
      store = await dialect.open();
      await saveRepository(store.db, { id: 'app', name: 'App', path: repo.dir, url: null, defaultBranch: null });
    });
    afterAll(async () => {
      await store.close();
      repo.remove();
    });

    it('reads only new commits and new blobs on a grown history, with the same results as reading git directly', async () => {
      repo.commit({
        author: ANN,
        at: '2024-01-10T10:00:00Z',
        files: { 'src/a.ts': 'a\n  b\n', 'src/b.ts': 'b\n', 'logo.png': new Uint8Array([0, 1]) },
      });
      repo.commit({ author: BOB, at: '2024-02-10T10:00:00Z', files: { 'src/a.ts': 'a\n  b\n  c\n', 'src/b.ts': 'b\nc\n' } });
      const first = await refreshHistory(store, 'app', repo.dir);
      // Three blobs at head: src/a.ts, src/b.ts, logo.png.
      expect(first).toMatchObject({ newCommits: 2, rebuilt: true, measuredBlobs: 3 });
      expect(await cachedCsv(store)).toEqual(await directCsv(repo));

      repo.commit({ author: BOB, at: '2024-03-10T10:00:00Z', moves: [['src/b.ts', 'src/lib/b.ts']] });
      repo.checkout('side', { create: true });
      repo.commit({ author: ANN, at: '2024-04-10T10:00:00Z', files: { 'src/c.ts': 'c\n', 'src/a.ts': 'a\n  b\n  c\n\td\n' } });
      repo.checkout('main');
      repo.merge('side', '2024-04-12T10:00:00Z', { author: ANN, message: 'merge side' });
      const second = await refreshHistory(store, 'app', repo.dir);
      // Three commits after the cached head (rename, side commit, merge); the merge changes no file and is not stored.
      // New blobs: src/c.ts and the new src/a.ts; src/lib/b.ts keeps its blob.
      expect(second).toMatchObject({ newCommits: 2, rebuilt: false, measuredBlobs: 2 });
      expect(await cachedCsv(store)).toEqual(await directCsv(repo));
      expect(await refreshHistory(store, 'app', repo.dir)).toMatchObject({ newCommits: 0, rebuilt: false, measuredBlobs: 0 });
    });

    it('walks back only to the last walk, and brings a cache from before the walked set up to date once', async () => {
      const walked = async () =>
        Number(
          (
            await store.db
              .selectFrom('codebase_walked')
              .select((eb) => eb.fn.countAll().as('n'))
              .where('repository_id', '=', 'app')
              .executeTakeFirstOrThrow()
          ).n,
        );
      // The walk so far covered every commit of main: 2 + rename + side commit + merge.
      expect(await walked()).toBe(5);
      // A cache written before codebase_walked existed: the next refresh decides on the whole graph and records it.
      await store.db.deleteFrom('codebase_walked').where('repository_id', '=', 'app').execute();
      repo.commit({ author: BOB, at: '2024-05-10T10:00:00Z', files: { 'src/e.ts': 'e\n' } });
      expect(await refreshHistory(store, 'app', repo.dir)).toMatchObject({ newCommits: 1, rebuilt: false });
      expect(await walked()).toBe(6);
      expect(await cachedCsv(store)).toEqual(await directCsv(repo));
      // From then on only the new commits are walked and recorded.
      repo.commit({ author: ANN, at: '2024-06-10T10:00:00Z', files: { 'src/e.ts': 'e\nf\n' } });
      expect(await refreshHistory(store, 'app', repo.dir)).toMatchObject({ newCommits: 1, rebuilt: false });
      expect(await walked()).toBe(7);
      expect(await cachedCsv(store)).toEqual(await directCsv(repo));
    });

    it('reuses stored results at the same head and options', async () => {
      await analyseCachedHistory(store.db, 'app', ['revisions'], options, [], NOW);
      const before = await store.db
        .selectFrom('codebase_results')
        .select(['analysis', 'computed_at'])
        .where('analysis', '=', 'revisions')
        .execute();
      await analyseCachedHistory(store.db, 'app', ['revisions'], options, [], NOW);
      const after = await store.db
        .selectFrom('codebase_results')
        .select(['analysis', 'computed_at'])
        .where('analysis', '=', 'revisions')
        .execute();
      expect(after).toEqual(before);
      // Other options are another result.
      await analyseCachedHistory(store.db, 'app', ['revisions'], { ...options, include: ['src/**'] }, [], NOW);
      const rows = await store.db.selectFrom('codebase_results').select('options_key').where('analysis', '=', 'revisions').execute();
      expect(rows).toHaveLength(before.length + 1);
    });

    it('rebuilds from scratch when the branch was rewritten', async () => {
      repo.git(['reset', '--quiet', '--hard', 'HEAD~1']);
      repo.commit({ author: BOB, at: '2024-05-01T10:00:00Z', files: { 'src/d.ts': 'd\n' } });
      const rewritten = await refreshHistory(store, 'app', repo.dir);
      expect(rewritten).toMatchObject({ rebuilt: true });
      expect(await cachedCsv(store)).toEqual(await directCsv(repo));
    });

    it('says a repository was never analysed', async () => {
      await saveRepository(store.db, { id: 'other', name: 'Other', path: null, url: 'https://example.com/x.git', defaultBranch: null });
      await expect(analyseCachedHistory(store.db, 'other', ['revisions'], options, [])).rejects.toThrow(/has not been analysed yet/);
    });
  });
}
