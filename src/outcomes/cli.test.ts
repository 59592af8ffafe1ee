import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommandsInProcess } from '../test-support/cli-in-process.js';
import { makeTempDir } from '../test-support/stores.js';
import { resolveSettings } from '../config/settings.js';
import { openWorkspaceStore } from '../workspace/workspace.js';
import { registerOutcomesCommands } from './cli.js';
import { metricValues } from './metric-values.js';
import { dateOf, dayOf } from './dates.js';

/** Runs `sextant <args>` in-process with this module's commands (src/test-support/cli-in-process.ts). */
const run = (args: string[]) => runCommandsInProcess(registerOutcomesCommands, args);

describe('outcomes CLI', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeTempDir('sextant-outcomes-cli-');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const target = path.join(dir, name);
    fs.writeFileSync(target, text);
    return target;
  };

  it('sextant xmr --baseline 12 --json gives the hand-worked limits and signals', async () => {
    // The series of xmr.test.ts, worked by hand there: baseline 10, 11 alternating (centre 10.5,
    // average moving range 1), then 14, 10, 12, 12.5, 11, 12, 11, 11, 11, 11.
    const values = [10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 14, 10, 12, 12.5, 11, 12, 11, 11, 11, 11];
    const csv = file('series.csv', `date,value\n${values.map((v, i) => `${dateOf(dayOf('2025-01-05') + 7 * i)},${v}`).join('\n')}\n`);
    const { code, stdout } = await run(['xmr', '--csv', csv, '--baseline', '12', '--json']);
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as Record<string, unknown> & {
      signals: Array<{ index: number; date: string; rule: number; direction: string }>;
    };
    expect(result.centreLine).toBeCloseTo(10.5, 12);
    expect(result.averageMovingRange).toBeCloseTo(1, 12);
    expect(result.lowerLimit).toBeCloseTo(7.84, 12);
    expect(result.upperLimit).toBeCloseTo(13.16, 12);
    expect(result.upperRangeLimit).toBeCloseTo(3.268, 12);
    expect(result.trial).toBe(false);
    expect(result.signals.slice(0, 3)).toEqual([
      { index: 12, date: '2025-03-30', rule: 1, direction: 'high' },
      { index: 12, date: '2025-03-30', rule: 2, direction: 'high' },
      { index: 13, date: '2025-04-06', rule: 1, direction: 'low' },
    ]);
    expect(result.signals).toHaveLength(14);
    // Fewer points than the baseline: trial limits.
    const short = await run(['xmr', '--csv', csv, '--baseline', '30', '--json']);
    expect((JSON.parse(short.stdout) as { trial: boolean }).trial).toBe(true);
  });

  it('sextant metric box --json gives the hand-worked box (see box.test.ts for the arithmetic)', async () => {
    const rows: string[] = [];
    for (let day = dayOf('2023-01-01'); day <= dayOf('2024-12-31'); day++) {
      const date = dateOf(day);
      if (date === '2023-04-10') continue;
      rows.push(`${date},${date === '2024-02-26' ? 9 : date.startsWith('2023') ? 1 : 2}`);
    }
    const csv = file('daily.csv', `date,value\n${rows.join('\n')}\n`);
    const { code, stdout } = await run(['metric', 'box', '--csv', csv, '--week-ending', '2024-02-29', '--json']);
    expect(code).toBe(0);
    const box = JSON.parse(stdout) as Record<string, number | null>;
    expect(Object.keys(box)).toEqual([
      'lastWeek',
      'weekOverWeek',
      'yoyWeek',
      'monthToDate',
      'yoyMonthToDate',
      'quarterToDate',
      'yoyQuarterToDate',
      'yearToDate',
      'yoyYearToDate',
    ]);
    expect([box.lastWeek, box.weekOverWeek, box.yoyWeek, box.monthToDate]).toEqual([21, 0.5, 2, 65]);
    expect(box.yoyMonthToDate).toBeCloseTo(37 / 28, 12);
    // Mean of the week = 3 against 1 a year earlier: +20,000 basis points as a rate.
    const ratio = await run([
      'metric',
      'box',
      '--csv',
      csv,
      '--week-ending',
      '2024-02-29',
      '--aggregate',
      'mean',
      '--unit',
      'ratio',
      '--json',
    ]);
    expect((JSON.parse(ratio.stdout) as { yoyWeek: number }).yoyWeek).toBe(20_000);
  });

  it('rejects bad input with exit 2, naming file, line and field, and writes nothing', async () => {
    const bad = await run(['xmr', '--csv', file('bad.csv', 'date,value\n2025-01-01,1\n2025-01-08,ten\n')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${path.join(dir, 'bad.csv')}:3 value: "ten" is not a number`);

    expect((await run(['-w', dir, 'metric', 'define', 'signups', '--name', 'Signups'])).code).toBe(0);
    const points = file(
      'points.csv',
      'date,metric,value\n2025-01-01,signups,4\n2025-01-02,signups,5\n2025-01-03,ghost,1\n2025-02-30,signups,1\n',
    );
    const rejected = await run(['-w', dir, 'metric', 'import', points]);
    expect(rejected.code).toBe(2);
    expect(rejected.stderr).toContain(`${points}:5 date: "2025-02-30" is not a calendar date YYYY-MM-DD`);
    const unknown = await run([
      '-w',
      dir,
      'metric',
      'import',
      file('unknown.csv', 'date,metric,value\n2025-01-01,signups,4\n2025-01-03,ghost,1\n'),
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown.csv:3 metric: unknown metric "ghost"');
    const { store } = await openWorkspaceStore(resolveSettings({ workspace: dir }, {}));
    try {
      expect(await metricValues(store.db, 'signups', '2025-01-01', '2025-12-31')).toEqual([]);
    } finally {
      await store.close();
    }

    // A wide file is accepted whole.
    const wide = await run(['-w', dir, 'metric', 'import', file('wide.csv', 'date,signups\n2025-01-01,4\n2025-01-02,5\n'), '--json']);
    expect(JSON.parse(wide.stdout)).toEqual({ written: 2 });
  });
});
