import { describe, expect, it } from 'vitest';
import { ValidationError } from '../shared/errors.js';
import { buildProject, d } from './fixtures.test-support.js';
import { checkEnter, checkGate } from './gates.js';
import { gateInput, type Project } from './model.js';

function issues(fn: () => void): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error.issues.map((i) => `${i.field}: ${i.message}`);
    throw error;
  }
  return [];
}

const atGoNoGo = (): Project =>
  buildProject({
    entries: [
      { seq: 1, phase: 'data-assessment', startedAt: d('2026-01-05'), endedAt: d('2026-01-16') },
      { seq: 2, phase: 'poc', startedAt: d('2026-01-16'), endedAt: d('2026-02-06') },
      { seq: 3, phase: 'go-no-go', startedAt: d('2026-02-06'), endedAt: null },
    ],
    gates: [
      ...buildProject().gates,
      {
        seq: 2,
        phase: 'poc',
        decision: 'go',
        decidedBy: 'Ana',
        decidedAt: d('2026-02-06'),
        evidence: [],
        checklist: {},
        note: null,
        pivotTo: null,
      },
    ],
  });

describe('stage gates', () => {
  it('refuses a gate decision out of phase order', () => {
    const input = gateInput.parse({ phase: 'productionisation', decision: 'go', decidedBy: 'Ana' });
    expect(issues(() => checkGate(buildProject(), input, d('2026-02-01')))).toEqual([
      'phase: gate decisions follow phase order: the project is in poc, not productionisation',
    ]);
  });

  it('wants every checklist item answered for a go at go/no-go, and a learning for a no-go', () => {
    const partial = gateInput.parse({
      phase: 'go-no-go',
      decision: 'go',
      decidedBy: 'Ana',
      checklist: { 'cost-feasible': true, typo: true },
    });
    expect(issues(() => checkGate(atGoNoGo(), partial, d('2026-02-10')))).toEqual([
      'checklist.maintenance-budget: answer "Maintenance budget approved" (true or false)',
      'checklist.data-infrastructure: answer "Data infrastructure ready" (true or false)',
      'checklist.failsafe: answer "Failsafe / rollback plan" (true or false)',
      'checklist.communication: answer "Communication plan" (true or false)',
      "checklist.typo: is not on this project's checklist (cost-feasible, maintenance-budget, data-infrastructure, failsafe, communication)",
    ]);
    const noGo = gateInput.parse({ phase: 'go-no-go', decision: 'no-go', decidedBy: 'Ana' });
    expect(issues(() => checkGate(atGoNoGo(), noGo, d('2026-02-10')))).toEqual([
      'learning: a no-go kills the project: record what was learned',
    ]);
  });

  it('refuses productionisation without go and allows it after', () => {
    const ended: Project = { ...atGoNoGo() };
    ended.entries = ended.entries.map((e) => (e.phase === 'go-no-go' ? { ...e, endedAt: d('2026-02-10') } : e));
    const pivot = {
      seq: 3,
      phase: 'go-no-go' as const,
      decision: 'pivot' as const,
      decidedBy: 'Ana',
      decidedAt: d('2026-02-10'),
      evidence: [],
      checklist: {},
      note: null,
      pivotTo: null,
    };
    // Still in go/no-go, no decision yet: the missing go is what the refusal names (the CLI and API show this message).
    expect(issues(() => checkEnter(atGoNoGo(), 'productionisation', d('2026-02-10')))).toEqual([
      'phase: cannot enter productionisation without a recorded "go" at the go/no-go gate (the project is in go-no-go: record its gate decision first)',
    ]);
    // Any other phase while one is active: the active phase is named.
    expect(issues(() => checkEnter(atGoNoGo(), 'iteration', d('2026-02-10')))).toEqual([
      'phase: the project is in go-no-go: record its gate decision before entering iteration',
    ]);
    // Go/no-go ended with a pivot, not a go.
    expect(issues(() => checkEnter({ ...ended, gates: [...ended.gates, pivot] }, 'productionisation', d('2026-02-11')))).toEqual([
      'phase: cannot enter productionisation without a recorded "go" at the go/no-go gate',
    ]);
    const go = { ...pivot, decision: 'go' as const };
    expect(issues(() => checkEnter({ ...ended, gates: [...ended.gates, go] }, 'productionisation', d('2026-02-11')))).toEqual([]);
    // ...but not iteration straight after go/no-go.
    expect(issues(() => checkEnter({ ...ended, gates: [...ended.gates, go] }, 'iteration', d('2026-02-11')))).toEqual([
      'phase: after a go at go-no-go the next phase is productionisation',
    ]);
  });
});
