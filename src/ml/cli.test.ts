import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../shared/errors.js';
import { runCli } from '../test-support/cli.js';
import { parseKillText } from './cli.js';
import { makeTempDir } from '../test-support/stores.js';

const dir = makeTempDir('sextant-ml-cli-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('sextant ml forecast (zero-config)', () => {
  it('prints the contract JSON without a workspace and refuses min > max with the file line', () => {
    const plan = path.join(dir, 'project.yaml');
    fs.writeFileSync(
      plan,
      [
        'phases:',
        '  - { name: data-assessment, min: 7, max: 14, start: 2026-01-05, end: 2026-01-16 }',
        '  - { name: poc, min: 14, max: 28, start: 2026-01-16 }',
        '  - { name: go-no-go, min: 3, max: 10 }',
        '  - { name: productionisation, min: 28, max: 56 }',
        '  - { name: iteration, min: 14, max: 28 }',
        '',
      ].join('\n'),
    );
    const result = runCli(['ml', 'forecast', '--file', plan, '--at', '2026-02-01', '--seed', '3', '--json']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.committable).toBe(false);
    expect(json.p50).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(json.phases.map((p: { name: string; status: string; committable: boolean }) => [p.name, p.status, p.committable])).toEqual([
      ['data-assessment', 'done', true],
      ['poc', 'active', true],
      ['go-no-go', 'planned', true],
      ['productionisation', 'planned', false],
      ['iteration', 'planned', false],
    ]);
    // The active POC has run 16 days of 14-28: at least today, at most 12 more days (2026-02-13).
    expect(json.phases[1].p90 <= '2026-02-13').toBe(true);

    fs.writeFileSync(plan, 'phases:\n  - { name: poc, min: 28, max: 14 }\ngo: 2026-01-01\n');
    const bad = runCli(['ml', 'forecast', '--file', plan, '--at', '2026-02-01']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain(`${plan}:2:23 phases[0].min: is greater than max (min > max)`);
  }, 120_000);
});

/**
 * The workspace commands as a user types them: productionisation is refused by
 * the CLI without a recorded go (exit 2, the field named, nothing written) and
 * allowed after it; an experiment is concluded only with a decision and a
 * learning.
 */
describe('sextant ml project / experiment (workspace)', () => {
  it('refuses productionisation without go and an experiment concluded without a learning, writing nothing', () => {
    const ws = path.join(dir, 'ws');
    fs.mkdirSync(ws, { recursive: true });
    fs.writeFileSync(
      path.join(ws, 'sextant.yaml'),
      'version: 1\nworkspace:\n  name: ml cli\n  timezone: UTC\nteams:\n  - id: ml\n    name: ML\n',
    );
    const cli = (...args: string[]) => runCli(['-w', ws, ...args]);
    expect(cli('sync').status).toBe(0);
    const add = cli(
      'ml',
      'project',
      'add',
      '--id',
      'churn',
      '--name',
      'Churn',
      '--owner',
      'Ana',
      '--team',
      'ml',
      '--min-quality',
      '0.7',
      '--quality-metric',
      'recall',
      '--production-path',
      'batch',
      '--start',
      '2026-01-05',
      '--json',
    );
    expect(add.status, add.stderr).toBe(0);
    const gate = (phase: string, at: string, ...extra: string[]) =>
      cli('ml', 'project', 'gate', 'churn', '--phase', phase, '--decision', 'go', '--by', 'Ana', '--at', at, '--enter-next', ...extra);
    expect(gate('data-assessment', '2026-01-16').status).toBe(0);
    expect(gate('poc', '2026-02-10').status).toBe(0);
    // In go/no-go, no decision yet: entering productionisation is refused.
    const refused = cli('ml', 'project', 'enter', 'churn', '--phase', 'productionisation', '--at', '2026-02-12');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('cannot enter productionisation without a recorded "go" at the go/no-go gate');
    const shown = JSON.parse(cli('ml', 'project', 'show', 'churn', '--json').stdout);
    expect([shown.phase, shown.timeline.length]).toEqual(['go-no-go', 3]);
    const checks = ['cost-feasible', 'maintenance-budget', 'data-infrastructure', 'failsafe', 'communication'].flatMap((c) => [
      '--check',
      `${c}=yes`,
    ]);
    expect(
      cli('ml', 'project', 'gate', 'churn', '--phase', 'go-no-go', '--decision', 'go', '--by', 'Ana', '--at', '2026-02-15', ...checks)
        .status,
    ).toBe(0);
    expect(cli('ml', 'project', 'enter', 'churn', '--phase', 'productionisation', '--at', '2026-02-16').status).toBe(0);
    const after = JSON.parse(cli('ml', 'project', 'forecast', 'churn', '--json').stdout);
    expect(after.committable).toBe(true);

    const start = cli(
      'experiment',
      'start',
      'e1',
      '--hypothesis',
      'tenure lifts recall',
      '--metric',
      'recall',
      '--success-threshold',
      '0.65',
      '--kill-threshold',
      '0.55',
      '--owner',
      'Ana',
      '--team',
      'ml',
      '--project',
      'churn',
      '--at',
      '2026-03-02',
    );
    expect(start.status, start.stderr).toBe(0);
    const noLearning = cli('experiment', 'conclude', 'e1', '--decision', 'adopt', '--at', '2026-03-09');
    expect(noLearning.status).toBe(2);
    expect(noLearning.stderr).toContain('--learning');
    const noDecision = cli('experiment', 'conclude', 'e1', '--learning', 'tenure matters', '--at', '2026-03-09');
    expect(noDecision.status).toBe(2);
    expect(noDecision.stderr).toContain('--decision');
    expect(JSON.parse(cli('experiment', 'list', '--json').stdout).items[0]).toMatchObject({ id: 'e1', decision: null, learning: null });
    expect(cli('experiment', 'conclude', 'e1', '--decision', 'adopt', '--learning', 'tenure matters', '--at', '2026-03-09').status).toBe(0);
    expect(JSON.parse(cli('experiment', 'list', '--json').stdout).items[0]).toMatchObject({ decision: 'adopt', daysToDecision: 7 });
  }, 300_000);
});

describe('--kill in words', () => {
  it("reads the issue's examples, a phase in front included, and refuses anything else naming --kill", () => {
    // The issue's own example: "POC recall < 0.6 by 2026-03-01" (recall is the project's quality metric).
    expect(parseKillText('POC recall < 0.6 by 2026-03-01', 'recall')).toEqual({
      description: 'POC recall < 0.6 by 2026-03-01',
      condition: { kind: 'model-quality', comparator: '<', threshold: 0.6, by: '2026-03-01' },
    });
    expect(parseKillText('recall < 0.6 by 2026-03-01', 'recall')).toEqual({
      condition: { kind: 'model-quality', comparator: '<', threshold: 0.6, by: '2026-03-01' },
    });
    expect(parseKillText('churned-accounts >= 40 by 2026-03-01', 'recall')).toEqual({
      condition: { kind: 'metric', metric: 'churned-accounts', comparator: '>=', threshold: 40, by: '2026-03-01' },
    });
    expect(parseKillText('no go decision 10 weeks after start', 'recall')).toEqual({ condition: { kind: 'no-go-decision', weeks: 10 } });
    // Both the short form and the wording the project's description uses.
    for (const text of ['experiment e7 kill', 'experiment e7 concluded with kill']) {
      expect(parseKillText(text, 'recall')).toEqual({ condition: { kind: 'experiment', experiment: 'e7', decision: 'kill' } });
    }
    try {
      parseKillText('recall is bad', 'recall');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues).toEqual([
        {
          field: '--kill',
          message:
            'cannot read "recall is bad": write "recall < 0.6 by 2026-03-01", "no go decision 10 weeks after start" or "experiment ID kill"',
        },
      ]);
    }
  });
});
