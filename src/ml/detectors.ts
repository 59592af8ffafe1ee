import { DAY_MS, formatDay } from './days.js';
import { activeEntry, latestGate } from './gates.js';
import type { Project } from './model.js';
import { phaseIndex, PRODUCTIONISATION } from './phases.js';

/**
 * The playbook's failure modes as rules, each with its evidence. Pure: the
 * caller passes what the model-monitoring module knows (or that it is absent).
 */
export const DETECTORS = ['science-project', 'demo-never-ships', 'accuracy-trap', 'no-feedback-loop'] as const;
export type DetectorName = (typeof DETECTORS)[number];

export interface DetectorSettings {
  /** demo-never-ships: weeks after a POC's go without productionisation starting. */
  demoNeverShipsWeeks: number;
  /** accuracy-trap: weeks in POC/iteration with model quality at or past the threshold. */
  accuracyTrapWeeks: number;
  /** no-feedback-loop: days without monitoring data for a model in production. */
  noFeedbackDays: number;
}

export const DEFAULT_DETECTOR_SETTINGS: DetectorSettings = { demoNeverShipsWeeks: 4, accuracyTrapWeeks: 6, noFeedbackDays: 14 };

/** What the model-monitoring module says about a project's model; `available: false` while no such module exists. */
export type MonitoringAnswer = { available: false; reason: string } | { available: true; lastDataAt: number | null };

export const NO_MONITORING_MODULE: MonitoringAnswer = {
  available: false,
  reason: 'no model-monitoring module in this build: nothing to read monitoring data from',
};

export interface DetectorResult {
  detector: DetectorName;
  status: 'fired' | 'quiet' | 'not-evaluated';
  /** Why it fired or stayed quiet, with the figures. */
  evidence: string[];
}

const RESEARCH_PHASES = new Set(['data-assessment', 'poc']);

export function meetsThreshold(project: Pick<Project, 'qualityThreshold' | 'qualityDirection'>, value: number): boolean {
  return project.qualityDirection === 'higher' ? value >= project.qualityThreshold : value <= project.qualityThreshold;
}

export function detectFailureModes(
  project: Project,
  at: number,
  monitoring: MonitoringAnswer = NO_MONITORING_MODULE,
  settings: DetectorSettings = DEFAULT_DETECTOR_SETTINGS,
): DetectorResult[] {
  if (project.status === 'killed') {
    return DETECTORS.map((detector) => ({ detector, status: 'quiet', evidence: ['the project was killed'] }));
  }
  return [
    scienceProject(project, at),
    demoNeverShips(project, at, settings),
    accuracyTrap(project, at, settings),
    noFeedbackLoop(project, at, monitoring, settings),
  ];
}

const days = (ms: number) => Math.floor(ms / DAY_MS);

function scienceProject(project: Project, at: number): DetectorResult {
  const evidence: string[] = [];
  if (!project.productOwner) evidence.push('no product owner');
  if (!project.productionPath) evidence.push('no agreed production path');
  for (const entry of project.entries) {
    if (!RESEARCH_PHASES.has(entry.phase)) continue;
    const plan = project.plan.find((p) => p.name === entry.phase);
    const ran = days((entry.endedAt ?? at) - entry.startedAt);
    if (plan && ran > 2 * plan.max) {
      evidence.push(`${entry.phase} ${entry.endedAt === null ? 'has run' : 'ran'} ${ran} days, over twice its ${plan.max}-day maximum`);
    }
  }
  return evidence.length > 0
    ? { detector: 'science-project', status: 'fired', evidence }
    : { detector: 'science-project', status: 'quiet', evidence: ['product owner, production path, research phases within 2× their range'] };
}

function demoNeverShips(project: Project, at: number, settings: DetectorSettings): DetectorResult {
  const poc = latestGate(project, 'poc');
  if (!poc || poc.decision !== 'go')
    return { detector: 'demo-never-ships', status: 'quiet', evidence: ['the POC has not concluded with a go'] };
  const shipped = project.entries.find((e) => e.phase === PRODUCTIONISATION && e.startedAt >= poc.decidedAt);
  if (shipped) {
    return { detector: 'demo-never-ships', status: 'quiet', evidence: [`productionisation started ${formatDay(shipped.startedAt)}`] };
  }
  const waited = days(at - poc.decidedAt);
  const limit = settings.demoNeverShipsWeeks * 7;
  return waited >= limit
    ? {
        detector: 'demo-never-ships',
        status: 'fired',
        evidence: [`POC concluded ${formatDay(poc.decidedAt)}; no productionisation ${waited} days later (limit ${limit})`],
      }
    : { detector: 'demo-never-ships', status: 'quiet', evidence: [`POC concluded ${waited} days ago (limit ${limit})`] };
}

function accuracyTrap(project: Project, at: number, settings: DetectorSettings): DetectorResult {
  const active = activeEntry(project);
  if (!active || (active.phase !== 'poc' && active.phase !== 'iteration')) {
    return { detector: 'accuracy-trap', status: 'quiet', evidence: [`not in POC or iteration`] };
  }
  const readings = project.quality.filter((r) => r.at >= active.startedAt && r.at <= at).sort((a, b) => a.at - b.at);
  const latest = readings.at(-1);
  const first = readings.find((r) => meetsThreshold(project, r.value));
  const bar = `${project.qualityMetric} ${project.qualityDirection === 'higher' ? '>=' : '<='} ${project.qualityThreshold}`;
  if (!latest || !first || !meetsThreshold(project, latest.value)) {
    return { detector: 'accuracy-trap', status: 'quiet', evidence: [`model quality has not held ${bar} in ${active.phase}`] };
  }
  const held = days(at - first.at);
  const limit = settings.accuracyTrapWeeks * 7;
  return held >= limit
    ? {
        detector: 'accuracy-trap',
        status: 'fired',
        evidence: [
          `${project.qualityMetric} reached ${first.value} on ${formatDay(first.at)} (minimum viable ${project.qualityThreshold}); latest ${latest.value} on ${formatDay(latest.at)}`,
          `still in ${active.phase} ${held} days later (limit ${limit})`,
        ],
      }
    : { detector: 'accuracy-trap', status: 'quiet', evidence: [`${bar} for ${held} days (limit ${limit})`] };
}

function noFeedbackLoop(project: Project, at: number, monitoring: MonitoringAnswer, settings: DetectorSettings): DetectorResult {
  const inProduction = project.entries.some(
    (e) => phaseIndex(e.phase) > phaseIndex(PRODUCTIONISATION) || (e.phase === PRODUCTIONISATION && e.endedAt !== null),
  );
  if (!inProduction) return { detector: 'no-feedback-loop', status: 'quiet', evidence: ['no model in production yet'] };
  if (!monitoring.available) return { detector: 'no-feedback-loop', status: 'not-evaluated', evidence: [monitoring.reason] };
  const limit = settings.noFeedbackDays;
  if (monitoring.lastDataAt === null) {
    return { detector: 'no-feedback-loop', status: 'fired', evidence: ['the model in production has no monitoring data at all'] };
  }
  const silent = days(at - monitoring.lastDataAt);
  return silent > limit
    ? {
        detector: 'no-feedback-loop',
        status: 'fired',
        evidence: [`last monitoring data ${formatDay(monitoring.lastDataAt)}, ${silent} days ago (limit ${limit})`],
      }
    : { detector: 'no-feedback-loop', status: 'quiet', evidence: [`monitoring data ${silent} days ago`] };
}
