import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoOrg } from '../org/index.js';
import { replaceOrg } from '../org/index.js';
import type { Store } from '../store/database.js';
import { TEST_DIALECTS } from '../test-support/stores.js';
import type { KnowledgeRiskReport, TruckFactorReport } from './analyses.js';
import { loadCodebaseDemo } from './demo.js';
import { analysisOptionsSchema } from './model.js';
import { analyseScope } from './scopes.js';
import { listHistoryStates } from './store.js';

const NOW = Date.UTC(2025, 5, 1);

describe('the codebase demo', () => {
  let store: Store;
  const org = generateDemoOrg({ seed: 1, scale: 1 });
  beforeAll(async () => {
    store = await (TEST_DIALECTS[0] as (typeof TEST_DIALECTS)[number]).open();
    await replaceOrg(store.db, org, 'demo');
  });
  afterAll(() => store.close());

  it('gives every demo repository a year of history that the analyses read like a real one', async () => {
    const first = await loadCodebaseDemo(store, { seed: 1, scale: 1, now: NOW });
    expect(first.repositories).toBe(org.repositories.length);
    const states = await listHistoryStates(store.db);
    expect(states.map((s) => s.repositoryId)).toEqual(org.repositories.map((r) => r.id));
    expect(states.reduce((n, s) => n + s.commits, 0)).toBe(first.commits);
    // Loading again replaces the history: same seed and day, same commits.
    expect((await loadCodebaseDemo(store, { seed: 1, scale: 1, now: NOW })).commits).toBe(first.commits);

    const options = analysisOptionsSchema.parse({});
    const results = await analyseScope(
      store.db,
      { kind: 'service', id: 'cart' },
      ['truck-factor', 'knowledge-risk', 'hotspots'],
      options,
      NOW,
    );
    const [truck] = results.get('truck-factor') ?? [];
    expect(truck?.paths).toEqual(['services/cart/**']);
    expect((truck?.result as TruckFactorReport).truckFactor).toBeGreaterThanOrEqual(1);
    // The truck factor reads the paper's file set, source code only: the lock file is out.
    const payments = await analyseScope(store.db, { kind: 'repository', id: 'payments' }, ['truck-factor', 'knowledge-risk'], options, NOW);
    const report = payments.get('truck-factor')?.[0]?.result as TruckFactorReport;
    expect(report.excluded).toContainEqual({ path: 'package-lock.json', reason: 'lockfile' });
    expect(report.files.map((f) => f.path)).not.toContain('package-lock.json');
    // Someone left eight months ago: some files have no active author.
    const risk = payments.get('knowledge-risk')?.[0]?.result as KnowledgeRiskReport;
    expect(risk.authors.filter((a) => !a.active)).toHaveLength(1);
    expect(risk.files.filter((f) => f.cause === 'inactive').length).toBeGreaterThan(0);
  });
});
