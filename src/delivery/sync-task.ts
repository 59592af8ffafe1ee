import type { SyncTask } from '../kit/sync.js';
import { getService, loadOrg, repositoryReadPath } from '../org/index.js';
import { syncRepository } from '../sources/git/index.js';
import { BASELINE_SETTING, rebuildService, serviceLock, type TagDeploymentRule } from './attribution.js';
import type { DeliverySection } from './delivery-config.js';
import { lockKeys } from '../store/serialise.js';
import { putSetting } from './store.js';

/**
 * `sextant sync` for delivery: has the git source read every workspace
 * repository that has a local path into the store (incrementally, and once
 * per sync for every module: paths for services with path filters, and the
 * per-file changes the codebase module derives its cache from, come with the
 * same read), turns release tags into
 * deployments for the services listed under `delivery.tagDeployments`, and
 * re-derives the changes every deployment ships.
 */
export const deliverySyncTask: SyncTask<DeliverySection> = {
  name: 'delivery',
  async run({ store, config, workspaceDir, repositoryRoots = [], progress, failed }) {
    // Tag rules name known services: the configuration check said so, with line numbers.
    const rules = new Map<string, TagDeploymentRule>();
    for (const rule of config.delivery.tagDeployments)
      rules.set(rule.service, { pattern: new RegExp(rule.tags), environment: rule.environment });

    const org = await loadOrg(store.db);
    let commitsRead = 0;
    let repositories = 0;
    let failures = 0;
    for (const repo of org.repositories) {
      if (!repo.path) continue;
      progress.start(`git ${repo.id}`);
      try {
        const report = await syncRepository(store, {
          repositoryId: repo.id,
          path: await repositoryReadPath(store.db, repo, { workspaceDir, extraRoots: repositoryRoots }),
          field: `repositories.${repo.id}.path`,
          progress,
        });
        progress.finish(`${report.commitsRead} commits read${report.full ? ' (full history)' : ''}, ${report.tags} tags`);
        commitsRead += report.commitsRead;
        repositories++;
      } catch (error) {
        // One unreadable repository must not stop the others; without a failure sink the caller wants the error.
        if (failed === undefined) throw error;
        progress.finish('failed');
        failed(`repository ${repo.id}`, error);
        failures++;
      }
    }

    progress.start('delivery');
    await putSetting(store.db, BASELINE_SETTING, config.delivery.baselineDays);
    let deployments = 0;
    let changes = 0;
    await store.db.transaction().execute(async (tx) => {
      // The locks deployment writes take: the two would otherwise derive a service's changes side by side (PostgreSQL).
      await lockKeys(
        tx,
        org.services.map((s) => serviceLock(s.id)),
      );
      for (const service of org.services) {
        const rebuilt = await rebuildService(tx, await getService(tx, service.id), rules.get(service.id));
        deployments += rebuilt.tagDeployments;
        changes += rebuilt.changes;
      }
    });
    return (
      `${repositories} repositories (${commitsRead} commits read)${failures > 0 ? `, ${failures} failed` : ''}, ` +
      `${deployments} tag deployments, ${changes} changes attributed`
    );
  },
};
