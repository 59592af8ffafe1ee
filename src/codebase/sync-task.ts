import type { SyncTask } from '../kit/sync.js';
import { loadOrg } from '../org/index.js';
import { refreshWorkspaceRepository } from './history-cache.js';
import { analysisOptionsSchema, type AnalysisName } from './model.js';
import { analyseScope } from './scopes.js';

/** What the Codebase page shows; computed on sync so the page opens on cached results. */
export const DASHBOARD_ANALYSES: readonly AnalysisName[] = ['summary', 'hotspots', 'coupling', 'truck-factor', 'knowledge-risk', 'age'];

/**
 * `sextant sync` step: brings the history cache of every workspace repository
 * with a local path up to its default branch (only new commits are read),
 * then computes the dashboard's analyses for each repository and each service.
 * Repositories known only by URL are skipped: git history needs a clone.
 */
export const codebaseSyncTask: SyncTask = {
  name: 'codebase',
  async run({ store, workspaceDir, repositoryRoots = [], progress, failed }) {
    const org = await loadOrg(store.db);
    const local = org.repositories.filter((r) => r.path !== null);
    const options = analysisOptionsSchema.parse({});
    let newCommits = 0;
    const analysed = new Set<string>();
    for (const [i, repository] of local.entries()) {
      progress.update(i, local.length);
      try {
        newCommits += (await refreshWorkspaceRepository(store, repository, { workspaceDir, extraRoots: repositoryRoots })).newCommits;
        await analyseScope(store.db, { kind: 'repository', id: repository.id }, DASHBOARD_ANALYSES, options);
        analysed.add(repository.id);
      } catch (error) {
        // One unreadable repository must not stop the others; without a failure sink the caller wants the error.
        if (failed === undefined) throw error;
        failed(`repository ${repository.id}`, error);
      }
    }
    const services = org.services.filter(
      (s) => s.repositories.length > 0 && s.repositories.every((link) => analysed.has(link.repositoryId)),
    );
    for (const service of services) await analyseScope(store.db, { kind: 'service', id: service.id }, DASHBOARD_ANALYSES, options);
    progress.update(local.length, local.length);
    const skipped = org.repositories.length - local.length;
    const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
    return (
      `${count(analysed.size, 'repository', 'repositories')}, ${count(newCommits, 'new commit', 'new commits')}, ` +
      `${count(services.length, 'service', 'services')}` +
      (skipped > 0 ? `; ${skipped} without a local path skipped` : '') +
      (local.length > analysed.size ? `; ${local.length - analysed.size} failed` : '')
    );
  },
};
