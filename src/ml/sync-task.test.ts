import { afterEach, describe, expect, it } from 'vitest';
import { saveTeam } from '../org/index.js';
import type { Store } from '../store/database.js';
import { TEST_DIALECTS } from '../test-support/stores.js';
import { parseDay } from './days.js';
import { projectInput, gateInput } from './model.js';
import { addProject, recordGate } from './projects.js';
import { listKillFlags } from './store.js';
import { killCriteriaSyncTask } from './sync-task.js';

const day = (d: string) => parseDay(d) as number;
const silent = { start() {}, update() {}, finish() {} };

for (const dialect of TEST_DIALECTS) {
  describe(`kill criteria on sync (${dialect.name})`, () => {
    let store: Store | undefined;
    afterEach(async () => {
      await store?.close();
      store = undefined;
    });

    it('flags a met criterion once, keeps it open until a gate decision, and does not flag it again', async () => {
      store = await dialect.open();
      await saveTeam(store.db, { id: 'ml', name: 'ML', parentId: null, description: null });
      await addProject(
        { db: store.db },
        projectInput.parse({
          id: 'churn',
          name: 'Churn',
          productOwner: 'Ana',
          minQuality: 0.7,
          teams: ['ml'],
          start: '2026-01-05',
          killCriteria: [{ condition: { kind: 'no-go-decision', weeks: 2 } }],
        }),
        day('2026-01-05'),
      );
      let now = day('2026-01-18');
      const task = killCriteriaSyncTask({}, () => now);
      const run = () => task.run({ store: store as Store, config: {}, workspaceDir: '.', progress: silent });
      // Deadline 2026-01-05 + 14 days = 2026-01-19: not met on the 18th, met on the 19th.
      expect(await run()).toBe('1 kill criteria evaluated, 0 newly met, 0 open flags');
      now = day('2026-01-19');
      expect(await run()).toBe('1 kill criteria evaluated, 1 newly met, 1 open flags');
      expect(await run()).toBe('1 kill criteria evaluated, 0 newly met, 1 open flags');
      const [flag] = await listKillFlags(store.db);
      expect(flag).toMatchObject({
        criterionId: 'k1',
        evidence: 'no go decision by 2026-01-19 (2 weeks after the start on 2026-01-05)',
        resolvedAt: null,
      });

      await recordGate(
        { db: store.db },
        'churn',
        gateInput.parse({ phase: 'data-assessment', decision: 'go', decidedBy: 'Ana', at: '2026-01-20', enterNext: true }),
        day('2026-01-20'),
      );
      now = day('2026-01-21');
      expect(await run()).toBe('1 kill criteria evaluated, 0 newly met, 0 open flags');
      expect((await listKillFlags(store.db))[0]).toMatchObject({
        resolvedAt: day('2026-01-20'),
        resolvedBy: 'go at data-assessment by Ana',
      });
    });
  });
}
