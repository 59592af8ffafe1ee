import type { Categorised } from './categorise.js';
import { BALANCE_CATEGORIES, DAY_MS, type BalanceCategory, type EffortMeasure, type WorkItem } from './model.js';

/**
 * The capacity budget (docs/metrics/debt.md): per team and sprint, each
 * Balance category's share of the effort completed in the sprint, the debt
 * share against the team's target, and the streak of sprints below it.
 *
 * - A done item counts in the sprint the tracker names, or else in the
 *   workspace cadence's sprint containing its completion instant.
 * - Effort: `count` = 1 per item; `points` = its points (unpointed items add 0
 *   and are reported); `cycle-time` = completed - started in days (items never
 *   started add 0 and are reported).
 * - WIP: items in progress now, epics left out (they contain work).
 * - A sprint is below target when its debt share < the target; a sprint with no
 *   effort has no share and breaks no streak (it is skipped).
 */
export interface Cadence {
  days: number;
  /** Epoch ms of the first sprint's start. */
  start: number;
}

/** Two-week sprints from Monday 2024-01-01 when the workspace states none. */
export const DEFAULT_CADENCE: Cadence = { days: 14, start: Date.UTC(2024, 0, 1) };

export interface CapacityOptions {
  effort: EffortMeasure;
  cadence: Cadence;
  target: (team: string) => number;
  wipLimit: (team: string) => number | null;
  /** Keep the last N sprints per team. */
  sprints?: number;
}

export type Efforts = Record<BalanceCategory, number>;

export interface SprintCapacity {
  /** The tracker's sprint name, or the cadence sprint's start date (YYYY-MM-DD). */
  sprint: string;
  /** First and last completion in it (tracker sprints) or the cadence bounds; epoch ms. */
  start: number;
  end: number;
  items: number;
  effort: Efforts;
  total: number;
  shares: Efforts | null;
  debtShare: number | null;
  target: number;
  below: boolean;
  /** Consecutive sprints below target ending with this one. */
  streak: number;
  /** Items that added no effort under the measure (no points, never started). */
  unmeasured: number;
}

export interface TeamCapacity {
  team: string;
  target: number;
  sprints: SprintCapacity[];
  /** The streak at the team's latest sprint. */
  streak: number;
  wip: { count: number; limit: number | null; over: boolean };
}

export interface CapacityItem extends Pick<WorkItem, 'id' | 'team' | 'type' | 'state' | 'started' | 'completed' | 'points' | 'sprint'> {}

export function sprintOf(
  item: Pick<WorkItem, 'sprint' | 'completed'>,
  cadence: Cadence,
): { key: string; start: number; end: number } | null {
  if (item.sprint !== null) return { key: item.sprint, start: item.completed ?? 0, end: item.completed ?? 0 };
  if (item.completed === null) return null;
  const { key, start, end } = cadenceSprint(Math.floor((item.completed - cadence.start) / (cadence.days * DAY_MS)), cadence);
  return { key, start, end };
}

/** A sprint's key is its first day; items of one sprint share the string instead of formatting it again. */
const sprintKeys = new Map<number, string>();
function sprintKey(start: number): string {
  let key = sprintKeys.get(start);
  if (key === undefined) {
    if (sprintKeys.size > 100_000) sprintKeys.clear();
    sprintKeys.set(start, (key = new Date(start).toISOString().slice(0, 10)));
  }
  return key;
}

export function effortOf(item: CapacityItem, measure: EffortMeasure): number | null {
  if (measure === 'count') return 1;
  if (measure === 'points') return item.points;
  if (item.started === null || item.completed === null) return null;
  return Math.max(0, item.completed - item.started) / DAY_MS;
}

const zero = (): Efforts => ({ new: 0, improve: 0, ktlo: 0, debt: 0 });

/** Effort completed in one team's sprint, per category, as it is summed up. */
export interface SprintTally {
  key: string;
  start: number;
  end: number;
  /** A tracker's sprint (bounds from its completions) rather than a cadence sprint. */
  tracker: boolean;
  items: number;
  effort: Efforts;
  unmeasured: number;
}

export interface TeamTally {
  sprints: Map<string, SprintTally>;
  wip: number;
}

export type Tallies = Map<string, TeamTally>;

export function teamTally(tallies: Tallies, team: string): TeamTally {
  let t = tallies.get(team);
  if (!t) tallies.set(team, (t = { sprints: new Map(), wip: 0 }));
  return t;
}

/**
 * Adds completed work to a team's sprint: `items` items of one category that
 * added `effort` and of which `unmeasured` had no effort under the measure. A
 * tracker sprint's bounds widen to its first and last completion.
 */
export function addToSprint(
  team: TeamTally,
  sprint: { key: string; start: number; end: number; tracker: boolean },
  category: BalanceCategory,
  items: number,
  effort: number,
  unmeasured: number,
): void {
  let acc = team.sprints.get(sprint.key);
  if (!acc) {
    acc = { ...sprint, items: 0, effort: zero(), unmeasured: 0 };
    team.sprints.set(sprint.key, acc);
  } else if (acc.tracker) {
    acc.start = Math.min(acc.start, sprint.start);
    acc.end = Math.max(acc.end, sprint.end);
  }
  acc.items += items;
  acc.unmeasured += unmeasured;
  acc.effort[category] += effort;
}

/** Cadence sprint `index` (0 = the one starting at the cadence's start). */
export function cadenceSprint(index: number, cadence: Cadence): { key: string; start: number; end: number; tracker: false } {
  const length = cadence.days * DAY_MS;
  const start = cadence.start + index * length;
  return { key: sprintKey(start), start, end: start + length, tracker: false };
}

/** Capacity of items held in memory (the store aggregates the same way in SQL: `capacityTallies`). */
export function capacity(
  items: readonly CapacityItem[],
  categories: ReadonlyMap<string, Categorised>,
  options: CapacityOptions,
): TeamCapacity[] {
  const tallies: Tallies = new Map();
  for (const item of items) {
    const team = teamTally(tallies, item.team);
    // Epics are containers of work, not work in progress.
    if (item.state === 'in-progress' && item.type !== 'epic') team.wip++;
    if (item.state !== 'done' || item.completed === null) continue;
    const sprint = sprintOf(item, options.cadence);
    if (sprint === null) continue;
    const effort = effortOf(item, options.effort);
    const category = categories.get(item.id)?.category ?? 'improve';
    addToSprint(team, { ...sprint, tracker: item.sprint !== null }, category, 1, effort ?? 0, effort === null ? 1 : 0);
  }
  return summarise(tallies, options);
}

/** Per team: its sprints in order with shares, the debt share against target and the streak; WIP against its limit. */
export function summarise(tallies: Tallies, options: Omit<CapacityOptions, 'effort' | 'cadence'>): TeamCapacity[] {
  const result: TeamCapacity[] = [];
  for (const [team, { sprints, wip }] of tallies) {
    const target = options.target(team);
    const ordered = [...sprints.values()].sort((a, b) => a.start - b.start || a.key.localeCompare(b.key));
    let streak = 0;
    const rows: SprintCapacity[] = ordered.map((acc) => {
      const total = BALANCE_CATEGORIES.reduce((sum, c) => sum + acc.effort[c], 0);
      const shares = total > 0 ? mapEfforts(acc.effort, (v) => v / total) : null;
      const debtShare = shares ? shares.debt : null;
      const below = debtShare !== null && debtShare < target;
      if (debtShare !== null) streak = below ? streak + 1 : 0;
      return {
        sprint: acc.key,
        start: acc.start,
        end: acc.end,
        items: acc.items,
        effort: acc.effort,
        total,
        shares,
        debtShare,
        target,
        below,
        streak,
        unmeasured: acc.unmeasured,
      };
    });
    const kept = options.sprints === undefined ? rows : rows.slice(Math.max(0, rows.length - options.sprints));
    const limit = options.wipLimit(team);
    result.push({ team, target, sprints: kept, streak, wip: { count: wip, limit, over: limit !== null && wip > limit } });
  }
  return result.sort((a, b) => a.team.localeCompare(b.team));
}

function mapEfforts(effort: Efforts, f: (v: number) => number): Efforts {
  return { new: f(effort.new), improve: f(effort.improve), ktlo: f(effort.ktlo), debt: f(effort.debt) };
}

/**
 * Weekly series for the outcomes metric store: per team and ISO week (Monday
 * UTC), the debt share of the effort completed that week and the items in
 * progress at the week's end. Pure; the lead wires it to the store.
 */
export interface WeeklyPoint {
  team: string;
  week: string;
  debtShare: number | null;
  wip: number;
}

export function weeklySeries(
  items: readonly CapacityItem[],
  categories: ReadonlyMap<string, Categorised>,
  effort: EffortMeasure,
  window: { from: number; to: number },
): WeeklyPoint[] {
  const week = 7 * DAY_MS;
  const monday = Date.UTC(1970, 0, 5);
  const weekStart = (t: number) => monday + Math.floor((t - monday) / week) * week;
  const first = weekStart(window.from);
  const points = new Map<string, { team: string; start: number; debt: number; total: number; wip: number }>();
  const at = (team: string, start: number) => {
    const key = `${team}\u0000${start}`;
    let p = points.get(key);
    if (!p) points.set(key, (p = { team, start, debt: 0, total: 0, wip: 0 }));
    return p;
  };
  const teams = new Set(items.map((i) => i.team));
  for (const team of teams) for (let s = first; s < window.to; s += week) at(team, s);
  for (const item of items) {
    if (item.state === 'done' && item.completed !== null && item.completed >= first && item.completed < window.to) {
      const value = effortOf(item, effort) ?? 0;
      const p = at(item.team, weekStart(item.completed));
      p.total += value;
      if (categories.get(item.id)?.category === 'debt') p.debt += value;
    }
    // In progress at a week's end: started before it, not completed by it.
    if (item.started === null || item.state === 'todo') continue;
    const end = item.completed ?? Infinity;
    for (let s = Math.max(first, weekStart(item.started)); s < window.to; s += week) {
      const weekEnd = s + week;
      if (item.started < weekEnd && end >= weekEnd && !(item.state === 'cancelled' && item.completed === null)) at(item.team, s).wip++;
      if (end < weekEnd) break;
    }
  }
  return [...points.values()]
    .sort((a, b) => a.team.localeCompare(b.team) || a.start - b.start)
    .map((p) => ({
      team: p.team,
      week: new Date(p.start).toISOString().slice(0, 10),
      debtShare: p.total > 0 ? p.debt / p.total : null,
      wip: p.wip,
    }));
}
