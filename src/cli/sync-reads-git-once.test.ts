import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../test-support/cli.js';
import { TestRepository } from '../test-support/git-repository.js';
import { makeTempDir } from '../test-support/stores.js';

/**
 * `sextant sync` reads each repository's history once, for every module fed
 * by git (delivery and codebase). Counted independently of Sextant's code: the
 * real CLI runs with a `git` shim first on PATH that logs every git process
 * it starts, then runs the real git. A history walk is a `log`, `rev-list`,
 * `merge-base` or `shortlog` process; everything else (rev-parse,
 * for-each-ref, cat-file, ls-tree) reads single objects or refs.
 */
const WALKS = new Set(['log', 'rev-list', 'merge-base', 'shortlog']);

describe('sextant sync on a workspace with one repository', () => {
  let repo: TestRepository;
  let workspace: string;
  let shimDir: string;
  let logFile: string;

  beforeAll(() => {
    repo = TestRepository.create();
    repo.commit({ message: 'Bootstrap', at: '2024-02-01T09:00:00Z', files: { 'services/api/a.ts': '1\n', 'docs/readme.md': 'hi\n' } });
    repo.commit({ message: 'API one', at: '2024-02-02T09:00:00Z', files: { 'services/api/a.ts': '1\n2\n' } });
    repo.checkout('feature', { create: true });
    repo.commit({ message: 'Feature', at: '2024-02-02T10:00:00Z', files: { 'services/api/b.ts': 'b\n' } });
    repo.checkout('main');
    repo.tag('api/v1.0.0');

    workspace = makeTempDir('sextant-sync-once-');
    shimDir = makeTempDir('sextant-git-shim-');
    logFile = path.join(shimDir, 'git.log');
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    fs.writeFileSync(path.join(shimDir, 'git'), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${logFile}'\nexec '${realGit}' "$@"\n`, {
      mode: 0o755,
    });
    fs.writeFileSync(
      path.join(workspace, 'sextant.yaml'),
      [
        'version: 1',
        'teams: [{ id: shop, name: Shop }]',
        'repositories:',
        `  - { id: mono, path: ${JSON.stringify(repo.dir)} }`,
        'services:',
        "  - { id: api, name: API, team: shop, repositories: [{ repo: mono, paths: ['services/api/**'] }] }",
        'delivery:',
        '  tagDeployments:',
        "    - { service: api, tags: '^api/v\\d+\\.\\d+\\.\\d+$' }",
        '',
      ].join('\n'),
    );
  });
  afterAll(() => {
    repo.remove();
    for (const dir of [workspace, shimDir]) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Runs `sextant sync --json` and returns its task summaries and the git subcommands it started. */
  function sync(): { tasks: Record<string, string>; git: string[] } {
    fs.rmSync(logFile, { force: true });
    const result = runCli(['sync', '--json', '-w', workspace], { env: { PATH: `${shimDir}${path.delimiter}${process.env.PATH ?? ''}` } });
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.status).toBe(0);
    const lines = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').filter(Boolean) : [];
    return { tasks: (JSON.parse(result.stdout) as { tasks: Record<string, string> }).tasks, git: lines.map(subcommand) };
  }

  it('walks history once on the first sync, once for new commits, and not at all when nothing changed', () => {
    const first = sync();
    // 3 commits on main and feature: delivery stores all three, codebase caches the 2 on main (its default branch).
    expect(
      first.git.filter((c) => WALKS.has(c)),
      first.git.join(', '),
    ).toEqual(['log']);
    expect(first.tasks.delivery).toMatch(/^1 repositories \(3 commits read\)/);
    expect(first.tasks.codebase).toMatch(/^1 repository, 2 new commits/);

    repo.commit({ message: 'API two', at: '2024-02-03T09:00:00Z', files: { 'services/api/a.ts': '1\n2\n3\n' } });
    repo.commit({ message: 'Docs', at: '2024-02-03T10:00:00Z', files: { 'docs/readme.md': 'hello\n' } });
    const second = sync();
    // The second walk reads exactly the 2 new commits, for both modules.
    expect(
      second.git.filter((c) => WALKS.has(c)),
      second.git.join(', '),
    ).toEqual(['log']);
    expect(second.tasks.delivery).toMatch(/^1 repositories \(2 commits read\)/);
    expect(second.tasks.codebase).toMatch(/^1 repository, 2 new commits/);

    const third = sync();
    expect(
      third.git.filter((c) => WALKS.has(c)),
      third.git.join(', '),
    ).toEqual([]);
    expect(third.tasks.delivery).toMatch(/^1 repositories \(0 commits read\)/);
    expect(third.tasks.codebase).toMatch(/^1 repository, 0 new commits/);
  }, 240_000);
});

/** The git subcommand of a logged command line: the first word that is not a global option (`-C dir`, `-c key=value`). */
function subcommand(line: string): string {
  const words = line.split(' ');
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (word === '-C' || word === '-c') i++;
    else if (!word.startsWith('-')) return word;
  }
  return '';
}
