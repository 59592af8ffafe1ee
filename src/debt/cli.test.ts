import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCliContext } from '../cli/cli-context.js';
import type { OutputStreams } from '../kit/cli/output.js';
import { runCli } from '../test-support/cli.js';
import { TestRepository } from '../test-support/git-repository.js';
import { makeTempDir } from '../test-support/stores.js';
import { registerDebtCommands } from './cli.js';

/** Runs `sextant work|capacity|debt ...` in-process with captured output. */
async function sextant(args: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const streams: OutputStreams = { stdout, stderr, noColor: true };
  const program = new Command('sextant').option('-w, --workspace <dir>').option('--database-url <url>').exitOverride();
  registerDebtCommands(program, createCliContext({}, streams));
  process.exitCode = undefined;
  await program.parseAsync(['node', 'sextant', ...args]);
  const code = process.exitCode ?? 0;
  process.exitCode = undefined;
  return { code, stdout: out, stderr: err };
}

const ANN = 'Ann <ann@example.com>';
const BOB = 'Bob <bob@example.com>';
const OLD = 'Olga <olga@example.com>';
/** "Now" for every command: evidence windows are the 90 days before it. */
const AT = '2024-06-30T00:00:00Z';

/**
 * A repository whose evidence is worked out by hand:
 * - src/engine.ts: 40 lines, 8 revisions (Ann and Bob), 5 of them in the 90 days before AT
 *   -> score 8 x 40 = 320, the top hotspot of 6 files (top 5% of 6 = 1 file), changed recently.
 * - legacy/ledger.ts and legacy/rates.ts: written only by Olga, last on 2023-12-01 (212 days before AT,
 *   over the 90-day limit) -> the "legacy" folder's knowledge sits with one inactive person.
 * - src/util.ts, src/api.ts, README.md: one commit each by Ann, recently: active, small.
 */
function buildRepository(): TestRepository {
  const repo = TestRepository.create({ prefix: 'sextant-debt-' });
  const lines = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${'  '.repeat(i % 4)}${tag} ${i}`).join('\n') + '\n';
  repo.commit({
    author: OLD,
    at: '2023-11-01T10:00:00Z',
    files: { 'legacy/ledger.ts': lines(12, 'ledger'), 'legacy/rates.ts': lines(8, 'rates') },
  });
  repo.commit({ author: OLD, at: '2023-12-01T10:00:00Z', files: { 'legacy/ledger.ts': lines(13, 'ledger') } });
  const dates = ['2024-01-05', '2024-02-10', '2024-03-20', '2024-04-10', '2024-05-01', '2024-05-20', '2024-06-05', '2024-06-20'];
  dates.forEach((date, i) =>
    repo.commit({ author: i % 2 === 0 ? ANN : BOB, at: `${date}T10:00:00Z`, files: { 'src/engine.ts': lines(40, `engine v${i}`) } }),
  );
  repo.commit({
    author: ANN,
    at: '2024-06-21T10:00:00Z',
    files: { 'src/util.ts': 'export const x = 1;\n', 'src/api.ts': 'export {};\n', 'README.md': 'hello\n' },
  });
  return repo;
}

describe('sextant debt (a real repository, a real workspace)', () => {
  let repo: TestRepository;
  let workspace: string;
  const ws = () => ['--workspace', workspace];
  beforeAll(() => {
    repo = buildRepository();
    workspace = makeTempDir('sextant-debt-ws-');
    fs.writeFileSync(
      path.join(workspace, 'sextant.yaml'),
      [
        'version: 1',
        'teams: [{ id: core, name: Core }]',
        'repositories:',
        `  - { id: app, path: ${JSON.stringify(repo.dir)} }`,
        'services:',
        '  - { id: engine, name: Engine, team: core, repositories: [{ repo: app }] }',
        'debt:',
        '  target: 0.25',
        '',
      ].join('\n'),
    );
    const sync = runCli(['sync', '--workspace', workspace]);
    expect(sync.stderr).not.toMatch(/error/i);
    expect(sync.status).toBe(0);
  }, 120_000);
  afterAll(() => {
    repo.remove();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('proposes the hotspot and the knowledge-debt folder, with evidence', async () => {
    const result = await sextant(['debt', 'candidates', '--json', '--at', AT, ...ws()]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const { items } = JSON.parse(result.stdout) as {
      items: Array<{ key: string; kind: string; paths: string[]; evidence: Record<string, unknown> }>;
    };
    expect(items.map((c) => c.key).sort()).toEqual(['hotspot:app:src/engine.ts', 'knowledge:app:legacy']);
    const hotspot = items.find((c) => c.kind === 'hotspot');
    // 8 revisions x 40 lines; 5 commits on or after 2024-04-01 (90 days before AT). Hotspots rank code
    // only by default (docs/metrics/codebase.md): the 6 files less README.md are 5.
    expect(hotspot?.evidence).toMatchObject({ hotspotRank: 1, hotspots: 5, revisions: 8, revisions90: 5, lines: 40, score: 320 });
    const knowledge = items.find((c) => c.kind === 'knowledge');
    expect(knowledge?.paths).toEqual(['legacy']);
    expect(knowledge?.evidence).toMatchObject({
      files: 2,
      orphanedFiles: 2,
      soleAuthor: 'Olga',
      lastCommit: '2023-12-01',
      inactiveDays: 90,
    });
  });

  it('accepts one candidate into the register with its evidence, and remembers a dismissal', async () => {
    const accepted = await sextant(['debt', 'accept', 'hotspot:app:src/engine.ts', '--principal', '3', '--at', AT, ...ws()]);
    expect(accepted).toMatchObject({ code: 0, stdout: 'accepted hotspot:app:src/engine.ts as hotspot-src-engine-ts\n' });
    const dismissed = await sextant([
      'debt',
      'dismiss',
      'knowledge:app:legacy',
      '--reason',
      'Olga is back next month',
      '--at',
      AT,
      ...ws(),
    ]);
    expect(dismissed.code).toBe(0);
    // Neither is proposed again: one is in the register, the other dismissed.
    const after = JSON.parse((await sextant(['debt', 'candidates', '--json', '--at', AT, ...ws()])).stdout) as { items: unknown[] };
    expect(after.items).toEqual([]);

    const list = JSON.parse((await sextant(['debt', 'list', '--json', '--at', AT, ...ws()])).stdout) as {
      items: Array<{ id: string; status: string; terms: Record<string, number>; evidence: Record<string, unknown> }>;
    };
    expect(list.items).toHaveLength(1);
    const [item] = list.items;
    // Evidence for src/engine.ts: 5 revisions in 90 days -> change 0.5; top of 5 code hotspots -> hotspot 1;
    // authors Ann and Bob -> no sole author; no deployments or incidents recorded -> interest 0.
    expect(item?.evidence).toMatchObject({
      revisions90: 5,
      hotspotRank: 1,
      hotspotCount: 5,
      soleAuthorShare: 0,
      knowledgeRisk: 0,
      incidents90: 0,
    });
    expect(item?.terms).toMatchObject({ change: 0.5, interest: 0, risk: 1, principalDays: 3 });
    // (0 + 1 + 0.5) / 3 = 0.5
    expect(item?.terms.score).toBeCloseTo(0.5, 10);
  });

  it('warns (and keeps the item) when a path does not exist in the repository', async () => {
    const result = await sextant(['debt', 'add', '--title', 'Old importer', '--repository', 'app', '--path', 'src/importer', ...ws()]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('warning: path "src/importer" does not exist in the repository\'s current tree\n');
    expect(result.stdout).toBe('added old-importer\n');
  });

  it('rejects a work file with a bad date and writes nothing; a good one imports, idempotently', async () => {
    const good = path.join(workspace, 'good.csv');
    fs.writeFileSync(
      good,
      'id,team,title,type,labels,state,created,completed\nC-1,core,Tidy,chore,tech-debt,done,2024-06-03,2024-06-04\nC-2,core,Build,feature,,done,2024-06-03,2024-06-05\n',
    );
    const bad = path.join(workspace, 'bad.csv');
    fs.writeFileSync(
      bad,
      'id,team,title,type,labels,state,created,completed\nC-3,core,Ok,chore,,done,2024-06-03,2024-06-04\nC-4,core,Bad,chore,,done,2024-06-03,June 4th\n',
    );
    const rejected = await sextant(['work', 'import', '--file', bad, ...ws()]);
    expect(rejected.code).toBe(2);
    expect(rejected.stderr).toContain(`bad.csv:3 completed: "June 4th" is not a date`);
    const capacityOf = async () =>
      JSON.parse((await sextant(['capacity', '--json', ...ws()])).stdout) as {
        teams: Array<{ team: string; sprints: Array<{ items: number; debtShare: number; target: number }> }>;
      };
    // Nothing was written: no team has any sprint yet.
    expect((await capacityOf()).teams).toEqual([]);
    for (let i = 0; i < 2; i++)
      expect((await sextant(['work', 'import', '--file', good, ...ws()])).stdout).toMatch(/2 work items imported/);
    // Imported twice, still two items: 1 debt of 2 = 50% against the workspace's 25% target.
    expect((await capacityOf()).teams.map((t) => [t.team, t.sprints.map((s) => [s.items, s.debtShare, s.target])])).toEqual([
      ['core', [[2, 0.5, 0.25]]],
    ]);
  });
});
