import type { DebtItem, ScoreWeights } from './model.js';

/**
 * Interest evidence for one register item's location, gathered from the
 * codebase, delivery, incident and reliability modules (evidence.ts). Null
 * means "no evidence of this kind" (no repository, no service, no SLO) and
 * contributes nothing to the score.
 */
export interface DebtEvidence {
  /** Commits in the last 90 days touching the item's paths (codebase revisions). */
  revisions90: number | null;
  /** Best hotspot rank (1 = the repository's top hotspot) among the item's files, and how many hotspots there are. */
  hotspotRank: number | null;
  hotspotCount: number | null;
  hotspotFile: string | null;
  /** Share of the location's files whose authors have all been inactive 90+ days (codebase knowledge risk). */
  knowledgeRisk: number | null;
  /** Share of the location's authored files with a single author (degree of authorship). */
  soleAuthorShare: number | null;
  /** Lead time p50 of the service over 90 days, and the median of every service's p50 (hours). */
  leadTimeP50Hours: number | null;
  leadTimeMedianHours: number | null;
  /** Change failure rate of the service over 90 days, and the median over services (0-1). */
  changeFailureRate: number | null;
  changeFailureRateMedian: number | null;
  /** Incidents of the service that started in the last 90 days. */
  incidents90: number | null;
  /** Error budget consumed by the service's SLOs in their current windows, summed (1 = one whole budget). */
  budgetConsumed: number | null;
  /** Paths of the item that do not exist in the repository's current tree (a warning, not an error). */
  warnings: string[];
}

export const EMPTY_EVIDENCE: DebtEvidence = {
  revisions90: null,
  hotspotRank: null,
  hotspotCount: null,
  hotspotFile: null,
  knowledgeRisk: null,
  soleAuthorShare: null,
  leadTimeP50Hours: null,
  leadTimeMedianHours: null,
  changeFailureRate: null,
  changeFailureRateMedian: null,
  incidents90: null,
  budgetConsumed: null,
  warnings: [],
};

/** Principal assumed for an item without an estimate (days), stated in docs/metrics/debt.md. */
export const DEFAULT_PRINCIPAL_DAYS = 5;

/** Every term of the score, so a ranking can be argued with. */
export interface ScoreTerms {
  /** revisions90 / 10: ten commits in 90 days count one point. */
  change: number;
  /** incidents90 + budgetConsumed + leadTimeExcess + cfrExcess. */
  interest: number;
  interestParts: { incidents: number; budget: number; leadTimeExcess: number; changeFailureExcess: number };
  /** knowledgeRisk + soleAuthorShare + hotspot (1 for the top hotspot, falling linearly to 0 for the last). */
  risk: number;
  riskParts: { knowledge: number; soleAuthor: number; hotspot: number };
  principalDays: number;
  principalEstimated: boolean;
  /** wInterest·interest + wRisk·risk + wChange·change. */
  costOfDelay: number;
  /** costOfDelay / max(1, principalDays)^wPrincipal. */
  score: number;
}

export interface ScoredItem {
  item: DebtItem;
  evidence: DebtEvidence;
  terms: ScoreTerms;
  rank: number;
}

/**
 * The scorecard: weighted shortest job first over the evidence. Cost of delay is
 * what the debt costs now (interest: incidents, budget burn, slower and
 * failing changes than the workspace median), what it risks (knowledge with
 * one or no active person, hotspot rank) and how often it is touched (a
 * never-changed file costs little whatever its state). Dividing by the
 * principal favours cheap fixes with a high return.
 */
export function scoreItem(item: DebtItem, evidence: DebtEvidence, weights: ScoreWeights): ScoreTerms {
  const n = (v: number | null) => v ?? 0;
  const change = n(evidence.revisions90) / 10;
  const leadTimeExcess =
    evidence.leadTimeP50Hours !== null && evidence.leadTimeMedianHours !== null && evidence.leadTimeMedianHours > 0
      ? Math.max(0, evidence.leadTimeP50Hours / evidence.leadTimeMedianHours - 1)
      : 0;
  const changeFailureExcess =
    evidence.changeFailureRate !== null && evidence.changeFailureRateMedian !== null
      ? Math.max(0, evidence.changeFailureRate - evidence.changeFailureRateMedian) * 10
      : 0;
  const interestParts = {
    incidents: n(evidence.incidents90),
    budget: Math.max(0, n(evidence.budgetConsumed)),
    leadTimeExcess,
    changeFailureExcess,
  };
  const interest = interestParts.incidents + interestParts.budget + interestParts.leadTimeExcess + interestParts.changeFailureExcess;
  const hotspot =
    evidence.hotspotRank !== null && evidence.hotspotCount !== null && evidence.hotspotCount > 0
      ? evidence.hotspotCount === 1
        ? 1
        : 1 - (evidence.hotspotRank - 1) / (evidence.hotspotCount - 1)
      : 0;
  const riskParts = { knowledge: n(evidence.knowledgeRisk), soleAuthor: n(evidence.soleAuthorShare), hotspot };
  const risk = riskParts.knowledge + riskParts.soleAuthor + riskParts.hotspot;
  const principalDays = item.principalDays ?? DEFAULT_PRINCIPAL_DAYS;
  const costOfDelay = weights.interest * interest + weights.risk * risk + weights.change * change;
  const score = costOfDelay / Math.pow(Math.max(1, principalDays), weights.principal);
  return {
    change,
    interest,
    interestParts,
    risk,
    riskParts,
    principalDays,
    principalEstimated: item.principalDays === null,
    costOfDelay,
    score,
  };
}

/** Scores and ranks items, highest score first (ties: the older item first, then id). */
export function scorecard(items: ReadonlyArray<{ item: DebtItem; evidence: DebtEvidence }>, weights: ScoreWeights): ScoredItem[] {
  return items
    .map(({ item, evidence }) => ({ item, evidence, terms: scoreItem(item, evidence, weights), rank: 0 }))
    .sort((a, b) => b.terms.score - a.terms.score || a.item.created - b.item.created || a.item.id.localeCompare(b.item.id))
    .map((scored, i) => ({ ...scored, rank: i + 1 }));
}
