import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../test-support/cli.js';
import { makeTempDir } from '../test-support/stores.js';

const FILE = path.join(import.meta.dirname, '..', 'test-support', 'testdata', 'okrs', 'okrs.yaml');

describe('sextant okr grade --file (no workspace)', () => {
  it('grades the worked quarter of testdata/okrs.yaml', () => {
    const result = runCli(['okr', 'grade', '--file', FILE, '--at', '2026-11-15', '--json']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout);
    // Oct 1 - Dec 29 is 90 days; Nov 15 is 45 whole days in: 0.5.
    expect(report.expectedProgress).toBe(0.5);
    const [delivery, sdk] = report.objectives;
    // deploys: latest on or before Nov 15 is 20 (Nov 1): (20 - 10) / (30 - 10) = 0.5, not behind (0.5 >= 0.4).
    // lead-time: (19 - 40) / (10 - 40) = 0.7. Score (0.5 x 1 + 0.7 x 3) / 4 = 0.65: yellow.
    expect(delivery.keyResults).toEqual([
      expect.objectContaining({ id: 'deploys', progress: 0.5, behind: false }),
      expect.objectContaining({ id: 'lead-time', progress: 0.7, behind: false }),
    ]);
    expect(delivery.score).toBeCloseTo(0.65, 12);
    expect(delivery).toMatchObject({ id: 'delivery', band: 'yellow', flagged: false });
    // The milestone in its commit zone: 0.3, red, behind (0.3 < 0.5 - 0.1).
    expect(sdk).toMatchObject({
      id: 'sdk',
      score: 0.3,
      band: 'red',
      flagged: false,
      keyResults: [{ id: 'sdk-beta', progress: 0.3, behind: true }],
    });
  });

  it('flags the committed objective once the period is over below 1.0', () => {
    const report = JSON.parse(runCli(['okr', 'grade', '--file', FILE, '--at', '2027-01-05', '--json']).stdout);
    // deploys 28 -> 0.9; lead-time still 19 -> 0.7: (0.9 + 2.1) / 4 = 0.75 < 1 and committed: flagged.
    expect(report.expectedProgress).toBe(1);
    expect(report.objectives[0]).toMatchObject({ id: 'delivery', band: 'green', flagged: true });
    expect(report.objectives[0].score).toBeCloseTo(0.75, 12);
    expect(report.objectives[1].flagged).toBe(false); // aspirational
  });

  it('refuses a target equal to its start, naming the field and line, and prints nothing', () => {
    const dir = makeTempDir();
    const file = path.join(dir, 'okrs.yaml');
    const text = fs.readFileSync(FILE, 'utf8').replace('start: 40\n        target: 10', 'start: 40\n        target: 40');
    fs.writeFileSync(file, text);
    const line = text.split('\n').findIndex((l) => l.includes('target: 40')) + 1;
    const result = runCli(['okr', 'grade', '--file', file, '--at', '2026-11-15', '--json']);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`:${line}:`);
    expect(result.stderr).toContain('objectives[0].keyResults[1].target: equals start (40)');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
