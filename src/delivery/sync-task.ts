import path from 'node:path';
import { getService } from '../org/store.js';
import { ingestRepository } from '../sources/git/ingest.js';
import type { SyncTask } from '../sources/sync-tasks.js';
import { BASELINE_SETTING, rebuildService, type TagDeploymentRule } from './attribution.js';
import { putSetting } from './store.js';

/**
 * `sextant sync` for delivery: reads every configured repository that has a
 * local path into the store (incrementally), turns release tags into
 * deployments for the services listed under `delivery.tagDeployments`, and
 * re-derives the changes every deployment ships.
 */
export const deliverySyncTask: SyncTask = {
  name: 'delivery',
  async run({ store, config, workspaceDir, progress }) {
    // Tag rules name known services: loadWorkspaceConfig checked that, with line numbers.
    const rules = new Map<string, TagDeploymentRule>();
    for (const rule of config.delivery.tagDeployments)
      rules.set(rule.service, { pattern: new RegExp(rule.tags), environment: rule.environment });

    const needsPaths = new Set(config.services.flatMap((s) => s.repositories.filter((r) => r.paths.length > 0).map((r) => r.repo)));
    let commitsRead = 0;
    let repositories = 0;
    for (const [i, repo] of config.repositories.entries()) {
      if (!repo.path) continue;
      progress.start(`git ${repo.id}`);
      const report = await ingestRepository(store, {
        repositoryId: repo.id,
        path: path.resolve(workspaceDir, repo.path),
        field: `repositories[${i}].path`,
        withPaths: needsPaths.has(repo.id),
        progress,
      });
      progress.finish(`${report.commitsRead} commits read${report.full ? ' (full history)' : ''}, ${report.tags} tags`);
      commitsRead += report.commitsRead;
      repositories++;
    }

    progress.start('delivery');
    await putSetting(store.db, BASELINE_SETTING, config.delivery.baselineDays);
    let deployments = 0;
    let changes = 0;
    await store.db.transaction().execute(async (tx) => {
      for (const service of config.services) {
        const rebuilt = await rebuildService(tx, await getService(tx, service.id), rules.get(service.id));
        deployments += rebuilt.tagDeployments;
        changes += rebuilt.changes;
      }
    });
    return `${repositories} repositories (${commitsRead} commits read), ${deployments} tag deployments, ${changes} changes attributed`;
  },
};
