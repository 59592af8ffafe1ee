import { GraphChart, TreemapChart } from 'echarts/charts';
import * as echarts from 'echarts/core';
import type { CodebaseAge, CodebaseCoupling, CodebaseHotspots, CodebaseKnowledgeRisk, CodebaseTruckFactor } from '../../api/types.js';
import type { ChartOption } from '../../components/chart.js';

// The shared chart component registers the common charts; these are the Codebase page's own.
echarts.use([GraphChart, TreemapChart]);

// The rows of each analysis, as the API declares them (api/types.ts, generated from the server's schemas).
export type HotspotRow = CodebaseHotspots[number];
export type CouplingRow = CodebaseCoupling[number];
export type AgeRow = CodebaseAge[number];
export type TruckFactorReport = CodebaseTruckFactor;
export type KnowledgeRiskReport = CodebaseKnowledgeRisk;

/** Green (flat) through amber to red (deeply indented), for a share in [0, 1]. */
export function complexityColour(share: number): string {
  const t = Math.max(0, Math.min(1, share));
  const [from, to, u] = t < 0.5 ? [[76, 175, 80], [255, 193, 7], t * 2] : [[255, 193, 7], [229, 57, 53], (t - 0.5) * 2];
  const channel = (i: number) => Math.round((from[i] as number) + ((to[i] as number) - (from[i] as number)) * (u as number));
  return `rgb(${channel(0)}, ${channel(1)}, ${channel(2)})`;
}

/**
 * The hotspots' monthly trends on one shared range, so rows can be compared
 * column by column: the last `maxMonths` calendar months up to the latest
 * month any of them changed, each file's count per month (0 when quiet or
 * before it existed). Bounded, so an old repository's sparklines stay narrow.
 */
export function alignedTrends(rows: readonly HotspotRow[], maxMonths = 24): { months: string[]; counts: Map<string, number[]> } {
  const index = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
  let last = -Infinity;
  let first = Infinity;
  for (const row of rows) {
    for (const point of row.trend ?? []) {
      last = Math.max(last, index(point.month));
      first = Math.min(first, index(point.month));
    }
  }
  if (last === -Infinity) return { months: [], counts: new Map() };
  const start = Math.max(first, last - maxMonths + 1);
  const months = Array.from({ length: last - start + 1 }, (_, i) => {
    const m = start + i;
    return `${String(Math.floor(m / 12)).padStart(4, '0')}-${String((m % 12) + 1).padStart(2, '0')}`;
  });
  const counts = new Map<string, number[]>();
  for (const row of rows) {
    const values = new Array<number>(months.length).fill(0);
    for (const point of row.trend ?? []) {
      const at = index(point.month) - start;
      if (at >= 0 && at < values.length) values[at] = point.revisions;
    }
    counts.set(row.entity, values);
  }
  return { months, counts };
}

/** Hotspots: change frequency (x) against size (y), coloured by mean indentation complexity. */
export function hotspotOption(rows: readonly HotspotRow[]): ChartOption {
  const maxComplexity = Math.max(1, ...rows.map((r) => r.complexityMean));
  return {
    grid: { left: 60, right: 30, top: 30, bottom: 50 },
    tooltip: {
      trigger: 'item',
      formatter: (p: { data: { value: [number, number]; name: string; complexity: number } }) =>
        `${p.data.name}<br/>${p.data.value[0]} revisions, ${p.data.value[1]} lines, complexity ${p.data.complexity} per line`,
    },
    xAxis: { type: 'value', name: 'revisions (change frequency)', nameLocation: 'middle', nameGap: 30, minInterval: 1 },
    yAxis: { type: 'value', name: 'lines of code', nameLocation: 'end' },
    series: [
      {
        type: 'scatter',
        symbolSize: (value: [number, number]) => Math.max(6, Math.min(40, Math.sqrt(value[1]) * 1.5)),
        data: rows.map((r) => ({
          name: r.entity,
          value: [r.nRevs, r.lines],
          complexity: r.complexityMean,
          itemStyle: { color: complexityColour(r.complexityMean / maxComplexity), opacity: 0.8 },
        })),
      },
    ],
  };
}

/** Change coupling as a graph: files are nodes, an edge's width is its degree of coupling. */
export function couplingOption(rows: readonly CouplingRow[]): ChartOption {
  const names = [...new Set(rows.flatMap((r) => [r.entity, r.coupled]))];
  return {
    tooltip: {
      formatter: (p: { dataType: string; data: { source?: string; target?: string; value?: number; name?: string } }) =>
        p.dataType === 'edge' ? `${p.data.source} ↔ ${p.data.target}: ${p.data.value}% coupled` : (p.data.name ?? ''),
    },
    series: [
      {
        type: 'graph',
        layout: 'force',
        roam: true,
        force: { repulsion: 160, edgeLength: [40, 140] },
        label: { show: names.length <= 30, position: 'right', formatter: (p: { name: string }) => p.name.split('/').pop() ?? p.name },
        data: names.map((name) => ({ name, symbolSize: 12 })),
        links: rows.map((r) => ({ source: r.entity, target: r.coupled, value: r.degree, lineStyle: { width: 1 + r.degree / 20 } })),
      },
    ],
  };
}

export type Knowledge = 'orphaned' | 'leaving' | 'single author' | 'shared' | 'no author';

export const KNOWLEDGE_COLOURS: Record<Knowledge, string> = {
  orphaned: '#e53935',
  leaving: '#fb8c00',
  'single author': '#fdd835',
  shared: '#43a047',
  'no author': '#9e9e9e',
};

interface TreeNode {
  name: string;
  path: string;
  /** Leaves only: ECharts sums a folder's children when it has no value of its own. */
  value?: number;
  authors?: string;
  knowledge?: Knowledge;
  itemStyle?: { color: string };
  children?: TreeNode[];
}

/**
 * Ownership and knowledge per folder: a treemap of folders and files, each
 * file sized by its lines and coloured by who knows it (truck-factor authors,
 * knowledge-risk causes).
 */
export function knowledgeMapOption(
  truck: TruckFactorReport,
  risk: KnowledgeRiskReport | null,
  lines: ReadonlyMap<string, number>,
): ChartOption {
  const causes = new Map((risk?.files ?? []).map((f) => [f.entity, f.cause]));
  const root: TreeNode = { name: '', path: '', children: [] };
  for (const file of truck.files) {
    const parts = file.path.split('/');
    let node = root;
    parts.slice(0, -1).forEach((part, i) => {
      const folderPath = parts.slice(0, i + 1).join('/');
      let child = node.children?.find((c) => c.path === folderPath && c.children);
      if (!child) {
        child = { name: part, path: folderPath, children: [], itemStyle: { color: '#cfd4dc' } };
        node.children?.push(child);
      }
      node = child;
    });
    const cause = causes.get(file.path);
    const knowledge: Knowledge =
      cause === 'inactive'
        ? 'orphaned'
        : cause === 'leaving'
          ? 'leaving'
          : file.authors.length === 0
            ? 'no author'
            : file.authors.length === 1
              ? 'single author'
              : 'shared';
    node.children?.push({
      name: parts[parts.length - 1] as string,
      path: file.path,
      value: Math.max(1, lines.get(file.path) ?? 1),
      authors: file.authors.join(', ') || 'none',
      knowledge,
      itemStyle: { color: KNOWLEDGE_COLOURS[knowledge] },
    });
  }
  return {
    tooltip: {
      formatter: (p: { data: TreeNode }) =>
        p.data.knowledge ? `${p.data.path}<br/>authors: ${p.data.authors}<br/>${p.data.knowledge}` : `${p.data.path || 'repository'}/`,
    },
    series: [
      {
        type: 'treemap',
        data: root.children,
        roam: false,
        nodeClick: 'zoomToNode',
        breadcrumb: { show: true },
        label: { show: true, formatter: '{b}' },
        upperLabel: { show: true, height: 18 },
        levels: [
          { itemStyle: { borderColor: '#fff', borderWidth: 3, gapWidth: 3 } },
          { itemStyle: { borderColor: '#fff', borderWidth: 2, gapWidth: 2 } },
          { itemStyle: { borderColor: '#fff', borderWidth: 1, gapWidth: 1 } },
        ],
      },
    ],
  };
}

export const AGE_BUCKETS: ReadonlyArray<{ label: string; min: number; max: number }> = [
  { label: '< 1 month', min: 0, max: 0 },
  { label: '1-2 months', min: 1, max: 2 },
  { label: '3-5 months', min: 3, max: 5 },
  { label: '6-11 months', min: 6, max: 11 },
  { label: '1-2 years', min: 12, max: 23 },
  { label: '2+ years', min: 24, max: Infinity },
];

export function ageBuckets(rows: readonly AgeRow[]): number[] {
  return AGE_BUCKETS.map((b) => rows.filter((r) => r.ageMonths >= b.min && r.ageMonths <= b.max).length);
}

/** Code age: how many files last changed how long ago. */
export function ageOption(rows: readonly AgeRow[]): ChartOption {
  return {
    grid: { left: 50, right: 20, top: 20, bottom: 40 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: AGE_BUCKETS.map((b) => b.label) },
    yAxis: { type: 'value', name: 'files', minInterval: 1 },
    series: [{ type: 'bar', data: ageBuckets(rows), itemStyle: { color: '#5c6bc0' } }],
  };
}
