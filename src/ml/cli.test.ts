import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../test-support/cli.js';
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
