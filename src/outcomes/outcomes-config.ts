import { z } from 'zod';
import type { AppliedSection, PathIssue } from '../kit/config.js';
import type { Store } from '../store/database.js';
import { configMetricInput, metricId, type MetricDefinition, type Tree } from './model.js';
import type { metricDefinitionInput } from './model.js';
import { checkDeck, checkTree, defineMetrics, listMetrics, putDeck, putTree } from './store.js';
import { DEFAULT_BASELINE_POINTS } from './xmr.js';

/**
 * The `outcomes:` section of sextant.yaml:
 *
 *   outcomes:
 *     metrics:
 *       - id: weekly-active-teams
 *         name: Weekly active teams sharing a report
 *         aggregation: last
 *     northStar:
 *       metric: weekly-active-teams
 *       counterMetrics: [support-tickets]
 *       inputs:
 *         - metric: activated-teams
 *           hypothesis: more activated teams -> more teams sharing
 *           inputs: []
 *     review:
 *       sections: [{ title: Inputs, metrics: [activated-teams] }]
 *     sources:
 *       - sqlite: data/product.db
 *         query: select day as date, 'signups' as metric, count(*) as value from signups group by day
 */
interface TreeNodeConfig {
  metric: string;
  hypothesis: string;
  inputs: TreeNodeConfig[];
}
const treeNode: z.ZodType<TreeNodeConfig> = z.lazy(() =>
  z.strictObject({
    metric: metricId,
    hypothesis: z.string().max(500).default(''),
    inputs: z.array(treeNode).default([]),
  }),
) as z.ZodType<TreeNodeConfig>;

const northStarConfig = z.strictObject({
  metric: metricId,
  area: z.string().min(1).max(100).default('workspace'),
  counterMetrics: z.array(metricId).default([]),
  inputs: z.array(treeNode).default([]),
});

export const sqlSourceConfig = z
  .strictObject({
    sqlite: z.string().min(1).optional().describe('A SQLite file (relative to the workspace), opened read-only'),
    postgres: z.string().min(1).optional().describe('A PostgreSQL URL; the query runs in a READ ONLY transaction'),
    metric: metricId.optional().describe('When the query returns only date and value'),
    query: z.string().min(1).describe('Returns date (YYYY-MM-DD), value, and metric unless `metric` is set'),
  })
  .refine((s) => (s.sqlite === undefined) !== (s.postgres === undefined), {
    message: 'name exactly one of sqlite or postgres',
    path: ['sqlite'],
  });
export type SqlSourceConfig = z.infer<typeof sqlSourceConfig>;

export const outcomesConfig = z
  .strictObject({
    metrics: z.array(configMetricInput).default([]),
    northStar: northStarConfig.optional(),
    northStars: z.array(northStarConfig).optional(),
    review: z.strictObject({ sections: z.array(z.strictObject({ title: z.string().min(1), metrics: z.array(metricId) })) }).optional(),
    sources: z.array(sqlSourceConfig).default([]),
  })
  .default({ metrics: [], sources: [] });

export type OutcomesConfig = z.infer<typeof outcomesConfig>;
export type OutcomesSection = { outcomes: OutcomesConfig };

export function configMetric(metric: z.infer<typeof configMetricInput>): MetricDefinition {
  const { id, ...rest } = metric;
  return toDefinition(id, rest, 'config');
}

export function toDefinition(id: string, input: z.infer<typeof metricDefinitionInput>, source: string): MetricDefinition {
  return {
    id,
    name: input.name,
    unit: input.unit,
    direction: input.direction,
    owner: input.owner ?? null,
    aggregation: input.aggregation,
    numerator: input.numerator ?? null,
    denominator: input.denominator ?? null,
    description: input.description,
    target: { week: input.target?.week ?? null, month: input.target?.month ?? null },
    baseline: { points: input.baseline?.points ?? DEFAULT_BASELINE_POINTS, from: input.baseline?.from ?? null },
    source,
  };
}

/** The nested tree of the file as north stars and edges; `paths` maps each edge to its place in the file. */
export function configTree(config: OutcomesConfig): { tree: Tree; edgePaths: Array<Array<string | number>> } | null {
  const roots = config.northStars ?? (config.northStar ? [config.northStar] : null);
  if (!roots) return null;
  const rootKey = config.northStars ? 'northStars' : 'northStar';
  const edges: Tree['edges'] = [];
  const edgePaths: Array<Array<string | number>> = [];
  const walk = (parent: string, inputs: TreeNodeConfig[], path: Array<string | number>) => {
    inputs.forEach((node, i) => {
      edges.push({ parent, child: node.metric, hypothesis: node.hypothesis });
      edgePaths.push([...path, 'inputs', i]);
      walk(node.metric, node.inputs, [...path, 'inputs', i]);
    });
  };
  roots.forEach((root, i) => walk(root.metric, root.inputs, ['outcomes', rootKey, ...(config.northStars ? [i] : [])]));
  return {
    tree: { northStars: roots.map((r) => ({ metric: r.metric, area: r.area, counterMetrics: r.counterMetrics })), edges },
    edgePaths,
  };
}

/** Metrics of other modules (`delivery.deployments`) are published at sync time, so ids with a module prefix are accepted here. */
const isModuleSeries = (id: string) => /^(delivery|reliability|codebase|incidents|debt|okrs|ml)\./.test(id);

/** The metric ids other sections of the file may name: the file's metrics and other modules' published series. */
export function knownMetrics(section: OutcomesSection): { has(id: string): boolean } {
  const ids = new Set(section.outcomes.metrics.map((m) => m.id));
  return { has: (id) => ids.has(id) || isModuleSeries(id) };
}

/** Checks a schema cannot make: each metric's own fields, references between metrics, tree cycles. */
export function checkOutcomes(section: OutcomesSection): PathIssue[] {
  const config = section.outcomes;
  const issues: PathIssue[] = [];
  const ids = new Set<string>();
  config.metrics.forEach(({ id }, i) => {
    if (ids.has(id)) issues.push({ path: ['outcomes', 'metrics', i, 'id'], message: `"${id}" is defined twice` });
    ids.add(id);
  });
  const known = new Set([...ids]);
  const knows = (id: string) => known.has(id) || isModuleSeries(id);
  config.metrics.forEach((metric, i) => {
    for (const part of ['numerator', 'denominator'] as const) {
      const ref = metric[part];
      if (ref !== undefined && !knows(ref)) issues.push({ path: ['outcomes', 'metrics', i, part], message: `unknown metric "${ref}"` });
    }
  });
  const tree = configTree(config);
  if (tree) {
    const all = new Set(
      [
        ...known,
        ...tree.tree.edges.flatMap((e) => [e.parent, e.child]),
        ...tree.tree.northStars.flatMap((n) => [n.metric, ...n.counterMetrics]),
      ].filter(knows),
    );
    for (const issue of checkTree(tree.tree, all))
      issues.push({ path: locateTreeField(issue.field, config, tree.edgePaths), message: issue.message });
  }
  if (config.review) {
    const all = new Set([...config.review.sections.flatMap((s) => s.metrics)].filter(knows));
    for (const issue of checkDeck(config.review, all))
      issues.push({ path: ['outcomes', 'review', ...splitPath(issue.field)], message: issue.message });
  }
  return issues;
}

function splitPath(field: string): Array<string | number> {
  return field
    .split(/[.[\]]+/)
    .filter((p) => p !== '')
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

function locateTreeField(field: string, config: OutcomesConfig, edgePaths: Array<Array<string | number>>): Array<string | number> {
  const edge = /^edges\[(\d+)\](?:\.(parent|child))?$/.exec(field);
  if (edge) {
    const path = edgePaths[Number(edge[1])] ?? ['outcomes'];
    return edge[2] === 'parent' ? path.slice(0, -2) : [...path, 'metric'];
  }
  const root = config.northStars ? ['outcomes', 'northStars'] : ['outcomes', 'northStar'];
  const ns = /^northStars\[(\d+)\]\.(.*)$/.exec(field);
  if (ns) return [...root, ...(config.northStars ? [Number(ns[1])] : []), ...splitPath(ns[2] as string)];
  return ['outcomes'];
}

/** Stores the configured definitions, and the tree and deck when the file has them. */
export async function applyOutcomes(store: Store, section: OutcomesSection): Promise<AppliedSection> {
  const config = section.outcomes;
  const metrics = config.metrics.map(configMetric);
  if (metrics.length > 0) await defineMetrics(store.db, metrics, 'outcomes.metrics');
  const tree = configTree(config);
  const stored = new Set((await listMetrics(store.db)).map((m) => m.id));
  // Module series referenced before their first sync are skipped, not errors.
  if (tree) {
    const keep = tree.tree.edges.filter((e) => stored.has(e.parent) && stored.has(e.child));
    await putTree(store.db, { northStars: tree.tree.northStars.filter((n) => stored.has(n.metric)), edges: keep }, 'outcomes');
  }
  if (config.review) {
    await putDeck(
      store.db,
      { sections: config.review.sections.map((s) => ({ title: s.title, metrics: s.metrics.filter((m) => stored.has(m)) })) },
      'outcomes.review',
    );
  }
  return {
    summary: `${metrics.length} metrics${tree ? `, a tree of ${tree.tree.edges.length} edges` : ''}${config.review ? `, ${config.review.sections.length} review sections` : ''}`,
  };
}

export function outcomesTemplate(): string {
  return `# Outcomes: metrics, the North Star tree and the weekly business review.
# Points arrive through the API, \`sextant metric push|import\`, or SQL sources below
# (run read-only by \`sextant sync\`). See docs/metrics/outcomes.md.
outcomes:
  metrics: []
  #  - id: weekly-active-teams
  #    name: Weekly active teams
  #    unit: count            # count, ratio, percent, currency, duration
  #    direction: up
  #    aggregation: last      # sum, mean, last, min, max
  #    owner: growth
  #    target: { week: 120 }
  # northStar:
  #   metric: weekly-active-teams
  #   inputs:
  #     - metric: activated-teams
  #       hypothesis: more activated teams -> more weekly active teams
  sources: []
  #  - sqlite: data/product.db
  #    query: select day as date, 'signups' as metric, count(*) as value from signups group by day
`;
}
