import { describe, expect, it } from 'vitest';
import { detectFailureModes, type DetectorName } from './detectors.js';
import { buildProject, d } from './fixtures.test-support.js';
import type { Project } from './model.js';

const status = (project: Project, at: string, name: DetectorName, monitoring?: Parameters<typeof detectFailureModes>[2]) =>
  detectFailureModes(project, d(at), monitoring).find((r) => r.detector === name);

describe('failure-mode detectors', () => {
  const healthy = buildProject({ quality: [{ at: d('2026-01-30'), value: 0.6 }] });

  it('stay quiet on a healthy POC', () => {
    // POC started 2026-01-16, 24 days before 2026-02-09: within its 28-day max; recall 0.6 below the 0.7 threshold.
    const results = detectFailureModes(healthy, d('2026-02-09'));
    expect(results.map((r) => [r.detector, r.status])).toEqual([
      ['science-project', 'quiet'],
      ['demo-never-ships', 'quiet'],
      ['accuracy-trap', 'quiet'],
      ['no-feedback-loop', 'quiet'],
    ]);
  });

  it('science project: no production path, or a research phase past twice its range', () => {
    expect(status(buildProject({ productionPath: null }), '2026-02-01', 'science-project')).toMatchObject({
      status: 'fired',
      evidence: ['no agreed production path'],
    });
    // POC max 28 days: on 2026-03-15 it has run 58 days (> 56); on 2026-03-13 it has run 56 (not over twice).
    expect(status(healthy, '2026-03-15', 'science-project')).toMatchObject({
      status: 'fired',
      evidence: ['poc has run 58 days, over twice its 28-day maximum'],
    });
    expect(status(healthy, '2026-03-13', 'science-project')?.status).toBe('quiet');
  });

  it('demo that never ships: a POC go with no productionisation after 4 weeks', () => {
    const concluded = buildProject({
      entries: [...healthy.entries.slice(0, 1), { seq: 2, phase: 'poc', startedAt: d('2026-01-16'), endedAt: d('2026-02-06') }],
      gates: [
        ...healthy.gates,
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
    // 2026-02-06 + 28 days = 2026-03-06.
    expect(status(concluded, '2026-03-05', 'demo-never-ships')?.status).toBe('quiet');
    expect(status(concluded, '2026-03-06', 'demo-never-ships')).toMatchObject({
      status: 'fired',
      evidence: ['POC concluded 2026-02-06; no productionisation 28 days later (limit 28)'],
    });
    const shipped: Project = {
      ...concluded,
      entries: [...concluded.entries, { seq: 3, phase: 'productionisation', startedAt: d('2026-02-20'), endedAt: null }],
    };
    expect(status(shipped, '2026-04-01', 'demo-never-ships')?.status).toBe('quiet');
  });

  it('accuracy trap: quality at the threshold while still in POC for 6 weeks', () => {
    const trapped = buildProject({
      plan: buildProject().plan.map((p) => (p.name === 'poc' ? { ...p, max: 120 } : p)),
      quality: [
        { at: d('2026-01-26'), value: 0.65 },
        { at: d('2026-02-02'), value: 0.74 },
        { at: d('2026-03-02'), value: 0.76 },
      ],
    });
    // First reading >= 0.7 on 2026-02-02; 42 days later is 2026-03-16.
    expect(status(trapped, '2026-03-15', 'accuracy-trap')?.status).toBe('quiet');
    expect(status(trapped, '2026-03-16', 'accuracy-trap')).toMatchObject({ status: 'fired' });
    expect(status(trapped, '2026-03-16', 'accuracy-trap')?.evidence[1]).toBe('still in poc 42 days later (limit 42)');
    // A latest reading back under the bar: quiet.
    const slipped = { ...trapped, quality: [...trapped.quality, { at: d('2026-03-10'), value: 0.69 }] };
    expect(status(slipped, '2026-03-20', 'accuracy-trap')?.status).toBe('quiet');
  });

  it('no feedback loop: a model in production without monitoring data; not evaluated without a monitoring module', () => {
    const live = buildProject({
      entries: [
        { seq: 1, phase: 'productionisation', startedAt: d('2026-01-05'), endedAt: d('2026-02-20') },
        { seq: 2, phase: 'iteration', startedAt: d('2026-02-20'), endedAt: null },
      ],
    });
    expect(status(live, '2026-03-10', 'no-feedback-loop')).toMatchObject({
      status: 'not-evaluated',
      evidence: ['no model-monitoring module in this build: nothing to read monitoring data from'],
    });
    // Last data 2026-02-20, 18 days before 2026-03-10 (> 14): fires; 10 days: quiet.
    expect(status(live, '2026-03-10', 'no-feedback-loop', { available: true, lastDataAt: d('2026-02-20') })?.status).toBe('fired');
    expect(status(live, '2026-03-10', 'no-feedback-loop', { available: true, lastDataAt: d('2026-02-28') })?.status).toBe('quiet');
    expect(status(healthy, '2026-03-10', 'no-feedback-loop', { available: true, lastDataAt: null })?.status).toBe('quiet');
  });
});
