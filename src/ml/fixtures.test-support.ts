import { parseDay } from './days.js';
import type { Project } from './model.js';
import { DEFAULT_CHECKLIST, DEFAULT_PHASES } from './phases.js';

/** `YYYY-MM-DD` as epoch ms (tests). */
export const d = (day: string) => parseDay(day) as number;

/** A healthy project in its POC, for tests to bend one way or another. */
export function buildProject(overrides: Partial<Project> = {}): Project {
  return {
    id: 'churn',
    name: 'Churn model',
    productOwner: 'Ana',
    businessSponsor: 'Ben',
    businessMetric: 'monthly churn',
    businessMetricId: null,
    qualityMetric: 'recall',
    qualityThreshold: 0.7,
    qualityDirection: 'higher',
    productionPath: 'batch scores into the CRM',
    teams: ['ml'],
    keyResult: null,
    startedAt: d('2026-01-05'),
    status: 'active',
    learning: null,
    plan: DEFAULT_PHASES.map((p) => ({ ...p })),
    checklist: DEFAULT_CHECKLIST.map((c) => ({ ...c })),
    entries: [
      { seq: 1, phase: 'data-assessment', startedAt: d('2026-01-05'), endedAt: d('2026-01-16') },
      { seq: 2, phase: 'poc', startedAt: d('2026-01-16'), endedAt: null },
    ],
    gates: [
      {
        seq: 1,
        phase: 'data-assessment',
        decision: 'go',
        decidedBy: 'Ana',
        decidedAt: d('2026-01-16'),
        evidence: ['data readiness report'],
        checklist: {},
        note: null,
        pivotTo: null,
      },
    ],
    killCriteria: [],
    confidence: [],
    quality: [],
    ...overrides,
  };
}
