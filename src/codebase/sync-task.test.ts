import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWorkspaceConfig } from '../workspace/workspace-file.js';
import { silentProgress } from '../shared/progress.js';
import type { Store } from '../store/database.js';
import { makeTempDir, TEST_DIALECTS } from '../test-support/stores.js';
import { applyWorkspaceConfig } from '../workspace/workspace.js';
import { codebaseSyncTask, DASHBOARD_ANALYSES } from './sync-task.js';
import { buildCodebaseFixture, type TestRepository } from '../test-support/git-repository.js';

for (const dialect of TEST_DIALECTS) {
  describe(`the codebase sync task on ${dialect.name}`, () => {
    let repo: TestRepository;
    let store: Store;
    let workspaceDir: string;
    beforeAll(async () => {
      repo = buildCodebaseFixture();
      store = await dialect.open();
      workspaceDir = makeTempDir('sextant-codebase-sync-');
    });
    afterAll(async () => {
      await store.close();
      repo.remove();
      fs.rmSync(workspaceDir, { recursive: true, force: true });
    });

    async function sync(yaml: string) {
      const file = path.join(workspaceDir, 'sextant.yaml');
      fs.writeFileSync(file, yaml);
      const config = parseWorkspaceConfig(yaml, file);
      await applyWorkspaceConfig(store, config);
      return codebaseSyncTask.run({ store, config, workspaceDir, progress: silentProgress });
    }

    const relative = () => path.relative(workspaceDir, repo.dir);
    const yaml = (repoPath: string) =>
      [
        'version: 1',
        'teams: [{ id: core, name: Core }]',
        'repositories:',
        `  - { id: app, path: ${JSON.stringify(repoPath)} }`,
        '  - { id: remote, url: https://git.example.com/remote.git }',
        'services:',
        '  - { id: lib, name: Lib, team: core, repositories: [{ repo: app, paths: ["src/lib/**"] }] }',
        '',
      ].join('\n');

    it('reads local repositories (paths relative to the workspace) and precomputes the dashboard per repository and service', async () => {
      // 9 commits of which 8 change files (the merge does not).
      expect(await sync(yaml(relative()))).toBe('1 repository, 8 new commits, 1 service; 1 without a local path skipped');
      const rows = await store.db.selectFrom('codebase_results').select(['analysis', 'options_key']).execute();
      // One result per dashboard analysis for the repository, one for the service (include: src/lib/**).
      expect(rows).toHaveLength(DASHBOARD_ANALYSES.length * 2);
      expect(rows.filter((r) => r.options_key.includes('src/lib/**'))).toHaveLength(DASHBOARD_ANALYSES.length);
      expect(await sync(yaml(relative()))).toBe('1 repository, 0 new commits, 1 service; 1 without a local path skipped');
    });

    it('names the repository whose path is not a git repository', async () => {
      const plain = makeTempDir('sextant-not-git-');
      try {
        await expect(sync(yaml(plain))).rejects.toMatchObject({
          issues: [
            { field: 'repositories.app.path', message: `${plain} is not a git repository (no .git found here or in a parent folder)` },
          ],
        });
      } finally {
        fs.rmSync(plain, { recursive: true, force: true });
      }
    });
  });
}
