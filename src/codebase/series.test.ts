import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentProgress } from '../shared/progress.js';
import type { Store } from '../store/database.js';
import { TestRepository } from '../test-support/git-repository.js';
import { makeTempDir, TEST_DIALECTS } from '../test-support/stores.js';
import { parseWorkspaceConfig } from '../workspace/workspace-file.js';
import { applyWorkspaceConfig } from '../workspace/workspace.js';
import { codebaseSeries } from './series.js';
import { codebaseSyncTask } from './sync-task.js';

const ANA = 'Ana <ana@example.com>';
const BO = 'Bo <bo@example.com>';
const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A real repository: Bo changes b.ts in 12 commits on 1-12 October 2025; Ana changes a.ts in 10 commits on
 * 2-11 March 2026. Range: March 2026 (UTC); the days published are the Sundays 1, 8, 15, 22, 29 March and
 * the month's (and range's) last day, 31 March.
 * - Hotspots (>= 10 commits in the 90 days ending the day): a.ts has 7 commits by 8 March and 10 from
 *   11 March; b.ts's October commits are older than 90 days on every published day. 0, 0, 1, 1, 1, 1.
 * - Truck factor: on 1 March only b.ts has an author (Bo): removing Bo leaves no file covered, 1. From
 *   8 March a.ts is Ana's and b.ts Bo's: removing one leaves half the files covered, so both go, 2.
 */
for (const dialect of TEST_DIALECTS) {
  describe(`codebase series on ${dialect.name}`, () => {
    let repo: TestRepository;
    let store: Store;
    let workspaceDir: string;
    beforeAll(async () => {
      repo = TestRepository.create();
      for (let d = 1; d <= 12; d++)
        repo.commit({ message: `b${d}`, at: `2025-10-${pad(d)}T10:00:00Z`, author: BO, files: { 'b.ts': `export const b = ${d};\n` } });
      for (let d = 2; d <= 11; d++)
        repo.commit({ message: `a${d}`, at: `2026-03-${pad(d)}T10:00:00Z`, author: ANA, files: { 'a.ts': `export const a = ${d};\n` } });
      store = await dialect.open();
      workspaceDir = makeTempDir('sextant-codebase-series-');
      const yaml = ['version: 1', 'repositories:', `  - { id: app, path: ${JSON.stringify(repo.dir)} }`, ''].join('\n');
      const file = path.join(workspaceDir, 'sextant.yaml');
      fs.writeFileSync(file, yaml);
      const config = parseWorkspaceConfig(yaml, file);
      await applyWorkspaceConfig(store, config);
      await codebaseSyncTask.run({ store, config, workspaceDir, progress: silentProgress });
    }, 120_000);
    afterAll(async () => {
      repo?.remove();
      await store?.close();
      if (workspaceDir) fs.rmSync(workspaceDir, { recursive: true, force: true });
    });

    it('publishes hotspot counts and the truck factor on the days that close a week or a month', async () => {
      const series = await codebaseSeries(store, { from: '2026-03-01', to: '2026-03-31', timeZone: 'UTC' });
      const days = ['2026-03-01', '2026-03-08', '2026-03-15', '2026-03-22', '2026-03-29', '2026-03-31'];
      const values = (id: string) => {
        const s = series.find((x) => x.metric.id === id);
        expect(s?.points.map((p) => p.date)).toEqual(days);
        return s?.points.map((p) => p.value);
      };
      expect(series.map((s) => s.metric.id)).toEqual(['codebase.hotspots', 'codebase.hotspots.app', 'codebase.truck-factor.app']);
      expect(values('codebase.hotspots.app')).toEqual([0, 0, 1, 1, 1, 1]);
      expect(values('codebase.hotspots')).toEqual([0, 0, 1, 1, 1, 1]);
      expect(values('codebase.truck-factor.app')).toEqual([1, 2, 2, 2, 2, 2]);
    });

    it('publishes nothing for a workspace without analysed repositories', async () => {
      const empty = await dialect.open();
      try {
        expect(await codebaseSeries(empty, { from: '2026-03-01', to: '2026-03-31', timeZone: 'UTC' })).toEqual([]);
      } finally {
        await empty.close();
      }
    });
  });
}
