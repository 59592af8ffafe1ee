/**
 * The playbook's phases of an ML project, in order, with the default planned
 * duration ranges (days) and the go/no-go checklist (FBPML's go/no-go
 * analysis). Every project gets a copy it may edit.
 */
export const PHASE_NAMES = ['data-assessment', 'poc', 'go-no-go', 'productionisation', 'iteration'] as const;
export type PhaseName = (typeof PHASE_NAMES)[number];

export const GO_NO_GO: PhaseName = 'go-no-go';
export const PRODUCTIONISATION: PhaseName = 'productionisation';

export interface PhasePlan {
  name: PhaseName;
  /** Planned duration range in days, min <= max. */
  min: number;
  max: number;
}

/**
 * Data assessment 1-2 weeks, proof of concept 2-4 weeks, productionisation
 * 4-8 weeks (the playbook's figures). The playbook gives no duration for the
 * go/no-go decision or for iteration ("ongoing"); Sextant plans 3-10 days to
 * assemble the evidence and decide, and 14-28 days for the first iteration
 * cycle, so a forecast has an end. All are editable per project.
 */
export const DEFAULT_PHASES: readonly PhasePlan[] = [
  { name: 'data-assessment', min: 7, max: 14 },
  { name: 'poc', min: 14, max: 28 },
  { name: 'go-no-go', min: 3, max: 10 },
  { name: 'productionisation', min: 28, max: 56 },
  { name: 'iteration', min: 14, max: 28 },
];

export const PHASE_LABELS: Record<PhaseName, string> = {
  'data-assessment': 'Data assessment',
  poc: 'Proof of concept',
  'go-no-go': 'Go/no-go',
  productionisation: 'Productionisation',
  iteration: 'Iteration',
};

export interface ChecklistItem {
  id: string;
  label: string;
}

/** The go/no-go checklist from the FBPML go/no-go analysis, editable per project. */
export const DEFAULT_CHECKLIST: readonly ChecklistItem[] = [
  { id: 'cost-feasible', label: 'Cost still feasible' },
  { id: 'maintenance-budget', label: 'Maintenance budget approved' },
  { id: 'data-infrastructure', label: 'Data infrastructure ready' },
  { id: 'failsafe', label: 'Failsafe / rollback plan' },
  { id: 'communication', label: 'Communication plan' },
];

export const DECISIONS = ['go', 'no-go', 'pivot'] as const;
export type GateDecision = (typeof DECISIONS)[number];

export function phaseIndex(name: string): number {
  return (PHASE_NAMES as readonly string[]).indexOf(name);
}
