import type { CheckContext, PathIssue } from '../kit/config.js';
import type { DebtSection } from './model.js';

/** Teams named by rules, targets and WIP limits must exist. */
export function checkDebtReferences(section: DebtSection, { known }: CheckContext): PathIssue[] {
  const issues: PathIssue[] = [];
  const unknown = (team: string) => !known.teams.has(team);
  section.debt.rules.forEach((rule, i) => {
    if ('team' in rule && rule.team) {
      rule.team.forEach((team, j) => {
        if (unknown(team)) issues.push({ path: ['debt', 'rules', i, 'team', j], message: `unknown team "${team}"` });
      });
    }
  });
  for (const key of ['targets', 'wipLimits'] as const) {
    for (const team of Object.keys(section.debt[key])) {
      if (unknown(team)) issues.push({ path: ['debt', key, team], message: `unknown team "${team}"` });
    }
  }
  return issues;
}

export function debtTemplate(): string {
  return `# Technical debt: the capacity budget (share of each sprint for debt), category
# rules for work items (first match wins), and the scorecard's weights.
# See docs/metrics/debt.md.
debt:
  target: 0.2
  effort: count          # count | points | cycle-time
  # cadence: { days: 14, start: 2024-01-01 }   # sprints for items the tracker gives none
  # targets: { payments: 0.15 }
  # wipLimits: { payments: 6 }
  # rules:
  #   - { category: debt, label: [tech-debt] }
  #   - { inherit: parent }
  #   - { category: new, type: [feature, epic, story] }
  #   - { category: ktlo, type: [bug, incident, chore] }
  #   - { category: improve }
  # weights: { interest: 1, risk: 1, change: 1, principal: 1 }
`;
}
