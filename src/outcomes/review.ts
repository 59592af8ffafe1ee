import type { ModulePeers, ReviewSectionContent } from '../kit/module.js';
import type { Database, Store } from '../store/database.js';
import type { Kysely } from 'kysely';
import { addMonths, dateOf, dayOf, yearStart } from './dates.js';
import { leadLag, MAX_LAG_WEEKS, MAX_WEEKS, type LeadLag } from './lead-lag.js';
import { isRate, type Deck, type MetricDefinition, type Tree } from './model.js';
import { lastCompleteMonth, sixTwelve, XMR_MONTHS, type SixTwelve } from './six-twelve.js';
import {
  getDeck,
  getTree,
  isPublished,
  listAnnotations,
  listMetrics,
  listNotes,
  periodValues,
  type Annotation,
  type ReviewNote,
} from './store.js';

type Db = Kysely<Database>;

export interface ReviewMetric {
  metric: MetricDefinition;
  chart: SixTwelve;
  /** Annotations on the chart's span (twelve months back through the week). */
  annotations: Annotation[];
  note: { text: string; author: string } | null;
}

export interface Review {
  weekEnding: string;
  /** The week's first day. */
  weekStart: string;
  published: boolean;
  sections: Array<{ title: string; metrics: ReviewMetric[] }>;
  /** Sections other modules add (incidents, debt, ...). */
  moduleSections: Array<ReviewSectionContent & { module: string }>;
  /** Metrics in the deck whose owner wrote no note this week. */
  missingNotes: Array<{ metric: string; owner: string | null }>;
}

/** The first day any computation of the week may read: three years of days, or the locked baseline start. */
function readFrom(weekEnding: number, metrics: readonly MetricDefinition[]): number {
  let from = Math.min(
    addMonths(lastCompleteMonth(weekEnding), -(XMR_MONTHS + 12)),
    yearStart(weekEnding) - 366,
    weekEnding - 7 * (MAX_WEEKS + MAX_LAG_WEEKS + 2),
  );
  for (const m of metrics) if (m.baseline.from) from = Math.min(from, dayOf(m.baseline.from));
  return from;
}

/** The 6-12 chart of each metric for the week ending `weekEnding`. */
export async function metricCharts(db: Db, metrics: readonly MetricDefinition[], weekEnding: number): Promise<Map<string, SixTwelve>> {
  const values = await periodValues(db, metrics, readFrom(weekEnding, metrics), weekEnding);
  return new Map(
    metrics.map((m) => [
      m.id,
      sixTwelve(values.get(m.id) ?? (() => null), weekEnding, {
        unit: isRate(m) ? 'ratio' : 'count',
        targets: m.target,
        baselinePoints: m.baseline.points,
        baselineFrom: m.baseline.from ? dayOf(m.baseline.from) : null,
      }),
    ]),
  );
}

/**
 * The deck to show: the stored one, or by default the tree's inputs then its
 * North Stars, then every other metric except the breakdowns modules publish
 * (a module's series whose id extends another of its series' ids by `.<scope>`,
 * such as `delivery.deployments.payments` beside `delivery.deployments`): one
 * chart per service and team would bury the review. A stored deck may name them.
 */
export function effectiveDeck(deck: Deck, tree: Tree, metrics: readonly MetricDefinition[]): Deck {
  if (deck.sections.length > 0) return deck;
  const inputs = tree.edges.map((e) => e.child).reverse();
  const northStars = tree.northStars.map((n) => n.metric);
  const inTree = new Set([...inputs, ...northStars]);
  const isBreakdown = breakdowns(metrics);
  const others = metrics.filter((m) => !inTree.has(m.id) && !isBreakdown(m)).map((m) => m.id);
  return {
    sections: [
      ...(inputs.length > 0 ? [{ title: 'Inputs', metrics: [...new Set(inputs)] }] : []),
      ...(northStars.length > 0 ? [{ title: 'North Star', metrics: northStars }] : []),
      ...(others.length > 0 ? [{ title: 'Other metrics', metrics: others }] : []),
    ],
  };
}

const userSources = new Set(['config', 'api']);

/** Says which metrics are module-published series breaking down another series of the same module by a scope suffix. */
export function breakdowns(
  metrics: readonly Pick<MetricDefinition, 'id' | 'source'>[],
): (metric: Pick<MetricDefinition, 'id' | 'source'>) => boolean {
  const published = new Set(metrics.filter((m) => !userSources.has(m.source)).map((m) => `${m.source}\u0000${m.id}`));
  return (metric) => {
    if (userSources.has(metric.source)) return false;
    for (let dot = metric.id.lastIndexOf('.'); dot > 0; dot = metric.id.lastIndexOf('.', dot - 1)) {
      if (published.has(`${metric.source}\u0000${metric.id.slice(0, dot)}`)) return true;
    }
    return false;
  };
}

/** The weekly business review of one week: every deck metric's chart, box, signals, annotations and note. */
export async function weeklyReview(store: Store, weekEnding: number, peers: ModulePeers, timeZone = 'UTC'): Promise<Review> {
  const { db } = store;
  const metrics = await listMetrics(db);
  const byId = new Map(metrics.map((m) => [m.id, m]));
  const deck = effectiveDeck(await getDeck(db), await getTree(db), metrics);
  const used = [...new Set(deck.sections.flatMap((s) => s.metrics))]
    .map((id) => byId.get(id))
    .filter((m): m is MetricDefinition => m !== undefined);
  const charts = await metricCharts(db, used, weekEnding);
  const annotations = await listAnnotations(
    db,
    used.map((m) => m.id),
    addMonths(lastCompleteMonth(weekEnding), -11),
    weekEnding,
  );
  const notes = new Map((await listNotes(db, weekEnding)).map((n: ReviewNote) => [n.metric, n]));
  const sections = deck.sections.map((s) => ({
    title: s.title,
    metrics: s.metrics.flatMap((id) => {
      const metric = byId.get(id);
      const chart = charts.get(id);
      if (!metric || !chart) return [];
      const note = notes.get(id);
      return [
        {
          metric,
          chart,
          annotations: annotations.filter((a) => a.metric === id),
          note: note ? { text: note.text, author: note.author } : null,
        },
      ];
    }),
  }));
  const range = { from: dateOf(weekEnding - 6), to: dateOf(weekEnding), timeZone };
  const moduleSections: Review['moduleSections'] = [];
  for (const peer of peers.reviewSections) {
    const section = await peer.section(store, range);
    if (section) moduleSections.push({ module: peer.module, ...section });
  }
  return {
    weekEnding: dateOf(weekEnding),
    weekStart: dateOf(weekEnding - 6),
    published: await isPublished(db, dateOf(weekEnding)),
    sections,
    moduleSections,
    missingNotes: used.filter((m) => !notes.has(m.id)).map((m) => ({ metric: m.id, owner: m.owner })),
  };
}

// ---------------------------------------------------------------- the North Star tree

export interface TreeNodeView {
  metric: string;
  name: string;
  unit: MetricDefinition['unit'];
  direction: MetricDefinition['direction'];
  lastWeek: number | null;
  weekOverWeek: number | null;
  /** Signals of the weekly series in the last six weeks, newest first. */
  signals: Array<{ period: string; rule: 1 | 2 | 3; direction: 'high' | 'low' }>;
  /** The edge to the parent (null for a North Star). */
  edge: { hypothesis: string; check: LeadLag } | null;
  children: TreeNodeView[];
}

export interface TreeView {
  weekEnding: string;
  northStars: Array<{ area: string; root: TreeNodeView; counterMetrics: TreeNodeView[] }>;
}

/** The tree with each node's week, its signals and each edge's lead/lag check. */
export async function treeView(db: Db, weekEnding: number): Promise<TreeView> {
  const metrics = await listMetrics(db);
  const byId = new Map(metrics.map((m) => [m.id, m]));
  const tree = await getTree(db);
  const ids = new Set([
    ...tree.northStars.flatMap((n) => [n.metric, ...n.counterMetrics]),
    ...tree.edges.flatMap((e) => [e.parent, e.child]),
  ]);
  const used = [...ids].map((id) => byId.get(id)).filter((m): m is MetricDefinition => m !== undefined);
  const charts = await metricCharts(db, used, weekEnding);
  const weeksBack = MAX_WEEKS + MAX_LAG_WEEKS + 1;
  const values = await periodValues(db, used, weekEnding - 7 * weeksBack, weekEnding);
  const weekly = (id: string) => {
    const value = values.get(id);
    return Array.from(
      { length: weeksBack },
      (_, k) => value?.(weekEnding - 7 * (weeksBack - 1 - k) - 6, weekEnding - 7 * (weeksBack - 1 - k)) ?? null,
    );
  };
  const sixWeeksFrom = dateOf(weekEnding - 41);
  const node = (id: string, edge: TreeNodeView['edge']): TreeNodeView => {
    const m = byId.get(id);
    const chart = charts.get(id);
    return {
      metric: id,
      name: m?.name ?? id,
      unit: m?.unit ?? 'count',
      direction: m?.direction ?? 'up',
      lastWeek: chart?.box.lastWeek ?? null,
      weekOverWeek: chart?.box.weekOverWeek ?? null,
      signals: (chart?.weekly.signals ?? []).filter((s) => s.period >= sixWeeksFrom).reverse(),
      edge,
      children: tree.edges
        .filter((e) => e.parent === id)
        .map((e) => node(e.child, { hypothesis: e.hypothesis, check: leadLag(weekly(e.child), weekly(e.parent)) })),
    };
  };
  return {
    weekEnding: dateOf(weekEnding),
    northStars: tree.northStars.map((n) => ({
      area: n.area,
      root: node(n.metric, null),
      counterMetrics: n.counterMetrics.map((c) => node(c, null)),
    })),
  };
}

export interface EdgeCheck {
  parent: string;
  child: string;
  hypothesis: string;
  check: LeadLag;
}

/** "Do the inputs still drive the North Star": every edge with its verdict. */
export function edgeChecks(view: TreeView): EdgeCheck[] {
  const out: EdgeCheck[] = [];
  const walk = (n: TreeNodeView) => {
    for (const c of n.children) {
      if (c.edge) out.push({ parent: n.metric, child: c.metric, hypothesis: c.edge.hypothesis, check: c.edge.check });
      walk(c);
    }
  };
  for (const ns of view.northStars) walk(ns.root);
  return out;
}
