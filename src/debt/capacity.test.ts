import { describe, expect, it } from 'vitest';
import { capacity, weeklySeries, type CapacityOptions } from './capacity.js';
import { workItem } from '../test-support/debt-factories.js';
import { categorise } from './categorise.js';
import { DAY_MS, DEFAULT_RULES, type WorkItem } from './model.js';

const START = Date.UTC(2024, 0, 1);
const day = (n: number) => START + n * DAY_MS;

const item = (id: string, fields: Partial<WorkItem> = {}) => workItem(id, START, fields);

const options = (overrides: Partial<CapacityOptions> = {}): CapacityOptions => ({
  effort: 'count',
  cadence: { days: 14, start: START },
  target: () => 0.2,
  wipLimit: () => null,
  ...overrides,
});

describe('capacity shares', () => {
  // One sprint (2024-01-01 .. 01-15) with an item of each category:
  //   A  task, label tech-debt, 3 points   -> debt    (rule 1, label)
  //   B  feature, 5 points                 -> new     (rule 4, type)
  //   C  task under epic E, 2 points       -> new     (rule 3, inherited from E)
  //   D  bug, 1 point                      -> ktlo    (rule 5, type)
  //   F  task, 4 points                    -> improve (rule 6, everything else)
  // E is the epic, still in progress: neither effort nor WIP (epics contain work). G is in progress: WIP 1.
  const items = [
    item('A', { labels: ['Tech-Debt'], points: 3 }),
    item('B', { type: 'feature', points: 5 }),
    item('C', { parent: 'E', points: 2 }),
    item('D', { type: 'bug', points: 1 }),
    item('F', { points: 4 }),
    item('E', { type: 'epic', state: 'in-progress', completed: null }),
    item('G', { state: 'in-progress', completed: null }),
  ];
  const categories = categorise(items, DEFAULT_RULES);

  it('shows the rule that gave each category', () => {
    expect(Object.fromEntries([...categories].map(([id, c]) => [id, c.because]))).toEqual({
      A: '#1 label tech-debt',
      B: '#4 type feature|epic|story',
      C: '#3 inherited from E',
      D: '#5 type bug|incident|chore|remediation',
      E: '#4 type feature|epic|story',
      F: '#6 everything else',
      G: '#6 everything else',
    });
  });

  it('by count: 5 items -> debt 1/5, new 2/5, ktlo 1/5, improve 1/5; 20% is not below a 20% target', () => {
    const [team] = capacity(items, categories, options({ wipLimit: () => 0 }));
    expect(team?.sprints).toHaveLength(1);
    const sprint = team?.sprints[0];
    expect(sprint?.sprint).toBe('2024-01-01');
    expect(sprint?.shares).toEqual({ debt: 0.2, new: 0.4, ktlo: 0.2, improve: 0.2 });
    expect(sprint?.below).toBe(false);
    expect(team?.wip).toEqual({ count: 1, limit: 0, over: true });
  });

  it('by points: 15 points -> debt 3/15, new (5+2)/15, ktlo 1/15, improve 4/15', () => {
    const [team] = capacity(items, categories, options({ effort: 'points' }));
    expect(team?.sprints[0]?.effort).toEqual({ debt: 3, new: 7, ktlo: 1, improve: 4 });
    expect(team?.sprints[0]?.shares).toEqual({ debt: 3 / 15, new: 7 / 15, ktlo: 1 / 15, improve: 4 / 15 });
    expect(team?.sprints[0]?.unmeasured).toBe(0);
  });

  it('counts a team below target for three sprints as streak 3', () => {
    // Sprint 1: 1 debt of 2 (50%); sprints 2-4: no debt (0% < 20%). Streak after each: 0, 1, 2, 3.
    const sprintDay = (sprint: number) => day(sprint * 14 + 2);
    const history = [
      item('s1-debt', { labels: ['tech-debt'], completed: sprintDay(0) }),
      item('s1-new', { type: 'feature', completed: sprintDay(0) }),
      ...[1, 2, 3].map((s) => item(`s${s + 1}-new`, { type: 'feature', completed: sprintDay(s) })),
    ];
    const [team] = capacity(history, categorise(history, DEFAULT_RULES), options());
    expect(team?.sprints.map((s) => [s.sprint, s.debtShare, s.streak])).toEqual([
      ['2024-01-01', 0.5, 0],
      ['2024-01-15', 0, 1],
      ['2024-01-29', 0, 2],
      ['2024-02-12', 0, 3],
    ]);
    expect(team?.streak).toBe(3);
    // The last two sprints only: the streak is still counted over the whole history.
    const [lastTwo] = capacity(history, categorise(history, DEFAULT_RULES), options({ sprints: 2 }));
    expect(lastTwo?.sprints.map((s) => s.streak)).toEqual([2, 3]);
  });

  it('uses the tracker’s sprint names when items carry them, and the cycle-time measure in days', () => {
    const tracked = [
      item('x', { sprint: 'Sprint 7', started: day(1), completed: day(3), labels: ['tech-debt'] }),
      item('y', { sprint: 'Sprint 7', started: null, completed: day(4) }),
    ];
    const [team] = capacity(tracked, categorise(tracked, DEFAULT_RULES), options({ effort: 'cycle-time' }));
    // x: 2 days of debt; y was never started -> no effort, reported as unmeasured.
    expect(team?.sprints.map((s) => [s.sprint, s.effort.debt, s.total, s.unmeasured])).toEqual([['Sprint 7', 2, 2, 1]]);
  });

  it('gives weekly debt share and items in progress at each week’s end', () => {
    // Week of 2024-01-01: A (debt) and B done -> 1/2. Item W started 01-02, done 01-10: in progress at the
    // end of week 1 (01-08), done before the end of week 2 (01-15).
    const weekly = [
      item('A', { labels: ['tech-debt'], completed: day(2) }),
      item('B', { completed: day(3) }),
      item('W', { started: day(1), completed: day(9) }),
    ];
    expect(weeklySeries(weekly, categorise(weekly, DEFAULT_RULES), 'count', { from: day(0), to: day(14) })).toEqual([
      { team: 'core', week: '2024-01-01', debtShare: 0.5, wip: 1 },
      { team: 'core', week: '2024-01-08', debtShare: 0, wip: 0 },
    ]);
  });
});
