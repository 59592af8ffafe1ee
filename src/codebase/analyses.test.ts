import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANALYSES, type KnowledgeRiskReport, type TruckFactorReport } from './analyses.js';
import { analysisOptionsSchema, type AnalysisName, type AnalysisOptions } from './model.js';
import { runAnalysis } from './run-analysis.js';
import { buildCodebaseFixture, type TestRepository } from '../test-support/git-repository.js';

/**
 * Every analysis over the fixture history of test-git-repo.ts (c1..c9), with
 * each expected value worked out by hand from that table. Recurring facts:
 *
 * - The rename c4 is followed: src/b.ts's history counts for src/lib/b.ts.
 * - .mailmap merges "Ann Lee" <ann@home.example> (c3) into Ann.
 * - The merge c8 lists no files, so it is not a commit of the analysis.
 * - Revisions: src/a.ts c1 c2 c3 c6 = 4; src/lib/b.ts c1 c2 c4 c5 = 4;
 *   logo.png c1 c5 = 2; src/c.ts, README.md and gen/1..4.txt 1 each.
 */
let repo: TestRepository;
beforeAll(() => {
  repo = buildCodebaseFixture();
});
afterAll(() => repo.remove());

function options(overrides: Partial<Record<keyof AnalysisOptions, unknown>> = {}): AnalysisOptions {
  return analysisOptionsSchema.parse(overrides);
}

/**
 * code-maat analyses every file, and these expectations follow code-maat: the
 * default that leaves non-code out of hotspots, coupling, soc and age is off
 * here (fidelity.test.ts covers the defaults).
 */
async function csv(name: AnalysisName, overrides: Partial<Record<keyof AnalysisOptions, unknown>> = {}): Promise<string> {
  const run = await runAnalysis(name, { kind: 'repo', repo: repo.dir }, options({ defaultExcludes: false, ...overrides }));
  return ANALYSES[name].csv(run.result);
}

const lines = (...rows: string[]) => rows.join('\n') + '\n';

describe('change frequency and authors', () => {
  it('revisions: commits per file, renames followed, the merge adds nothing', async () => {
    expect(await csv('revisions')).toBe(
      lines(
        'entity,n-revs',
        'src/a.ts,4',
        'src/lib/b.ts,4',
        'logo.png,2',
        'README.md,1',
        'gen/1.txt,1',
        'gen/2.txt,1',
        'gen/3.txt,1',
        'gen/4.txt,1',
        'src/c.ts,1',
      ),
    );
  });

  it('authors: Ann and Ann Lee are one author through .mailmap', async () => {
    // src/a.ts: Ann (c1, c3 as Ann Lee), Bob (c2), Cy (c6) = 3 authors; src/lib/b.ts: Ann, Bob (c2, c4), Cy = 3.
    expect(await csv('authors')).toBe(
      lines(
        'entity,n-authors,n-revs',
        'src/a.ts,3,4',
        'src/lib/b.ts,3,4',
        'logo.png,2,2',
        'README.md,1,1',
        'gen/1.txt,1,1',
        'gen/2.txt,1,1',
        'gen/3.txt,1,1',
        'gen/4.txt,1,1',
        'src/c.ts,1,1',
      ),
    );
  });

  it('summary: 8 commits with changes (c8 is an empty merge), 9 files, 16 file changes, 3 authors', async () => {
    // File changes: c1 3 + c2 2 + c3 1 + c4 1 + c5 2 + c6 2 + c7 1 + c9 4 = 16.
    expect(await csv('summary')).toBe(
      lines('statistic,value', 'number-of-commits,8', 'number-of-entities,9', 'number-of-entities-changed,16', 'number-of-authors,3'),
    );
  });

  it('--include, --exclude and --since/--until select files and commits', async () => {
    expect(await csv('revisions', { include: ['src/**'], exclude: ['**/c.ts'] })).toBe(
      lines('entity,n-revs', 'src/a.ts,4', 'src/lib/b.ts,4'),
    );
    // Feb 1 .. Mar 5: c3 (src/a.ts), c4 (rename of b), c5 (src/lib/b.ts, logo.png).
    expect(await csv('revisions', { since: '2024-02-01', until: '2024-03-05' })).toBe(
      lines('entity,n-revs', 'src/lib/b.ts,2', 'logo.png,1', 'src/a.ts,1'),
    );
    // Globs match the latest name: c1 and c2 changed "src/b.ts", counted as src/lib/b.ts.
    expect(await csv('revisions', { include: ['src/lib/**'], until: '2024-01-31' })).toBe(lines('entity,n-revs', 'src/lib/b.ts,2'));
  });
});

describe('churn (line counts from --numstat)', () => {
  it('abs-churn: lines per day; the binary logo counts 0 and the pure rename 0/0', async () => {
    // c1: a +3, b +2, logo -/- = 5/0; c2: a +1, b +1 -1 = 2/1; c3: 2/1; c4: 0/0; c5: b +1 = 1/0;
    // c6: c +2, a +1 = 3/0; c7: 1/0; c9: 4 x 1 = 4/0. One commit per day.
    expect(await csv('abs-churn')).toBe(
      lines(
        'date,added,deleted,commits',
        '2024-01-10,5,0,1',
        '2024-01-20,2,1,1',
        '2024-02-05,2,1,1',
        '2024-02-15,0,0,1',
        '2024-03-01,1,0,1',
        '2024-03-10,3,0,1',
        '2024-03-12,1,0,1',
        '2024-04-01,4,0,1',
      ),
    );
  });

  it('author-churn: Ann c1+c3+c7, Bob c2+c4+c9, Cy c5+c6', async () => {
    expect(await csv('author-churn')).toBe(lines('author,added,deleted,commits', 'Ann,8,1,3', 'Bob,6,1,3', 'Cy,4,0,2'));
  });

  it('entity-churn: sorted by lines added', async () => {
    // src/a.ts 3+1+2+1 = 7 added, 1 deleted (c3); src/lib/b.ts 2+1+0+1 = 4 added, 1 deleted (c2).
    expect(await csv('entity-churn')).toBe(
      lines(
        'entity,added,deleted,commits',
        'src/a.ts,7,1,4',
        'src/lib/b.ts,4,1,4',
        'src/c.ts,2,0,1',
        'README.md,1,0,1',
        'gen/1.txt,1,0,1',
        'gen/2.txt,1,0,1',
        'gen/3.txt,1,0,1',
        'gen/4.txt,1,0,1',
        'logo.png,0,0,2',
      ),
    );
  });

  it('entity-ownership: lines per file and author', async () => {
    expect(await csv('entity-ownership', { include: ['src/**', 'logo.png'] })).toBe(
      lines(
        'entity,author,added,deleted',
        'logo.png,Ann,0,0',
        'logo.png,Cy,0,0',
        'src/a.ts,Ann,5,1',
        'src/a.ts,Bob,1,0',
        'src/a.ts,Cy,1,0',
        'src/c.ts,Cy,2,0',
        'src/lib/b.ts,Ann,2,0',
        'src/lib/b.ts,Bob,1,1',
        'src/lib/b.ts,Cy,1,0',
      ),
    );
  });

  it('main-dev: most lines added; 5/7 rounds to 0.71; a file with no added lines owns 0.0', async () => {
    // logo.png: Ann and Cy both added 0 lines: the tie goes to the first name, ownership 0 / max(0, 1) = 0.
    expect(await csv('main-dev', { include: ['src/**', 'logo.png'] })).toBe(
      lines(
        'entity,main-dev,added,total-added,ownership',
        'logo.png,Ann,0,0,0.0',
        'src/a.ts,Ann,5,7,0.71',
        'src/c.ts,Cy,2,2,1.0',
        'src/lib/b.ts,Ann,2,4,0.5',
      ),
    );
  });
});

describe('effort (revisions per author)', () => {
  it('main-dev-by-revs: Bob made 2 of the 4 revisions of src/lib/b.ts (c2, c4)', async () => {
    expect(await csv('main-dev-by-revs', { include: ['src/**', 'logo.png'] })).toBe(
      lines(
        'entity,main-dev,added,total-added,ownership',
        'logo.png,Ann,1,2,0.5',
        'src/a.ts,Ann,2,4,0.5',
        'src/c.ts,Cy,1,1,1.0',
        'src/lib/b.ts,Bob,2,4,0.5',
      ),
    );
  });

  it('fragmentation: 1 - (2²+1²+1²)/4² = 0.625, rounded half up to 0.63', async () => {
    expect(await csv('fragmentation', { include: ['src/**', 'logo.png'] })).toBe(
      lines('entity,fractal-value,total-revs', 'src/a.ts,0.63,4', 'src/lib/b.ts,0.63,4', 'logo.png,0.5,2', 'src/c.ts,0.0,1'),
    );
  });
});

describe('age', () => {
  it('whole months from the last change to --age-time-now', async () => {
    // Now 2024-06-05. Mar 10 + 2 months = May 10 <= Jun 5 < Jun 10: 2. Mar 1 + 3 = Jun 1 <= Jun 5: 3. Apr 1 + 2 = Jun 1: 2.
    expect(await csv('age', { ageTimeNow: '2024-06-05' })).toBe(
      lines(
        'entity,age-months',
        'README.md,2',
        'gen/1.txt,2',
        'gen/2.txt,2',
        'gen/3.txt,2',
        'gen/4.txt,2',
        'src/a.ts,2',
        'src/c.ts,2',
        'logo.png,3',
        'src/lib/b.ts,3',
      ),
    );
  });

  it('only changes strictly before now count, as in code-maat', async () => {
    // Now 2024-04-01: c9 (gen/*) is dated that day and does not count. Mar 1 + 1 month = Apr 1: 1.
    expect(await csv('age', { ageTimeNow: '2024-04-01' })).toBe(
      lines('entity,age-months', 'README.md,0', 'src/a.ts,0', 'src/c.ts,0', 'logo.png,1', 'src/lib/b.ts,1'),
    );
  });
});

describe('coupling', () => {
  // Change sets: c1 {logo, a, b}, c2 {a, b}, c3 {a}, c4 {b}, c5 {b, logo}, c6 {a, c}, c7 {README},
  // c9 {gen/1..4}. Revisions (c9 dropped when the limit is 3): a 4, b 4, logo 2, c 1, README 1.
  // Shared: logo-a 1 (c1), logo-b 2 (c1, c5), a-b 2 (c1, c2), a-c 1 (c6).
  // degree = 200 * shared / (revs1 + revs2): logo-b 400/6 = 66.7, a-b 400/8 = 50, a-c 200/5 = 40, logo-a 200/6 = 33.3.
  const loose = { minRevs: 1, minSharedRevs: 1, minCoupling: 0, maxChangesetSize: 3 };

  it('degree and average revisions, truncated and rounded up as code-maat prints them', async () => {
    expect(await csv('coupling', loose)).toBe(
      lines(
        'entity,coupled,degree,average-revs',
        'logo.png,src/lib/b.ts,66,3',
        'src/a.ts,src/lib/b.ts,50,4',
        'src/a.ts,src/c.ts,40,3',
        'logo.png,src/a.ts,33,3',
      ),
    );
  });

  it('a commit changing more files than --max-changeset-size is dropped first', async () => {
    // With the default limit (30) c9 counts: its 6 pairs of gen files share 1 of 1 revisions: degree 100.
    const withBulk = await csv('coupling', { ...loose, maxChangesetSize: 30 });
    expect(withBulk.split('\n').slice(1, 7)).toEqual([
      'gen/1.txt,gen/2.txt,100,1',
      'gen/1.txt,gen/3.txt,100,1',
      'gen/1.txt,gen/4.txt,100,1',
      'gen/2.txt,gen/3.txt,100,1',
      'gen/2.txt,gen/4.txt,100,1',
      'gen/3.txt,gen/4.txt,100,1',
    ]);
    expect(await csv('coupling', { ...loose, maxChangesetSize: 4 })).toContain('gen/1.txt,gen/2.txt,100,1');
    expect(await csv('coupling', loose)).not.toContain('gen/');
  });

  it('applies each threshold at its boundary', async () => {
    // min-coupling 40 keeps a-c at exactly 40 and drops logo-a (33.3).
    expect(await csv('coupling', { ...loose, minCoupling: 40 })).not.toContain('logo.png,src/a.ts');
    expect(await csv('coupling', { ...loose, minCoupling: 40 })).toContain('src/a.ts,src/c.ts,40,3');
    // min-shared-revs 2 keeps the pairs sharing c1 and a second commit.
    expect(await csv('coupling', { ...loose, minSharedRevs: 2 })).toBe(
      lines('entity,coupled,degree,average-revs', 'logo.png,src/lib/b.ts,66,3', 'src/a.ts,src/lib/b.ts,50,4'),
    );
    // min-revs compares the exact average: a-c averages 2.5 < 3 and is dropped; logo pairs average 3.
    expect(await csv('coupling', { ...loose, minRevs: 3 })).not.toContain('src/c.ts');
    expect(await csv('coupling', { ...loose, minRevs: 3 })).toContain('logo.png,src/a.ts,33,3');
    // max-coupling 50 keeps a-b (50) and drops logo-b (66).
    expect(await csv('coupling', { ...loose, maxCoupling: 50 })).not.toContain('logo.png,src/lib/b.ts');
    // code-maat's defaults (5 revisions, 5 shared) leave nothing in so short a history.
    expect(await csv('coupling')).toBe('entity,coupled,degree,average-revs\n');
  });

  it('soc: shared revisions summed per file, sorted by soc then name descending', async () => {
    // a: 1 (logo) + 2 (b) + 1 (c) = 4; b: 2 + 2 = 4; logo: 1 + 2 = 3; c: 1; README changed alone: 0.
    expect(await csv('soc', { maxChangesetSize: 3 })).toBe(
      lines('entity,soc', 'src/lib/b.ts,4', 'src/a.ts,4', 'logo.png,3', 'src/c.ts,1', 'README.md,0'),
    );
  });
});

describe('hotspots', () => {
  it('revisions x non-blank lines at HEAD, with indentation complexity; binary files are not hotspots', async () => {
    // src/a.ts at HEAD: a1 (0), "  A2" (0.5), "\ta3" (1), "    a4" (1), "      a5" (1.5), "\t\ta6" (2):
    // 6 lines, total 6, mean 1, max 2; score 4 x 6 = 24. src/lib/b.ts: 3 flat lines, 4 x 3 = 12.
    expect(await csv('hotspots')).toBe(
      lines(
        'entity,n-revs,lines,complexity-total,complexity-mean,complexity-max,score',
        'src/a.ts,4,6,6,1,2,24',
        'src/lib/b.ts,4,3,0,0,0,12',
        'src/c.ts,1,2,0,0,0,2',
        'README.md,1,1,0,0,0,1',
        'gen/1.txt,1,1,0,0,0,1',
        'gen/2.txt,1,1,0,0,0,1',
        'gen/3.txt,1,1,0,0,0,1',
        'gen/4.txt,1,1,0,0,0,1',
      ),
    );
  });

  it('gives the top hotspots their revisions per month, quiet months included', async () => {
    const run = await runAnalysis('hotspots', { kind: 'repo', repo: repo.dir }, options({ top: 2, defaultExcludes: false }));
    const rows = run.result as Array<{ entity: string; trend?: Array<{ month: string; revisions: number }> }>;
    // src/a.ts: January c1 c2, February c3, March c6. src/lib/b.ts: January c1 c2, February c4, March c5.
    expect(rows[0]?.trend).toEqual([
      { month: '2024-01', revisions: 2 },
      { month: '2024-02', revisions: 1 },
      { month: '2024-03', revisions: 1 },
    ]);
    expect(rows[1]?.entity).toBe('src/lib/b.ts');
    expect(rows[1]?.trend).toHaveLength(3);
    expect(rows[2]?.trend).toBeUndefined();
  });
});

describe('truck factor and knowledge risk', () => {
  // DOA = 3.293 + 1.098 FA + 0.164 DL - 0.321 ln(1 + AC), worked per file as the authors' tool does
  // (aserg-ufmg/Truck-Factor): the creating commit gives FA = 1 and is not a delivery; DL and AC count
  // later changes; an author needs DOA/max > 0.75 and (DOA >= 3.293 or FA = 1).
  // src/a.ts (c1 Ann creates; c2 Bob, c3 Ann, c6 Cy): Ann FA=1 DL=1 AC=2: 4.202; Bob, Cy DL=1 AC=2: 3.104
  //   (< 3.293, and 3.104/4.202 = 0.739) -> Ann.
  // src/lib/b.ts (c1 Ann; c2 Bob, c4 Bob's rename, c5 Cy): Ann FA=1 DL=0 AC=3: 3.946; Bob DL=2 AC=1: 3.399
  //   (0.861 of Ann's, >= 3.293); Cy DL=1 AC=2: 3.104 -> Ann and Bob.
  // logo.png (c1 Ann; c5 Cy): Ann 4.169; Cy DL=1 AC=0: 3.457 (0.829) -> Ann and Cy.
  // src/c.ts: Cy. README.md: Ann (documentation: out by default, as in the paper). gen/1..4.txt: Bob.
  // Authored: Bob 5 (b.ts, gen x4), Ann 4 (a, b, logo, README), Cy 2 (logo, c).
  it('reads code only, as the paper: removes Bob (5 of 7 files), leaving 3/7 covered: truck factor 1', async () => {
    // README.md (documentation) and logo.png (binary) are out: Avelino et al. keep what Linguist counts as source code.
    const run = await runAnalysis('truck-factor', { kind: 'repo', repo: repo.dir }, options());
    const report = run.result as TruckFactorReport;
    expect(report.files).toHaveLength(7);
    expect(report.excluded).toEqual([
      { path: 'README.md', reason: 'documentation' },
      { path: 'logo.png', reason: 'binary' },
    ]);
    expect(report.coverage).toBe(1);
    expect(report.developers).toEqual([
      { name: 'Bob', authoredFiles: 5, soleFiles: ['gen/1.txt', 'gen/2.txt', 'gen/3.txt', 'gen/4.txt'], coverageAfter: 3 / 7 },
    ]);
    expect(report.truckFactor).toBe(1);
    expect(report.files.find((f) => f.path === 'src/lib/b.ts')?.authors).toEqual(['Ann', 'Bob']);
  });

  it('keeps documentation with excludeDocumentation false (8 files: Bob 5, Ann 3, Cy 1)', async () => {
    const run = await runAnalysis('truck-factor', { kind: 'repo', repo: repo.dir }, options({ excludeDocumentation: false }));
    const report = run.result as TruckFactorReport;
    // Removing Bob leaves a, b, README, c: exactly 4/8 = 50% (not below half), then Ann: c = 1/8. Truck factor 2.
    expect(report.files).toHaveLength(8);
    expect(report.excluded).toEqual([{ path: 'logo.png', reason: 'binary' }]);
    expect(report.developers).toEqual([
      { name: 'Bob', authoredFiles: 5, soleFiles: ['gen/1.txt', 'gen/2.txt', 'gen/3.txt', 'gen/4.txt'], coverageAfter: 0.5 },
      { name: 'Ann', authoredFiles: 3, soleFiles: ['README.md', 'src/a.ts'], coverageAfter: 1 / 8 },
    ]);
    expect(report.truckFactor).toBe(2);
  });

  it('keeps every file with defaultExcludes false (9 files): Bob, then Ann (2/9): truck factor 2', async () => {
    const run = await runAnalysis('truck-factor', { kind: 'repo', repo: repo.dir }, options({ defaultExcludes: false }));
    const report = run.result as TruckFactorReport;
    expect(report.files).toHaveLength(9);
    expect(report.files.find((f) => f.path === 'logo.png')?.authors).toEqual(['Ann', 'Cy']);
    expect(report.developers.map((d) => [d.name, d.coverageAfter])).toEqual([
      ['Bob', 5 / 9],
      ['Ann', 2 / 9],
    ]);
    expect(report.excluded).toEqual([]);
  });

  it('knowledge risk: files whose authors all stopped committing, and an off-boarding', async () => {
    // Now 2024-06-05, inactive after 70 days: cutoff 2024-03-27. Last commits: Ann 03-12 (the merge c8
    // changes no file and is not a commit of the analysis), Cy 03-10, Bob 04-01 (active).
    const run = await runAnalysis(
      'knowledge-risk',
      { kind: 'repo', repo: repo.dir },
      options({ ageTimeNow: '2024-06-05', inactiveDays: 70, without: ['bob'] }),
    );
    const report = run.result as KnowledgeRiskReport;
    expect(report.authors).toEqual([
      { name: 'Ann', lastCommit: '2024-03-12', active: false, leaving: false },
      { name: 'Bob', lastCommit: '2024-04-01', active: true, leaving: true },
      { name: 'Cy', lastCommit: '2024-03-10', active: false, leaving: false },
    ]);
    // src/lib/b.ts (Ann inactive, Bob leaving) and gen/* (Bob) are orphaned once Bob leaves; src/a.ts (Ann) and
    // src/c.ts (Cy) already are. README.md and logo.png are not code: out, as for the truck factor.
    expect(report.files.map((f) => `${f.cause} ${f.entity}`)).toEqual([
      'inactive src/a.ts',
      'inactive src/c.ts',
      'leaving gen/1.txt',
      'leaving gen/2.txt',
      'leaving gen/3.txt',
      'leaving gen/4.txt',
      'leaving src/lib/b.ts',
    ]);
    expect(report.modules).toEqual([
      { module: 'gen', files: 4, inactive: 0, leaving: 4 },
      { module: 'src', files: 3, inactive: 2, leaving: 1 },
    ]);
    const csvText = ANALYSES['knowledge-risk'].csv(report);
    expect(csvText.split('\n')[0]).toBe('entity,authors,cause');
    expect(csvText).toContain('src/a.ts,Ann,inactive');
  });

  it('rejects an off-boarding of someone who never committed', async () => {
    const run = runAnalysis('knowledge-risk', { kind: 'repo', repo: repo.dir }, options({ without: ['Dora'] }));
    await expect(run).rejects.toMatchObject({
      issues: [{ field: 'without[0]', message: 'no author named "Dora" in the analysed history' }],
    });
  });
});

describe('reading the same history from a code-maat git2 log', () => {
  it('--no-renames logs keep old and new names apart, as code-maat does; -M logs are followed', async () => {
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const format = ['--numstat', '--date=short', '--pretty=format:--%h--%ad--%aN'];
    const plain = join(repo.dir, '..', `${repo.dir.split('/').pop()}-plain.log`);
    const renamed = join(repo.dir, '..', `${repo.dir.split('/').pop()}-renamed.log`);
    // git() drops the log's final newline; the file keeps it, as `git log > file` would.
    writeFileSync(plain, repo.git(['log', '--all', ...format, '--no-renames']) + '\n');
    writeFileSync(renamed, repo.git(['log', '--all', ...format, '-M']) + '\n');
    const revisions = async (file: string) =>
      ANALYSES.revisions.csv((await runAnalysis('revisions', { kind: 'log', file }, options())).result);
    // Without renames c4 deletes src/b.ts and adds src/lib/b.ts: b.ts c1 c2 c4 = 3, lib/b.ts c4 c5 = 2.
    const plainCsv = await revisions(plain);
    expect(plainCsv).toContain('src/b.ts,3\n');
    expect(plainCsv).toContain('src/lib/b.ts,2\n');
    expect(await revisions(renamed)).toBe(await csv('revisions'));
    // Line counts and authors agree with the repository reading too (%aN applies .mailmap).
    const churn = await runAnalysis('author-churn', { kind: 'log', file: renamed }, options());
    expect(ANALYSES['author-churn'].csv(churn.result)).toBe(await csv('author-churn'));
  });
});
