import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModulePeers } from '../kit/module.js';
import { ValidationError } from '../shared/errors.js';
import type { Store } from '../store/database.js';
import { makeTempDir, TEST_DIALECTS } from '../test-support/stores.js';
import { loadWorkspaceConfig } from '../workspace/workspace-file.js';
import { metricValues } from './metric-values.js';
import { applyOutcomes, type OutcomesSection } from './outcomes-config.js';
import { runSqlSource } from './sql-source.js';
import { getTree, listMetrics, writePoints } from './store.js';
import { publishModuleSeries } from './sync-task.js';

const YAML = `version: 1
outcomes:
  metrics:
    - id: active
      name: Active teams
      aggregation: last
    - id: signups
      name: Signups
  northStar:
    metric: active
    inputs:
      - metric: signups
        hypothesis: more signups -> more active teams
        inputs:
          - metric: ghost
`;

describe('outcomes configuration and SQL sources', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeTempDir('sextant-outcomes-config-');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('names file, line and field of an unknown metric in the tree', () => {
    const file = path.join(dir, 'sextant.yaml');
    fs.writeFileSync(file, YAML);
    try {
      loadWorkspaceConfig(file);
      expect.unreachable('the file is invalid');
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      const issue = (error as ValidationError).issues[0];
      // `- metric: ghost` is line 15; the field is the nested input's metric.
      expect(issue).toMatchObject({ file, line: 15, field: 'outcomes.northStar.inputs[0].inputs[0].metric' });
      expect(issue?.message).toContain('unknown metric "ghost"');
    }
  });

  it('applies definitions and the tree; runs a SQLite source read-only', async () => {
    const file = path.join(dir, 'ok.yaml');
    fs.writeFileSync(file, YAML.replace(/\n {8}inputs:\n {10}- metric: ghost\n/, '\n'));
    const config = loadWorkspaceConfig(file) as unknown as OutcomesSection;
    const store = await (TEST_DIALECTS[0] as (typeof TEST_DIALECTS)[number]).open();
    try {
      await applyOutcomes(store, config);
      expect((await listMetrics(store.db)).map((m) => m.id)).toEqual(['active', 'signups']);
      expect((await getTree(store.db)).edges).toEqual([
        { parent: 'active', child: 'signups', hypothesis: 'more signups -> more active teams' },
      ]);

      const product = path.join(dir, 'product.db');
      const db = new SqliteDatabase(product);
      db.exec("create table signups (day text); insert into signups values ('2025-01-01'), ('2025-01-01'), ('2025-01-02');");
      db.close();
      const points = await runSqlSource(
        { sqlite: 'product.db', query: "select day as date, 'signups' as metric, count(*) as value from signups group by day" },
        dir,
        'outcomes.sources[0]',
      );
      expect(points).toEqual([
        { metric: 'signups', date: '2025-01-01', value: 2 },
        { metric: 'signups', date: '2025-01-02', value: 1 },
      ]);
      await writePoints(store, points);
      expect(await metricValues(store.db, 'signups', '2025-01-01', '2025-01-31')).toEqual([
        { date: '2025-01-01', value: 2 },
        { date: '2025-01-02', value: 1 },
      ]);
      // A writing statement is refused before it runs.
      await expect(runSqlSource({ sqlite: 'product.db', query: 'delete from signups' }, dir, 'outcomes.sources[0]')).rejects.toThrow(
        ValidationError,
      );
      const check = new SqliteDatabase(product, { readonly: true });
      expect((check.prepare('select count(*) as n from signups').get() as { n: number }).n).toBe(3);
      check.close();
      // Rows that are not daily points reject the whole source.
      await expect(
        runSqlSource(
          { sqlite: 'product.db', query: "select 'tomorrow' as date, 'signups' as metric, 1 as value" },
          dir,
          'outcomes.sources[0]',
        ),
      ).rejects.toThrow(/not daily points/);
    } finally {
      await store.close();
    }
  });
});

describe.each(TEST_DIALECTS)('module series on $name', (dialect) => {
  let store: Store;
  beforeAll(async () => {
    store = await dialect.open();
  });
  afterAll(async () => store?.close());

  it('defines each published series as a metric of its module and replaces its points idempotently', async () => {
    let calls = 0;
    const peers: ModulePeers = {
      reviewSections: [],
      lookups: {},
      series: [
        {
          module: 'delivery',
          series: async (_store, range) => {
            calls++;
            return [
              {
                metric: {
                  id: 'delivery.deployments',
                  name: 'Deployments',
                  unit: 'count',
                  direction: 'up',
                  aggregation: 'sum',
                  description: 'test',
                },
                points: [{ date: range.to, value: calls }],
              },
            ];
          },
        },
      ],
    };
    await publishModuleSeries(store, peers, '2025-03-10', 'UTC');
    await publishModuleSeries(store, peers, '2025-03-10', 'UTC');
    const metric = (await listMetrics(store.db)).find((m) => m.id === 'delivery.deployments');
    expect(metric?.source).toBe('delivery');
    // The second run replaced the day's value (2), it did not add a second point.
    expect(await metricValues(store.db, 'delivery.deployments', '2023-01-01', '2025-12-31')).toEqual([{ date: '2025-03-10', value: 2 }]);
  });
});
