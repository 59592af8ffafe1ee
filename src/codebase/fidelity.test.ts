import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgeRow } from './age.js';
import type { KnowledgeRiskReport, TruckFactorReport } from './analyses.js';
import type { CouplingRow } from './coupling.js';
import { defaultExclusionReason } from './exclusions.js';
import { analysisOptionsSchema, type AnalysisOptions } from './model.js';
import { runAnalysis } from './run-analysis.js';
import { TestRepository } from '../test-support/git-repository.js';

/**
 * Issue 15, items 4-7, on a real repository whose history is all in 2016:
 *
 *   c1 2016-01-04 Zoé (precomposed é)   src/app.py, src/util.py, docs/guide.rst, CHANGES.rst, package-lock.json
 *   c2 2016-02-01 Zoe\u0301 (e + U+0301) src/app.py, docs/guide.rst, CHANGES.rst, package-lock.json
 *   c3 2016-03-01 Max                    src/old.py, requirements/dev.txt, requirements/test.txt
 *   c4 2016-03-15 Max                    deletes src/old.py; src/app.py, requirements/dev.txt, requirements/test.txt
 *   c5 2016-04-01 Max                    src/util.py, CHANGES.rst, package-lock.json
 */
let repo: TestRepository;
beforeAll(() => {
  repo = TestRepository.create();
  const zoe = (name: string, date: string, files: Record<string, string | null>) =>
    repo.commit({ author: `${name} <zoe@example.com>`, at: date, files });
  zoe('Zo\u00e9', '2016-01-04T10:00:00Z', {
    'src/app.py': 'a = 1\n',
    'src/util.py': 'u = 1\n',
    'docs/guide.rst': 'Guide\n',
    'CHANGES.rst': '1.0\n',
    'package-lock.json': '{}\n',
  });
  zoe('Zoe\u0301', '2016-02-01T10:00:00Z', {
    'src/app.py': 'a = 2\n',
    'docs/guide.rst': 'Guide 2\n',
    'CHANGES.rst': '1.1\n',
    'package-lock.json': '{"a":1}\n',
  });
  const max = (date: string, files: Record<string, string | null>) => repo.commit({ author: 'Max <max@example.com>', at: date, files });
  max('2016-03-01T10:00:00Z', { 'src/old.py': 'o\n', 'requirements/dev.txt': 'x\n', 'requirements/test.txt': 'y\n' });
  max('2016-03-15T10:00:00Z', {
    'src/old.py': null,
    'src/app.py': 'a = 3\n',
    'requirements/dev.txt': 'x2\n',
    'requirements/test.txt': 'y2\n',
  });
  max('2016-04-01T10:00:00Z', { 'src/util.py': 'u = 2\n', 'CHANGES.rst': '1.2\n', 'package-lock.json': '{"a":2}\n' });
});
afterAll(() => repo.remove());

const options = (overrides: Partial<Record<keyof AnalysisOptions, unknown>> = {}) => analysisOptionsSchema.parse(overrides);
const run = async <R>(name: Parameters<typeof runAnalysis>[0], overrides = {}) =>
  (await runAnalysis(name, { kind: 'repo', repo: repo.dir }, options(overrides))).result as R;

describe('files are classified once for every analysis', () => {
  it('classes: vendored, generated, lockfile, documentation, binary; everything else is code', () => {
    expect(
      ['vendor/x.js', 'api.pb.go', 'package-lock.json', 'requirements/dev.txt', 'CHANGES.rst', 'docs/a.md', 'logo.png', 'src/app.py'].map(
        defaultExclusionReason,
      ),
    ).toEqual(['vendored', 'generated', 'lockfile', 'lockfile', 'documentation', 'documentation', 'binary', null]);
  });

  it("vendored: copies of well-known libraries and build output, by Linguist's vendor rules", () => {
    // AngularJS 1.x carries ~730 generated src/ngLocale/angular-locale_*.js; Linguist (so Avelino et al.'s tool) leaves
    // them out, and with them in, angular/angular.js at 2016-11-30 has truck factor 3 instead of the published 6.
    expect(
      [
        'src/ngLocale/angular-locale_fr.js',
        'test/jquery_alias.js',
        'lib/jquery-2.1.js',
        'assets/bootstrap.css',
        'dist/vue.js',
        'js/app-min.js',
        'src/angle.js',
        'src/query.js',
      ].map(defaultExclusionReason),
    ).toEqual(['vendored', 'vendored', 'vendored', 'vendored', 'vendored', 'vendored', null, null]);
  });
});

describe('code analyses look at code, at the analysed revision', () => {
  it('hotspots rank code only: CHANGES.rst, docs and the lockfile are left out by default', async () => {
    const rows = await run<Array<{ entity: string }>>('hotspots');
    // Revisions: src/app.py c1 c2 c4 = 3, src/util.py c1 c5 = 2; CHANGES.rst (3) and package-lock.json (3) would lead otherwise.
    expect(rows.map((r) => r.entity)).toEqual(['src/app.py', 'src/util.py']);
    const all = await run<Array<{ entity: string }>>('hotspots', { defaultExcludes: false });
    expect(all.map((r) => r.entity)).toContain('CHANGES.rst');
  });

  it('coupling pairs are code: requirements/*.txt (changed together twice) are no pair by default', async () => {
    const pairs = await run<CouplingRow[]>('coupling', { minRevs: 1, minSharedRevs: 1, minCoupling: 1 });
    expect(pairs.some((p) => p.entity.startsWith('requirements/'))).toBe(false);
    const all = await run<CouplingRow[]>('coupling', { minRevs: 1, minSharedRevs: 1, minCoupling: 1, defaultExcludes: false });
    expect(all.some((p) => p.entity === 'requirements/dev.txt' && p.coupled === 'requirements/test.txt')).toBe(true);
  });

  it('code age counts the files of the analysed revision: the deleted src/old.py has no age', async () => {
    const rows = await run<AgeRow[]>('age', { ageTimeNow: '2016-06-01' });
    // src/app.py last changed 2016-03-15 -> 2 whole months to 06-01; src/util.py 04-01 -> 2.
    expect(rows).toEqual([
      { entity: 'src/app.py', ageMonths: 2, lastChange: '2016-03-15' },
      { entity: 'src/util.py', ageMonths: 2, lastChange: '2016-04-01' },
    ]);
  });
});

describe('people', () => {
  it('one person whose name is typed in two Unicode forms counts once (NFC)', async () => {
    const report = await run<TruckFactorReport>('truck-factor');
    const names = new Set(report.files.flatMap((f) => f.authors));
    expect([...names].sort()).toEqual(['Max', 'Zo\u00e9']);
  });

  it('knowledge risk judges inactivity against the analysed revision (2016-04-01), not today', async () => {
    // Newest commit 2016-04-01; 180 days back is 2015-10-04: Zoé (last 2016-02-01) and Max are active,
    // so nothing is orphaned. Judged against today (2026) every file would be.
    const report = await run<KnowledgeRiskReport>('knowledge-risk');
    expect(report.asOf).toBe('2016-04-01');
    expect(report.authors.every((a) => a.active)).toBe(true);
    expect(report.files).toEqual([]);
  });

  it('truck factor reads source code only: documentation out, as the paper discards non-source files with Linguist', async () => {
    const report = await run<TruckFactorReport>('truck-factor');
    expect(report.files.map((f) => f.path)).not.toContain('docs/guide.rst');
    expect(report.excluded).toEqual(
      expect.arrayContaining([
        { path: 'docs/guide.rst', reason: 'documentation' },
        { path: 'CHANGES.rst', reason: 'documentation' },
      ]),
    );
    const kept = await run<TruckFactorReport>('truck-factor', { excludeDocumentation: false });
    expect(kept.files.map((f) => f.path)).toEqual(expect.arrayContaining(['docs/guide.rst', 'CHANGES.rst']));
  });
});
