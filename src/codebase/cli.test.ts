import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCliContext } from '../cli/cli-context.js';
import type { OutputStreams } from '../kit/cli/output.js';
import { makeTempDir } from '../test-support/stores.js';
import { registerCodebaseCommands } from './cli.js';
import { ANALYSIS_NAMES } from './model.js';
import { resolveSettings } from '../config/settings.js';
import { parseWorkspaceConfig } from '../workspace/workspace-file.js';
import { applyWorkspaceConfig, openWorkspaceStore } from '../workspace/workspace.js';
import { buildCodebaseFixture, TestRepository } from '../test-support/git-repository.js';

/** Runs `sextant code ...` in-process with captured output. */
async function sextant(args: string[], env: Record<string, string> = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const streams: OutputStreams = { stdout, stderr, noColor: true };
  const program = new Command('sextant').option('-w, --workspace <dir>').option('--database-url <url>').exitOverride();
  registerCodebaseCommands(program, createCliContext(env, streams));
  process.exitCode = undefined;
  await program.parseAsync(['node', 'sextant', ...args]);
  const code = process.exitCode ?? 0;
  process.exitCode = undefined;
  return { code, stdout: out, stderr: err };
}

const tmp = makeTempDir('sextant-code-cli-');
let repo: TestRepository;
beforeAll(() => {
  repo = buildCodebaseFixture({ mailmap: false });
});
afterAll(() => {
  repo.remove();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('sextant code', () => {
  it('prints the issue’s acceptance example exactly (a real process)', async () => {
    // Commit 1 touches A; commit 2 touches A and B. A: 2 revisions, B: 1, shared 1:
    // degree = 1 / ((2 + 1) / 2) * 100 = 66.7 -> 66; average revisions 1.5 -> 2.
    const log = path.join(tmp, 'two-commits.log');
    fs.writeFileSync(log, '--bbbbbbb--2024-01-02--Ann\n1\t0\tA\n1\t0\tB\n\n--aaaaaaa--2024-01-01--Ann\n1\t0\tA\n');
    const args = ['--import', 'tsx', 'src/cli/main.ts', 'code', 'coupling', '--log', log];
    const thresholds = ['--min-revs', '1', '--min-shared-revs', '1', '--min-coupling', '50', '--max-changeset-size', '10'];
    const { stdout } = await promisify(execFile)(process.execPath, [...args, ...thresholds], { cwd: process.cwd() });
    expect(stdout).toBe('entity,coupled,degree,average-revs\nA,B,66,2\n');
  });

  it('runs and prints every analysis on this project’s own repository', async () => {
    for (const name of ANALYSIS_NAMES) {
      const result = await sextant(['code', name, '--repo', process.cwd(), '--workspace', tmp]);
      // Code-only analyses state their file set on stderr; nothing else may appear there.
      const note = ['hotspots', 'coupling', 'soc', 'age'].includes(name)
        ? `${name}: code only; vendored, generated, lockfile, documentation and binary files are left out (--no-default-excludes keeps them)\n`
        : '';
      expect({ name, code: result.code, stderr: result.stderr }).toEqual({ name, code: 0, stderr: note });
      const firstLine = result.stdout.split('\n')[0] ?? '';
      // CSV analyses print code-maat's header; the two reports open with their headline.
      expect(firstLine).toMatch(
        name === 'truck-factor' ? /^Truck factor: \d+$/ : name === 'knowledge-risk' ? /^Knowledge risk as of / : /^[a-z-]+(,[a-z-]+)+$/,
      );
    }
  });

  it('says clearly when the folder is not a git repository, and exits 2', async () => {
    const plain = path.join(tmp, 'plain-folder');
    fs.mkdirSync(plain, { recursive: true });
    const result = await sextant(['code', 'revisions', '--repo', plain, '--workspace', tmp]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `error: Not a git repository\n  repo: ${plain} is not a git repository (no .git found here or in a parent folder)\n`,
    );
  });

  it('names the flag of an invalid option', async () => {
    const result = await sextant([
      'code',
      'coupling',
      '--repo',
      repo.dir,
      '--min-coupling',
      'lots',
      '--since',
      '2024-02-30',
      '--workspace',
      tmp,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('  --since: is not a calendar date\n');
    expect(result.stderr).toContain('  --min-coupling: ');
  });

  it('merges an author’s two emails through the workspace people', async () => {
    // Without .mailmap, c3's "Ann Lee" <ann@home.example> is a second author: Ann has c1 (5/0) and c7 (1/0).
    const alone = await sextant(['code', 'author-churn', '--repo', repo.dir, '--workspace', tmp]);
    expect(alone.stdout).toBe('author,added,deleted,commits\nAnn,6,0,2\nAnn Lee,2,1,1\nBob,6,1,3\nCy,4,0,2\n');
    const workspace = path.join(tmp, 'workspace');
    fs.mkdirSync(workspace, { recursive: true });
    fs.writeFileSync(
      path.join(workspace, 'sextant.yaml'),
      'version: 1\npeople:\n  - name: Ann Example\n    emails: [ann@work.example, ann@home.example]\n  - name: Cyrus\n    emails: [cy@example.com]\n',
    );
    const merged = await sextant(['code', 'author-churn', '--repo', repo.dir, '--workspace', workspace]);
    expect(merged.stdout).toBe('author,added,deleted,commits\nAnn Example,8,1,3\nBob,6,1,3\nCyrus,4,0,2\n');
  });

  it('truck-factor: a written report by default, --json with truckFactor, developers, files and excluded', async () => {
    const text = await sextant(['code', 'truck-factor', '--repo', repo.dir, '--workspace', tmp]);
    // The paper's file set (Avelino et al.): code only, so README.md and logo.png are out (worked in analyses.test.ts):
    // Bob authors 5 of the 7 files, 4 his alone; without him 3/7 have an author.
    expect(text.stdout).toContain('Truck factor: 1\n');
    expect(text.stdout).toContain('Files only Bob knows (4):\n  gen/1.txt\n');
    expect(text.stdout).toContain(
      "Files: Avelino et al.'s set (ICPC 2016), code only: vendored, generated, lockfile, documentation and binary files left out (--keep-docs keeps documentation).\n",
    );
    const json = JSON.parse((await sextant(['code', 'truck-factor', '--repo', repo.dir, '--json', '--workspace', tmp])).stdout);
    expect(json.truckFactor).toBe(1);
    expect(json.developers.map((d: { name: string }) => d.name)).toEqual(['Bob']);
    expect(json.files).toHaveLength(7);
    expect(json.excluded).toEqual([
      { path: 'README.md', reason: 'documentation' },
      { path: 'logo.png', reason: 'binary' },
    ]);
    // --keep-docs: README.md back, 8 files: Bob 5 files, 4 his alone, leaves 4/8; Ann 3 files, README.md and src/a.ts
    // hers alone, leaves 1/8.
    const csv = await sextant(['code', 'truck-factor', '--repo', repo.dir, '--csv', '--keep-docs', '--workspace', tmp]);
    expect(csv.stdout).toBe('developer,authored-files,sole-files,coverage-after\nBob,5,4,0.5\nAnn,3,2,0.13\n');
    const docsKept = await sextant(['code', 'truck-factor', '--repo', repo.dir, '--keep-docs', '--workspace', tmp]);
    expect(docsKept.stdout).toContain('Excluded by default (1 binary; --no-default-excludes keeps them):\n  binary:\n    logo.png\n');
  });

  it('knowledge-risk: a written report with modules and the files at risk', async () => {
    const args = [
      'code',
      'knowledge-risk',
      '--repo',
      repo.dir,
      '--age-time-now',
      '2024-06-05',
      '--inactive-days',
      '70',
      '--without',
      'Bob',
    ];
    const result = await sextant([...args, '--workspace', tmp]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Leaving (--without): Bob\n');
    expect(result.stdout).toMatch(/\ngen\/1\.txt +Bob +authors leaving\n/);
    expect(result.stdout).toMatch(/\nsrc\/lib\/b\.ts +Ann, Bob +authors leaving\n/);
  });

  it('--repository analyses a workspace repository from the history cache, reading new commits only', async () => {
    const workspace = path.join(tmp, 'cached-workspace');
    fs.mkdirSync(workspace, { recursive: true });
    const small = TestRepository.create();
    try {
      small.commit({ author: 'Ann <ann@example.com>', at: '2024-01-01T00:00:00Z', files: { 'a.ts': 'a\n' } });
      fs.writeFileSync(
        path.join(workspace, 'sextant.yaml'),
        `version: 1\nrepositories:\n  - id: small\n    path: ${JSON.stringify(small.dir)}\n`,
      );
      const config = parseWorkspaceConfig(fs.readFileSync(path.join(workspace, 'sextant.yaml'), 'utf8'), 'sextant.yaml');
      const { store } = await openWorkspaceStore(resolveSettings({ workspace }, {}));
      await applyWorkspaceConfig(store, config);
      await store.close();
      const first = await sextant(['code', 'revisions', '--repository', 'small', '--workspace', workspace]);
      expect(first.stdout).toBe('entity,n-revs\na.ts,1\n');
      small.commit({ author: 'Bob <bob@example.com>', at: '2024-01-02T00:00:00Z', files: { 'a.ts': 'a\nb\n', 'b.ts': 'b\n' } });
      const second = await sextant(['code', 'revisions', '--repository', 'small', '--workspace', workspace]);
      expect(second.stdout).toBe('entity,n-revs\na.ts,2\nb.ts,1\n');
      const unknown = await sextant(['code', 'revisions', '--repository', 'nope', '--workspace', workspace]);
      expect(unknown.stderr).toBe('error: Unknown repository\n  --repository: "nope" is not in the workspace (known: small)\n');
      const clash = await sextant(['code', 'revisions', '--repository', 'small', '--repo', '.', '--workspace', workspace]);
      expect(clash.code).toBe(2);
    } finally {
      small.remove();
    }
  });
});
