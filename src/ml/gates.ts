import { ValidationError, type FieldIssue } from '../shared/errors.js';
import { formatDay } from './days.js';
import type { GateInput, PhaseEntry, PhaseName, Project } from './model.js';
import { GO_NO_GO, PHASE_NAMES, phaseIndex, PRODUCTIONISATION } from './phases.js';

/**
 * The stage-gate rules, pure: which gate decision and which phase entry a
 * project accepts now. A phase ends with a gate decision on the active phase
 * (go, no-go or pivot); the next phase is entered after a go on the one before
 * it; productionisation only after a go at go/no-go. Every refusal names the
 * field; the caller writes nothing.
 */
export function activeEntry(project: Pick<Project, 'entries'>): PhaseEntry | undefined {
  return project.entries.find((e) => e.endedAt === null);
}

export function latestGate(project: Pick<Project, 'gates'>, phase?: PhaseName) {
  const gates = phase === undefined ? project.gates : project.gates.filter((g) => g.phase === phase);
  return gates.reduce<Project['gates'][number] | undefined>((last, g) => (last === undefined || g.seq > last.seq ? g : last), undefined);
}

export function hasGo(project: Pick<Project, 'gates'>): boolean {
  return latestGate(project, GO_NO_GO)?.decision === 'go';
}

function refuse(message: string, issues: FieldIssue[]): never {
  throw new ValidationError(message, issues);
}

/** Checks a gate decision against the project; throws a ValidationError naming the field. */
export function checkGate(project: Project, input: GateInput, at: number): void {
  if (project.status === 'killed')
    refuse('The project was killed', [{ field: 'phase', message: 'a killed project takes no more gate decisions' }]);
  const active = activeEntry(project);
  if (active === undefined) {
    const last = latestGate(project);
    refuse('No phase is active', [
      {
        field: 'phase',
        message: `no phase is active${last ? ` (last decision: ${last.decision} at ${last.phase})` : ''}: enter the next phase first`,
      },
    ]);
  }
  const issues: FieldIssue[] = [];
  if (input.phase !== active.phase) {
    issues.push({ field: 'phase', message: `gate decisions follow phase order: the project is in ${active.phase}, not ${input.phase}` });
  }
  if (at < active.startedAt) issues.push({ field: 'at', message: `is before ${active.phase} started (${formatDay(active.startedAt)})` });
  if (input.phase === GO_NO_GO && input.decision === 'go') {
    for (const item of project.checklist) {
      if (input.checklist[item.id] === undefined)
        issues.push({ field: `checklist.${item.id}`, message: `answer "${item.label}" (true or false)` });
    }
  }
  for (const key of Object.keys(input.checklist)) {
    if (!project.checklist.some((item) => item.id === key)) {
      issues.push({
        field: `checklist.${key}`,
        message: `is not on this project's checklist (${project.checklist.map((i) => i.id).join(', ')})`,
      });
    }
  }
  if (input.decision === 'no-go' && input.learning === undefined) {
    issues.push({ field: 'learning', message: 'a no-go kills the project: record what was learned' });
  }
  if (input.pivotTo !== undefined) {
    if (input.decision !== 'pivot') issues.push({ field: 'pivotTo', message: 'applies to a pivot only' });
    else if (phaseIndex(input.pivotTo) > phaseIndex(active.phase)) {
      issues.push({ field: 'pivotTo', message: `a pivot re-enters ${active.phase} or an earlier phase, not ${input.pivotTo}` });
    }
  }
  if (input.enterNext) {
    if (input.decision !== 'go') issues.push({ field: 'enterNext', message: 'only a go enters the next phase' });
    else if (nextPhase(active.phase) === undefined) issues.push({ field: 'enterNext', message: `${active.phase} is the last phase` });
  }
  if (issues.length > 0) refuse('Gate decision refused', issues);
}

export function nextPhase(phase: PhaseName): PhaseName | undefined {
  return PHASE_NAMES[phaseIndex(phase) + 1];
}

/** Checks entering `phase` at `at`; throws a ValidationError naming the field. */
export function checkEnter(project: Project, phase: PhaseName, at: number): void {
  if (project.status === 'killed') refuse('The project was killed', [{ field: 'phase', message: 'a killed project enters no phase' }]);
  const active = activeEntry(project);
  // The missing go is the refusal to name first, whatever else stands in the way.
  if (phase === PRODUCTIONISATION && !hasGo(project)) {
    refuse('Productionisation needs a go decision', [
      {
        field: 'phase',
        message:
          'cannot enter productionisation without a recorded "go" at the go/no-go gate' +
          (active === undefined ? '' : ` (the project is in ${active.phase}: record its gate decision first)`),
      },
    ]);
  }
  if (active !== undefined) {
    refuse('A phase is still active', [
      { field: 'phase', message: `the project is in ${active.phase}: record its gate decision before entering ${phase}` },
    ]);
  }
  const last = latestGate(project);
  const issues: FieldIssue[] = [];
  if (last === undefined) {
    if (phase !== PHASE_NAMES[0]) issues.push({ field: 'phase', message: `a project starts with ${PHASE_NAMES[0]}` });
  } else {
    const expected = nextPhase(last.phase);
    if (last.decision !== 'go') issues.push({ field: 'phase', message: `the last gate (${last.phase}) was ${last.decision}, not go` });
    else if (phase !== expected)
      issues.push({ field: 'phase', message: `after a go at ${last.phase} the next phase is ${expected ?? 'none'}` });
    if (at < last.decidedAt) issues.push({ field: 'at', message: `is before the last gate decision (${formatDay(last.decidedAt)})` });
  }
  if (issues.length > 0) refuse('Phase entry refused', issues);
}
