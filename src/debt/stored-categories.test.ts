import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { SeededRandom } from '../shared/random.js';
import type { Store } from '../store/database.js';
import { workItem } from '../test-support/debt-factories.js';
import { TEST_DIALECTS } from '../test-support/stores.js';
import { DAY_MS, DEFAULT_DEBT_CONFIG, EFFORT_MEASURES, type CategoryRule, type DebtConfig, type WorkItem } from './model.js';
import { capacityReport, computeCapacity } from './service.js';
import { loadCategorisedWorkItems, saveDebtSettings, upsertWorkItems } from './store.js';

/**
 * Work items are stored with their Balance category (written with the item,
 * rewritten when a parent or the rules change) and capacity is aggregated by
 * the database. The in-memory path (categorise + capacity over loaded items,
 * hand-worked in capacity.test.ts) is the independent oracle here.
 */

const START = Date.UTC(2025, 0, 6);
const day = (n: number) => START + n * DAY_MS;

const item = (id: string, fields: Partial<WorkItem> = {}) => workItem(id, START, fields);

/** Random work over four teams: tracker and cadence sprints, completions before the cadence starts, missing points and starts, parents across teams, epics. */
function randomWork(seed: number, count: number): WorkItem[] {
  const random = new SeededRandom(seed);
  const items: WorkItem[] = [];
  for (let i = 0; i < count; i++) {
    const state = random.pick(['done', 'done', 'done', 'in-progress', 'todo', 'cancelled'] as const);
    const started = random.chance(0.85) ? day(random.int(-40, 200)) : null;
    const completed = state === 'done' ? (started ?? day(random.int(-40, 200))) + random.int(0, 20 * 24) * 3_600_000 : null;
    items.push(
      item(`W-${i}`, {
        team: random.pick(['core', 'pay', 'web', 'data']),
        type: random.pick(['task', 'bug', 'feature', 'epic', 'story', 'chore', 'spike']),
        labels: random.chance(0.15) ? ['tech-debt'] : random.chance(0.1) ? ['Tech-Debt', 'ui'] : [],
        title: random.chance(0.1) ? `[Debt] item ${i}` : `item ${i}`,
        state,
        started,
        completed,
        points: random.chance(0.7) ? random.int(1, 8) : null,
        parent: i > 10 && random.chance(0.4) ? `W-${random.int(0, i - 1)}` : null,
        sprint: random.chance(0.2) ? `Sprint ${random.int(1, 6)}` : null,
        links: random.chance(0.05) ? ['debt:d-1'] : [],
      }),
    );
  }
  return items;
}

/** Sums differ only in summation order between SQL and JavaScript: compare to 9 decimals. */
function rounded<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' ? Math.round(v * 1e9) / 1e9 : v))) as T;
}

const categoriesOf = async (store: Store) =>
  Object.fromEntries((await loadCategorisedWorkItems(store.db, store.dialect)).map((i) => [i.id, i.category.because]));

describe.each(TEST_DIALECTS)('stored categories and capacity in the store ($name)', (dialect) => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it.each(EFFORT_MEASURES)('capacity aggregated by the store equals capacity over the items in memory (effort %s)', async (effort) => {
    store = await dialect.open();
    const config: DebtConfig = {
      ...DEFAULT_DEBT_CONFIG,
      effort,
      targets: { pay: 0.3 },
      wipLimits: { web: 2 },
      cadence: { days: 14, start: '2025-01-06' },
      rules: [
        ...DEFAULT_DEBT_CONFIG.rules.slice(0, 3),
        { category: 'debt', titlePrefix: ['[debt]'] },
        ...DEFAULT_DEBT_CONFIG.rules.slice(3),
      ],
    };
    await saveDebtSettings(store.db, store.dialect, config);
    const items = randomWork(7, 800);
    // Written in three batches, children before some of their parents.
    await upsertWorkItems(store, items.slice(400), day(300));
    await upsertWorkItems(store, items.slice(0, 200), day(300));
    await upsertWorkItems(store, items.slice(200, 400), day(300));

    const fromStore = await capacityReport(store);
    const inMemory = computeCapacity(items, config);
    expect(rounded(fromStore)).toEqual(rounded(inMemory));
    // The comparison is not vacuous: four teams, sprints before the cadence's start, tracker sprints, unmeasured items.
    expect(fromStore.teams.map((t) => t.team)).toEqual(['core', 'data', 'pay', 'web']);
    const sprints = fromStore.teams.flatMap((t) => t.sprints);
    expect(sprints.some((s) => s.start < START)).toBe(true);
    expect(sprints.some((s) => s.sprint.startsWith('Sprint '))).toBe(true);
    if (effort !== 'count') expect(sprints.some((s) => s.unmeasured > 0)).toBe(true);
    expect(fromStore.teams.find((t) => t.team === 'pay')?.target).toBe(0.3);

    // One team, the last 3 sprints.
    const pay = await capacityReport(store, { team: 'pay', sprints: 3 });
    expect(rounded(pay.teams)).toEqual(rounded(computeCapacity(items, config, 3).teams.filter((t) => t.team === 'pay')));
  });

  it('gives the hand-worked shares from the store', async () => {
    store = await dialect.open();
    // One sprint from 2025-01-06 (the cadence start): A debt (label), B new (type), C new (inherited from epic E),
    // D ktlo (bug), F improve. By count each is 1/5; E (epic) and G are in progress: WIP 1 (epics are not WIP).
    await saveDebtSettings(store.db, store.dialect, { ...DEFAULT_DEBT_CONFIG, cadence: { days: 14, start: '2025-01-06' } });
    await upsertWorkItems(
      store,
      [
        item('A', { labels: ['tech-debt'] }),
        item('B', { type: 'feature' }),
        item('C', { parent: 'E' }),
        item('D', { type: 'bug' }),
        item('F'),
        item('E', { type: 'epic', state: 'in-progress', completed: null }),
        item('G', { state: 'in-progress', completed: null }),
      ],
      day(10),
    );
    const [core] = (await capacityReport(store)).teams;
    expect(core?.sprints).toHaveLength(1);
    expect(core?.sprints[0]).toMatchObject({
      sprint: '2025-01-06',
      items: 5,
      effort: { new: 2, improve: 1, ktlo: 1, debt: 1 },
      shares: { new: 0.4, improve: 0.2, ktlo: 0.2, debt: 0.2 },
      below: false,
    });
    expect(core?.wip).toEqual({ count: 1, limit: null, over: false });
  });

  it('categorises stored children again when their parent is written later or changes', async () => {
    store = await dialect.open();
    // X under C under E. X and C arrive first: their parent is unknown, so the inherit rule (#3) falls through.
    await upsertWorkItems(store, [item('X', { parent: 'C' }), item('C', { parent: 'E', type: 'chore' })], day(5));
    expect(await categoriesOf(store)).toEqual({ X: '#3 inherited from C', C: '#5 type bug|incident|chore|remediation' });
    // The epic arrives: C inherits new from E (#3 beats C's own type), and X follows C.
    await upsertWorkItems(store, [item('E', { type: 'epic' })], day(6));
    expect(await categoriesOf(store)).toEqual({ X: '#3 inherited from C', C: '#3 inherited from E', E: '#4 type feature|epic|story' });
    const categoryOf = async (id: string) =>
      (await loadCategorisedWorkItems(store!.db, store!.dialect)).find((i) => i.id === id)?.category.category;
    expect(await categoryOf('X')).toBe('new');
    // The epic is relabelled tech-debt: the whole tree becomes debt.
    await upsertWorkItems(store, [item('E', { type: 'epic', labels: ['tech-debt'] })], day(7));
    expect(await categoryOf('E')).toBe('debt');
    expect(await categoryOf('C')).toBe('debt');
    expect(await categoryOf('X')).toBe('debt');
  });

  it('categorises every item again when the rules change, and items stored without a category on first read', async () => {
    store = await dialect.open();
    await upsertWorkItems(store, [item('T1'), item('T2', { type: 'bug' })], day(5));
    expect(await categoriesOf(store)).toEqual({ T1: '#6 everything else', T2: '#5 type bug|incident|chore|remediation' });

    const rules: CategoryRule[] = [{ category: 'ktlo', type: ['task'] }, { category: 'new' }];
    await saveDebtSettings(store.db, store.dialect, { ...DEFAULT_DEBT_CONFIG, rules });
    expect(await categoriesOf(store)).toEqual({ T1: '#1 type task', T2: '#2 everything else' });

    // Rows written before categories were stored (or edited outside Sextant) have none: the next read categorises them.
    await sql`update work_items set category = null, category_rule = null, category_because = null`.execute(store.db);
    const [core] = (await capacityReport(store)).teams;
    expect(core?.sprints[0]?.effort).toEqual({ new: 1, improve: 0, ktlo: 1, debt: 0 });
    const stored = await store.db.selectFrom('work_items').select(['id', 'category']).orderBy('id').execute();
    expect(stored).toEqual([
      { id: 'T1', category: 'ktlo' },
      { id: 'T2', category: 'new' },
    ]);
  });
});
