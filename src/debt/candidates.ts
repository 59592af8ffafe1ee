import type { CANDIDATE_KINDS, DebtLocation } from './model.js';

/**
 * Candidates for the register, proposed from evidence (docs/metrics/debt.md):
 *
 * - hotspot: a file in the top 5% of its repository's hotspots (at least the
 *   top one) that changed in the last 90 days — code debt that is still being
 *   paid for ("if it never changes it's not costing us money").
 * - knowledge: a folder where at least half of the files with authors have
 *   lost every author to 90+ days of inactivity, and those files' authors are
 *   one person — knowledge debt.
 * - lead-time / change-failure: the service with the worst lead time p50, or
 *   the worst change failure rate, in the workspace, when it is worse than the
 *   median of the services (two or more services with data) — architecture
 *   and infrastructure debt.
 * - slo-budget: an SLO that exhausted its error budget in two of its last
 *   three periods (the current one included) — infrastructure debt.
 *
 * CI duration trends are not proposed: no module records CI durations yet.
 * Each candidate has a stable key: accepting or dismissing it is remembered by key.
 */
export type CandidateKind = (typeof CANDIDATE_KINDS)[number];

export interface Candidate {
  key: string;
  kind: CandidateKind;
  category: string;
  title: string;
  location: DebtLocation;
  team: string | null;
  /** What the candidate rests on, in numbers. */
  evidence: Record<string, string | number | boolean | null>;
  /** A proposed business-impact statement to edit. */
  impact: string;
}

export interface RepositoryEvidence {
  repository: string;
  team: string | null;
  /** Hotspots of the whole history, best first (codebase `hotspots`). */
  hotspots: ReadonlyArray<{ entity: string; nRevs: number; lines: number; complexityTotal: number; score: number }>;
  /** Commits per file over the last 90 days (codebase `revisions` since 90 days ago). */
  recentRevisions: ReadonlyMap<string, number>;
  /** Codebase knowledge risk with a 90-day inactivity limit. */
  knowledge: {
    authors: ReadonlyArray<{ name: string; lastCommit: string; active: boolean }>;
    files: ReadonlyArray<{ entity: string; authors: readonly string[]; cause: string }>;
    modules: ReadonlyArray<{ module: string; files: number; inactive: number }>;
  } | null;
}

export interface ServiceEvidence {
  service: string;
  team: string | null;
  leadTimeP50Hours: number | null;
  changeFailureRate: number | null;
  deployments: number;
}

export interface SloEvidence {
  slo: string;
  service: string;
  team: string | null;
  /** Budget remaining at the end of each of the last three periods, newest first (negative = overspent). */
  remaining: readonly number[];
}

export const HOTSPOT_TOP_SHARE = 0.05;

export function proposeCandidates(input: {
  repositories: readonly RepositoryEvidence[];
  services: readonly ServiceEvidence[];
  slos: readonly SloEvidence[];
}): Candidate[] {
  const out: Candidate[] = [];
  for (const repo of input.repositories) {
    const top = Math.max(1, Math.ceil(repo.hotspots.length * HOTSPOT_TOP_SHARE));
    repo.hotspots.slice(0, top).forEach((h, i) => {
      const recent = repo.recentRevisions.get(h.entity) ?? 0;
      if (recent === 0) return;
      out.push({
        key: `hotspot:${repo.repository}:${h.entity}`,
        kind: 'hotspot',
        category: 'code',
        title: `Hotspot ${h.entity}`,
        location: { repository: repo.repository, paths: [h.entity], service: null },
        team: repo.team,
        evidence: {
          hotspotRank: i + 1,
          hotspots: repo.hotspots.length,
          revisions: h.nRevs,
          revisions90: recent,
          lines: h.lines,
          complexity: h.complexityTotal,
          score: h.score,
        },
        impact: `Changes to ${h.entity} (${recent} in 90 days) get cheaper and safer`,
      });
    });
    if (repo.knowledge) {
      const lastCommit = new Map(repo.knowledge.authors.map((a) => [a.name, a.lastCommit]));
      for (const m of repo.knowledge.modules) {
        if (m.module === '.' || m.inactive === 0) continue;
        const prefix = `${m.module}/`;
        const orphaned = repo.knowledge.files.filter((f) => f.cause === 'inactive' && f.entity.startsWith(prefix));
        const authors = new Set(orphaned.flatMap((f) => f.authors));
        if (authors.size !== 1 || m.inactive * 2 < m.files) continue;
        const author = [...authors][0] as string;
        out.push({
          key: `knowledge:${repo.repository}:${m.module}`,
          kind: 'knowledge',
          category: 'knowledge',
          title: `Knowledge of ${m.module}/ sits with one inactive person`,
          location: { repository: repo.repository, paths: [m.module], service: null },
          team: repo.team,
          evidence: {
            files: m.files,
            orphanedFiles: m.inactive,
            soleAuthor: author,
            lastCommit: lastCommit.get(author) ?? null,
            inactiveDays: 90,
          },
          impact: `Someone on the team can change ${m.module}/ without waiting for one person`,
        });
      }
    }
  }

  const measured = (pick: (s: ServiceEvidence) => number | null) =>
    input.services.flatMap((s) => {
      const v = pick(s);
      return v === null ? [] : [{ s, v }];
    });
  const worst = (kind: 'lead-time' | 'change-failure', pick: (s: ServiceEvidence) => number | null) => {
    const rows = measured(pick);
    if (rows.length < 2) return;
    const values = rows.map((r) => r.v).sort((a, b) => a - b);
    const median = medianOf(values);
    const top = rows.reduce((a, b) => (b.v > a.v || (b.v === a.v && b.s.service < a.s.service) ? b : a));
    if (!(top.v > median)) return;
    const leadTime = kind === 'lead-time';
    out.push({
      key: `${kind}:${top.s.service}`,
      kind,
      category: leadTime ? 'architecture' : 'infrastructure',
      title: leadTime
        ? `Slowest lead time in the workspace: ${top.s.service}`
        : `Highest change failure rate in the workspace: ${top.s.service}`,
      location: { repository: null, paths: [], service: top.s.service },
      team: top.s.team,
      evidence: leadTime
        ? { leadTimeP50Hours: round(top.v), workspaceMedianHours: round(median), services: rows.length }
        : { changeFailureRate: round(top.v), workspaceMedian: round(median), deployments: top.s.deployments, services: rows.length },
      impact: leadTime ? `Changes to ${top.s.service} reach users sooner` : `Fewer failed deployments of ${top.s.service}`,
    });
  };
  worst('lead-time', (s) => s.leadTimeP50Hours);
  worst('change-failure', (s) => s.changeFailureRate);

  for (const slo of input.slos) {
    const exhausted = slo.remaining.slice(0, 3).filter((r) => r <= 0).length;
    if (exhausted < 2) continue;
    out.push({
      key: `slo-budget:${slo.slo}`,
      kind: 'slo-budget',
      category: 'infrastructure',
      title: `${slo.slo} exhausted its error budget in ${exhausted} of the last 3 periods`,
      location: { repository: null, paths: [], service: slo.service },
      team: slo.team,
      evidence: { slo: slo.slo, exhaustedPeriods: exhausted, remaining: slo.remaining.map((r) => round(r)).join(' / ') },
      impact: `Reduces outage risk on ${slo.service}`,
    });
  }
  return out;
}

function medianOf(sorted: readonly number[]): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function median(values: readonly number[]): number | null {
  return values.length === 0 ? null : medianOf([...values].sort((a, b) => a - b));
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
