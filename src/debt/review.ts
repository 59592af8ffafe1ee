import type { Kysely } from 'kysely';
import type { PublishedSeries, ReviewRow, ReviewSectionContent, SeriesRange } from '../kit/module.js';
import { capRows, dayIndex, rangeDays, reviewAt } from '../kit/review.js';
import type { Database } from '../store/database.js';
import { capacity, effortOf } from './capacity.js';
import { categorise } from './categorise.js';
import type { BalanceCategory, DebtItem, WorkItem } from './model.js';
import { cadenceOf, scoredRegister } from './service.js';
import { loadDebtItems, loadDebtSettings, loadWorkItems } from './store.js';

type Db = Kysely<Database>;

/** How many register items the weekly review names (highest score first). */
export const REVIEW_TOP_ITEMS = 5;
/** The capacity shares published as series cover the effort completed in the trailing days ending with each day. */
export const SHARE_WINDOW_DAYS = 7;

const percent = (share: number) => `${Math.round(share * 100)}%`;
const isOpen = (item: Pick<DebtItem, 'status'>) => item.status !== 'paid' && item.status !== 'wont-fix';

/** In progress at `at`: started before it and not finished by it (epics are containers, cancelled-unfinished items never count). */
function inProgressAt(item: WorkItem, at: number): boolean {
  if (item.type === 'epic' || item.started === null || item.started >= at || item.state === 'todo') return false;
  if (item.completed !== null) return item.completed >= at;
  return item.state === 'in-progress';
}

/**
 * The technical-debt section of the weekly review, as of the end of the week:
 * per team, the debt share of its last sprint (the latest sprint with work
 * completed before the week's end) against its target, with the streak of
 * sprints below it; teams whose work in progress at the week's end exceeds
 * their WIP limit; the register's size; and its top five open items by score.
 * Null when there are neither work items nor register items.
 */
export async function debtReviewSection(db: Db, range: SeriesRange): Promise<ReviewSectionContent | null> {
  const at = reviewAt(range);
  const [config, allItems, register] = await Promise.all([loadDebtSettings(db), loadWorkItems(db), loadDebtItems(db)]);
  if (allItems.length === 0 && register.length === 0) return null;
  const items = allItems.filter((i) => i.created < at);
  const done = items.filter((i) => i.completed === null || i.completed < at);
  const teams = capacity(done, categorise(allItems, config.rules), {
    effort: config.effort,
    cadence: cadenceOf(config),
    target: (team) => config.targets[team] ?? config.target,
    wipLimit: (team) => config.wipLimits[team] ?? null,
  });
  const rows: ReviewRow[] = [];
  for (const team of teams) {
    const last = team.sprints.filter((s) => s.debtShare !== null).at(-1);
    if (!last || last.debtShare === null) continue;
    rows.push({
      label: `Debt share, ${team.team}, sprint ${last.sprint}`,
      value: `${percent(last.debtShare)} of ${last.items} items (target ${percent(last.target)})${
        last.below ? `, below target ${last.streak} sprint${last.streak === 1 ? '' : 's'} running` : ''
      }`,
      href: '/debt#capacity',
    });
  }
  for (const team of [...new Set(items.map((i) => i.team))].sort()) {
    const limit = config.wipLimits[team];
    if (limit === undefined) continue;
    const wip = items.filter((i) => i.team === team && inProgressAt(i, at)).length;
    if (wip > limit) rows.push({ label: `WIP over limit, ${team}`, value: `${wip} in progress, limit ${limit}`, href: '/debt#capacity' });
  }
  const existing = register.filter((i) => i.created < at);
  const open = existing.filter(isOpen);
  const count = (status: DebtItem['status']) => open.filter((i) => i.status === status).length;
  rows.push({
    label: 'Debt register',
    value: `${open.length} open (${count('candidate')} candidate, ${count('accepted')} accepted, ${count('in-progress')} in progress)`,
    href: '/debt#register',
  });
  const scored = (await scoredRegister(db, at)).filter((s) => s.item.created < at);
  rows.push(
    ...capRows(
      scored.slice(0, REVIEW_TOP_ITEMS).map((s) => ({
        label: `Debt #${s.rank}: ${s.item.title}`,
        value: `score ${s.terms.score.toFixed(2)}, ${s.item.category}, ${s.item.status}${s.item.team ? `, team ${s.item.team}` : ''}`,
        href: '/debt#register',
      })),
      { label: 'Register items not listed', href: '/debt#register' },
    ),
  );
  return { title: 'Technical debt', rows };
}

/**
 * Debt's daily series for the outcomes store (docs/metrics/debt.md): the debt
 * and KTLO shares of the effort completed in the seven days ending each day
 * (workspace-wide and per team; a day with no effort in its window has no
 * value; weekly and monthly values are the last day's), work in progress at
 * each day's end, and the register's open items at each day's end.
 */
export async function debtSeries(db: Db, range: SeriesRange): Promise<PublishedSeries[]> {
  const days = rangeDays(range);
  if (days.length === 0) return [];
  const [config, items, register] = await Promise.all([loadDebtSettings(db), loadWorkItems(db), loadDebtItems(db)]);
  if (items.length === 0 && register.length === 0) return [];
  const categories = categorise(items, config.rules);
  const n = days.length;
  // Effort completed per day (index -SHARE_WINDOW_DAYS+1 .. n-1, shifted), by team and category.
  const pad = SHARE_WINDOW_DAYS - 1;
  const windowStart = days[0]!.start - pad * 86_400_000;
  type Daily = Record<'total' | BalanceCategory, Float64Array>;
  const newDaily = (): Daily => ({
    total: new Float64Array(n + pad),
    new: new Float64Array(n + pad),
    improve: new Float64Array(n + pad),
    ktlo: new Float64Array(n + pad),
    debt: new Float64Array(n + pad),
  });
  const all = newDaily();
  const byTeam = new Map<string, Daily>();
  const wipDelta = new Int32Array(n + 1);
  for (const item of items) {
    if (item.state === 'done' && item.completed !== null && item.completed >= windowStart && item.completed < days[n - 1]!.end) {
      const index =
        item.completed < days[0]!.start
          ? Math.min(pad - 1, Math.max(0, Math.floor((item.completed - windowStart) / 86_400_000)))
          : dayIndex(days, item.completed) + pad;
      const effort = effortOf(item, config.effort) ?? 0;
      const category = categories.get(item.id)?.category ?? 'improve';
      const team = byTeam.get(item.team) ?? newDaily();
      byTeam.set(item.team, team);
      for (const d of [all, team]) {
        d.total[index]! += effort;
        d[category][index]! += effort;
      }
    }
    // In progress at the end of day i: started before days[i].end and not finished by it.
    if (item.type === 'epic' || item.started === null || item.state === 'todo') continue;
    const until = item.completed ?? (item.state === 'in-progress' ? Infinity : null);
    if (until === null) continue;
    const first = item.started < days[0]!.end ? 0 : dayIndex(days, item.started);
    const stop = until === Infinity ? n : until < days[0]!.end ? 0 : Math.min(n, dayIndex(days, until));
    if (first < stop) {
      wipDelta[first]!++;
      wipDelta[stop]!--;
    }
  }
  const share = (d: Daily, category: BalanceCategory) => {
    const points: Array<{ date: string; value: number }> = [];
    let total = 0;
    let part = 0;
    for (let i = 0; i < n + pad; i++) {
      total += d.total[i]!;
      part += d[category][i]!;
      if (i >= SHARE_WINDOW_DAYS) {
        total -= d.total[i - SHARE_WINDOW_DAYS]!;
        part -= d[category][i - SHARE_WINDOW_DAYS]!;
      }
      if (i >= pad && total > 1e-12) points.push({ date: days[i - pad]!.date, value: part / total });
    }
    return points;
  };
  const wip: Array<{ date: string; value: number }> = [];
  for (let i = 0, running = 0; i < n; i++) {
    running += wipDelta[i]!;
    wip.push({ date: days[i]!.date, value: running });
  }
  const registerSize = days.map((day) => ({
    date: day.date,
    // An item counts from its creation; a paid or won't-fix item until its last update (when its status changed).
    value: register.filter((r) => r.created < day.end && (isOpen(r) || r.updated >= day.end)).length,
  }));
  const ratio = (id: string, name: string, description: string, direction: 'up' | 'down', owner?: string) =>
    ({ id, name, unit: 'ratio', direction, aggregation: 'last', description, ...(owner ? { owner } : {}) }) as const;
  const series: PublishedSeries[] = [
    {
      metric: ratio(
        'debt.debt-share',
        'Debt share of capacity',
        'Share of the effort completed in the 7 days ending that day that is categorised debt (effort as debt.effort says).',
        'up',
      ),
      points: share(all, 'debt'),
    },
    {
      metric: ratio(
        'debt.ktlo-share',
        'KTLO share of capacity',
        'Share of the effort completed in the 7 days ending that day that is keeping the lights on.',
        'down',
      ),
      points: share(all, 'ktlo'),
    },
    {
      metric: {
        id: 'debt.wip',
        name: 'Work in progress',
        unit: 'count',
        direction: 'down',
        aggregation: 'last',
        description: 'Work items in progress at the end of the day (started, not completed; epics left out).',
      },
      points: wip,
    },
    {
      metric: {
        id: 'debt.register-size',
        name: 'Debt register: open items',
        unit: 'count',
        direction: 'down',
        aggregation: 'last',
        description:
          "Register items open at the end of the day (candidate, accepted, in progress); a paid or won't-fix item counts until its last update.",
      },
      points: registerSize,
    },
  ];
  for (const [team, daily] of [...byTeam].sort(([a], [b]) => (a < b ? -1 : 1)))
    series.push({
      metric: ratio(
        `debt.debt-share.${team}`,
        `Debt share: ${team}`,
        `Debt share of ${team}'s effort completed in the 7 days ending that day.`,
        'up',
        team,
      ),
      points: share(daily, 'debt'),
    });
  return series;
}
