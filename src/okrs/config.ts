import type { AppliedSection, CheckContext, PathIssue } from '../kit/config.js';
import type { Store } from '../store/database.js';
import { checkObjectives } from './check.js';
import type { OkrsSection } from './model.js';
import { replaceObjectives, saveSettings } from './store.js';

/** The `okrs:` section's references: periods, teams, ids, parents (same period, no cycle). */
export function checkOkrsConfig(section: OkrsSection, { known }: CheckContext): PathIssue[] {
  const { okrs } = section;
  const issues: PathIssue[] = okrs.periods.flatMap((period, i) =>
    period.end < period.start ? [{ path: ['okrs', 'periods', i, 'end'], message: 'is before start' }] : [],
  );
  return [
    ...issues,
    ...checkObjectives(
      okrs.objectives,
      { quarterStartMonth: okrs.quarterStartMonth, custom: okrs.periods },
      known.teams,
      (i) => ['okrs', 'objectives', i],
      known.metrics,
    ),
  ];
}

export async function applyOkrsConfig(store: Store, { okrs }: OkrsSection): Promise<AppliedSection> {
  const settings = {
    quarterStartMonth: okrs.quarterStartMonth,
    custom: okrs.periods,
    behindTolerance: okrs.behindTolerance,
    zoneValues: okrs.zoneValues,
  };
  await saveSettings(store.db, settings);
  const report = await replaceObjectives(store.db, okrs.objectives, settings, 'config', Date.now());
  return {
    summary: `${report.objectives} objectives, ${report.keyResults} key results${report.removed ? `, ${report.removed} removed` : ''}`,
    report,
  };
}

export function okrsTemplate(): string {
  return `# OKRs (docs/metrics/okrs.md): objectives per team and period, aligned to a
# company objective through \`parent\`; key results follow an outcomes metric,
# a value you check in, or milestone zones described in words.
okrs:
  quarterStartMonth: 1   # 4 for a fiscal year from April
  objectives: []
  #  - id: faster-learning
  #    title: Every team learns from production faster
  #    period: 2026-Q4
  #    kind: aspirational   # or committed: expected at 1.0
  #    keyResults:
  #      - id: lead-time
  #        title: Lead time p50 from 40 h to 12 h
  #        start: 40
  #        target: 12
  #        unit: hours
  #      - id: sdk-beta
  #        title: SDK in beta
  #        milestones: { commit: two teams use it, target: five teams, stretch: every team }
`;
}
