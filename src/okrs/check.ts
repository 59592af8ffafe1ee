import type { PathIssue } from '../kit/config.js';
import { ValidationError } from '../shared/errors.js';
import type { ObjectiveInput } from './model.js';
import { resolvePeriod, type PeriodSettings } from './period.js';

type Defined = ObjectiveInput & { id: string };

/**
 * What the schema cannot check: periods that exist, owner teams that exist,
 * unique objective and key-result ids, and parents in the same period that
 * form no cycle. `path(i)` is where objective i sits in the input.
 */
export function checkObjectives(
  objectives: readonly Defined[],
  settings: PeriodSettings,
  teams: ReadonlySet<string> | undefined,
  path: (index: number) => Array<string | number>,
  metrics?: { has(id: string): boolean },
): PathIssue[] {
  const issues: PathIssue[] = [];
  const byId = new Map<string, { objective: Defined; index: number }>();
  const keyResultIds = new Set<string>();
  objectives.forEach((objective, i) => {
    if (byId.has(objective.id)) issues.push({ path: [...path(i), 'id'], message: `duplicate objective id "${objective.id}"` });
    byId.set(objective.id, { objective, index: i });
    try {
      resolvePeriod(objective.period, settings);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      issues.push({ path: [...path(i), 'period'], message: error.issues[0]?.message ?? error.message });
    }
    if (objective.team !== null && teams !== undefined && !teams.has(objective.team))
      issues.push({ path: [...path(i), 'team'], message: `unknown team "${objective.team}"` });
    objective.keyResults.forEach((kr, j) => {
      if (keyResultIds.has(kr.id))
        issues.push({ path: [...path(i), 'keyResults', j, 'id'], message: `duplicate key result id "${kr.id}"` });
      keyResultIds.add(kr.id);
      if (kr.metric !== undefined && metrics !== undefined && !metrics.has(kr.metric))
        issues.push({
          path: [...path(i), 'keyResults', j, 'metric'],
          message: `unknown metric "${kr.metric}" (define it under outcomes.metrics, or name a module's published series)`,
        });
    });
  });
  objectives.forEach((objective, i) => {
    if (objective.parent === undefined) return;
    const parent = byId.get(objective.parent)?.objective;
    if (parent === undefined) {
      issues.push({ path: [...path(i), 'parent'], message: `unknown objective "${objective.parent}"` });
    } else if (parent.period !== objective.period) {
      issues.push({
        path: [...path(i), 'parent'],
        message: `"${parent.id}" is in period ${parent.period}, this objective in ${objective.period}`,
      });
    } else if (leadsBackTo(objective.id, objective.parent, byId)) {
      issues.push({ path: [...path(i), 'parent'], message: 'the alignment tree has a cycle through this objective' });
    }
  });
  return issues;
}

function leadsBackTo(start: string, parent: string, byId: Map<string, { objective: Defined }>): boolean {
  const seen = new Set<string>();
  for (let cursor: string | undefined = parent; cursor !== undefined; cursor = byId.get(cursor)?.objective.parent) {
    if (cursor === start) return true;
    if (seen.has(cursor)) return false;
    seen.add(cursor);
  }
  return false;
}

/**
 * Key results naming a metric the metric store does not have (`exists` asks
 * it), located at `path` + `keyResults[j].metric`.
 */
export async function unknownMetricIssues(
  keyResults: ReadonlyArray<{ metric?: string | undefined }>,
  exists: (metricId: string) => Promise<boolean>,
  path: Array<string | number>,
): Promise<PathIssue[]> {
  const issues: PathIssue[] = [];
  for (const [j, kr] of keyResults.entries())
    if (kr.metric !== undefined && !(await exists(kr.metric)))
      issues.push({
        path: [...path, 'keyResults', j, 'metric'],
        message: `unknown metric "${kr.metric}" (define it in the outcomes metric store first)`,
      });
  return issues;
}
