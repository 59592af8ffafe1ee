import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseWorkspaceConfig } from '../workspace/workspace-file.js';
import { ValidationError } from '../shared/errors.js';
import { silentProgress } from '../shared/progress.js';
import { TestRepository } from '../test-support/git-repository.js';
import { countCommits, getSyncState } from '../sources/git/store.js';
import type { Store } from '../store/database.js';
import { TEST_DIALECTS } from '../test-support/stores.js';
import { applyWorkspaceConfig } from '../workspace/workspace.js';
import { HOUR_MS } from './model.js';
import { loadChangesOfDeployments, loadDeployments } from './store.js';
import type { DeliverySection } from './delivery-config.js';
import { deliverySyncTask } from './sync-task.js';

function workspaceYaml(repoPath: string, extra = ''): string {
  return `version: 1
teams:
  - id: shop
    name: Shop
repositories:
  - id: mono
    path: ${repoPath}
services:
  - id: api
    name: API
    team: shop
    repositories: [{ repo: mono, paths: ['services/api/**'] }]
  - id: web
    name: Web
    team: shop
    repositories: [{ repo: mono, paths: ['services/web/**'] }]
delivery:
  tagDeployments:
    - service: api
      tags: '^api/v\\d+\\.\\d+\\.\\d+$'
    - service: web
      tags: '^web/v\\d+\\.\\d+\\.\\d+$'
${extra}`;
}

/**
 * A two-service monorepo synced twice. First sync: 3 commits, api/v1.0.0 and
 * web/v1.0.0. Second sync after 2 more commits and api/v1.1.0: only those 2
 * commits are read, and api/v1.1.0 ships only the api commit.
 *   m0 Feb 1 09:00 both services; a1 Feb 2 09:00 api; w1 Feb 2 10:00 web
 *   api/v1.0.0 Feb 2 12:00 (annotated), web/v1.0.0 lightweight on w1 (= Feb 2 10:00)
 *   a2 Feb 5 09:00 api; w2 Feb 5 10:00 web; api/v1.1.0 Feb 6 12:00
 */
for (const dialect of TEST_DIALECTS) {
  describe(`delivery sync on ${dialect.name}`, () => {
    let repo: TestRepository;
    let store: Store | undefined;

    beforeAll(() => {
      repo = TestRepository.create();
      repo.commit({ message: 'Bootstrap', at: '2024-02-01T09:00:00Z', files: { 'services/api/a': '1', 'services/web/w': '1' } });
      repo.commit({ message: 'API one', at: '2024-02-02T09:00:00Z', files: { 'services/api/a': '2' } });
      repo.commit({ message: 'Web one', at: '2024-02-02T10:00:00Z', files: { 'services/web/w': '2' } });
      repo.annotatedTag('api/v1.0.0', '2024-02-02T12:00:00Z');
      repo.tag('web/v1.0.0');
    });
    afterAll(() => repo.remove());
    afterEach(async () => {
      await store?.close();
      store = undefined;
    });

    it('ingests incrementally, derives tag deployments and attributes changes per service path', async () => {
      store = await dialect.open();
      const config = parseWorkspaceConfig<DeliverySection>(workspaceYaml(repo.dir), 'sextant.yaml');
      await applyWorkspaceConfig(store, config);
      const context = { store, config, workspaceDir: repo.dir, progress: silentProgress };

      expect(await deliverySyncTask.run(context)).toBe('1 repositories (3 commits read), 2 tag deployments, 4 changes attributed');
      expect((await getSyncState(store.db, 'mono'))?.withPaths).toBe(true);
      const first = await loadDeployments(store.db);
      expect(first.map((d) => [d.id, d.finishedAt]).sort()).toEqual([
        ['git:api:mono:api/v1.0.0', Date.parse('2024-02-02T12:00:00Z')],
        ['git:web:mono:web/v1.0.0', Date.parse('2024-02-02T10:00:00Z')], // lightweight: the commit's time
      ]);

      repo.commit({ message: 'API two', at: '2024-02-05T09:00:00Z', files: { 'services/api/a': '3' } });
      repo.commit({ message: 'Web two', at: '2024-02-05T10:00:00Z', files: { 'services/web/w': '3' } });
      repo.annotatedTag('api/v1.1.0', '2024-02-06T12:00:00Z');
      // Only the two new commits are read; the stored history grows to 5.
      expect(await deliverySyncTask.run(context)).toBe('1 repositories (2 commits read), 3 tag deployments, 5 changes attributed');
      expect(await countCommits(store.db, 'mono')).toBe(5);

      // Lead times (author time -> deployment finish), per deployment:
      //   api/v1.0.0: m0 27 h, a1 3 h; web/v1.0.0 (Feb 2 10:00): m0 Feb 1 09:00 = 25 h, w1 0 h; api/v1.1.0: a2 Feb 5 09:00 -> Feb 6 12:00 = 27 h.
      const deployments = new Map((await loadDeployments(store.db)).map((d) => [d.id, d]));
      const changes = await loadChangesOfDeployments(store.db, [...deployments.keys()], 'author');
      const leadHours = (id: string) =>
        changes
          .filter((c) => c.deploymentId === id)
          .map((c) => ((deployments.get(id)?.finishedAt as number) - c.startedAt) / HOUR_MS)
          .sort((a, b) => a - b);
      expect(leadHours('git:api:mono:api/v1.0.0')).toEqual([3, 27]);
      expect(leadHours('git:web:mono:web/v1.0.0')).toEqual([0, 25]);
      expect(leadHours('git:api:mono:api/v1.1.0')).toEqual([27]);
      // Filtering by service reads only its rows.
      const web = (await loadDeployments(store.db, { serviceIds: ['web'] })).map((d) => d.id);
      expect(await loadChangesOfDeployments(store.db, web, 'author')).toHaveLength(2);
    });

    it('re-derives a service only when something it reads changed', async () => {
      store = await dialect.open();
      const config = parseWorkspaceConfig<DeliverySection>(workspaceYaml(repo.dir), 'sextant.yaml');
      await applyWorkspaceConfig(store, config);
      const context = { store, config, workspaceDir: repo.dir, progress: silentProgress };
      await deliverySyncTask.run(context);
      const webIds = (await loadDeployments(store.db, { serviceIds: ['web'] })).map((d) => d.id);
      const webChanges = (await loadChangesOfDeployments(store.db, webIds, 'author')).length;
      expect(webChanges).toBeGreaterThan(0);

      // Remove web's stored changes behind the module's back. With no new commit, tag or
      // deployment, a sync must not re-derive them: they stay gone.
      await store.db.deleteFrom('delivery_changes').where('deployment_id', 'in', webIds).execute();
      await deliverySyncTask.run(context);
      expect(await loadChangesOfDeployments(store.db, webIds, 'author')).toEqual([]);

      // A new web release moves the ref tips and adds a tag: web is re-derived, all of it.
      // By hand: web/v1.0.0 ships m0 and w1 again; web/v1.2.0 ships w3 and w2 (committed by
      // the test above, never shipped by a web tag): 2 + 2 = 4.
      repo.commit({ message: 'Web three', at: '2024-02-07T10:00:00Z', files: { 'services/web/w': '4' } });
      repo.tag('web/v1.2.0');
      await deliverySyncTask.run(context);
      const webAfter = (await loadDeployments(store.db, { serviceIds: ['web'] })).map((d) => d.id);
      expect(webAfter).toHaveLength(webIds.length + 1);
      expect(webChanges).toBe(2);
      expect((await loadChangesOfDeployments(store.db, webAfter, 'author')).length).toBe(4);
    });

    it('rejects a tag rule for a service the file does not define, naming its line, before anything is written', async () => {
      store = await dialect.open();
      const yaml = workspaceYaml(repo.dir).replace('- service: web', '- service: webb');
      // Expected position worked out from the text: the line holding "- service: webb", the column where "webb" starts.
      const lines = yaml.split('\n');
      const line = lines.findIndex((l) => l.includes('- service: webb')) + 1;
      const column = (lines[line - 1] as string).indexOf('webb') + 1;
      let error: unknown;
      try {
        parseWorkspaceConfig(yaml, 'sextant.yaml');
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues).toEqual([
        { field: 'delivery.tagDeployments[1].service', file: 'sextant.yaml', line, column, message: 'unknown service "webb"' },
      ]);
      expect(await countCommits(store.db, 'mono')).toBe(0);
    });
  });
}
