import type { Candidate } from './candidates.js';
import type { Categorised } from './categorise.js';
import type { DebtItem, WorkItem } from './model.js';
import type { ScoredItem } from './scorecard.js';
import type { CapacityReport } from './service.js';

/** JSON shapes of the API and `--json`: instants as ISO 8601 strings. */
const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

export function capacityJson(report: CapacityReport) {
  return {
    effort: report.effort,
    cadence: report.cadence,
    teams: report.teams.map((t) => ({
      ...t,
      sprints: t.sprints.map((s) => ({ ...s, start: iso(s.start), end: iso(s.end) })),
    })),
  };
}

export function workItemJson(item: WorkItem & { category?: Categorised }) {
  return { ...item, created: iso(item.created), started: iso(item.started), completed: iso(item.completed) };
}

/** A register item in JSON: the shape of `debtItemSchema` (location flattened, ISO instants). */
export function debtItemJson(item: DebtItem) {
  const { location, created, updated, ...rest } = item;
  return {
    ...rest,
    repository: location.repository,
    paths: location.paths,
    service: location.service,
    created: iso(created),
    updated: iso(updated),
  };
}

export function addedJson(result: { item: DebtItem; warnings: string[] }) {
  return { item: debtItemJson(result.item), warnings: result.warnings };
}

export function scoredJson(s: ScoredItem) {
  return { rank: s.rank, ...debtItemJson(s.item), score: s.terms.score, terms: s.terms, evidence: s.evidence };
}

export function candidateJson(c: Candidate) {
  return { ...c, repository: c.location.repository, paths: c.location.paths, service: c.location.service };
}
