import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../test-support/cli.js';
import { TestRepository } from '../test-support/git-repository.js';
import { makeTempDir } from '../test-support/stores.js';

/**
 * One unreadable repository never stops the sync of the others (issue 9,
 * item 9): `sextant sync` reads every other repository, lists each failure
 * with its repository, and exits 1. A path set through the API is checked
 * against the allowed roots again at sync time, so a row written before that
 * check existed (here put straight into the store) is refused, not read.
 */
describe('sextant sync with a bad repository among good ones', () => {
  let repo: TestRepository;
  let workspace: string;

  beforeAll(() => {
    repo = TestRepository.create();
    repo.commit({ message: 'One', at: '2024-02-01T09:00:00Z', files: { 'a.ts': '1\n' } });
    workspace = makeTempDir('sextant-sync-failures-');
    fs.writeFileSync(
      path.join(workspace, 'sextant.yaml'),
      ['version: 1', 'teams: [{ id: shop, name: Shop }]', 'repositories:', `  - { id: good, path: ${JSON.stringify(repo.dir)} }`, ''].join(
        '\n',
      ),
    );
  });
  afterAll(() => {
    repo.remove();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('syncs the good repository, refuses the stray and broken ones by name, and exits 1', () => {
    expect(runCli(['sync', '-w', workspace]).status).toBe(0);
    // Rows as an older version's API would have written them: one pointing out of the workspace, one at a broken clone.
    const broken = path.join(workspace, 'broken');
    fs.mkdirSync(path.join(broken, '.git'), { recursive: true });
    const db = new SqliteDatabase(path.join(workspace, '.sextant', 'sextant.db'));
    const insert = db.prepare(
      "insert into repositories (id, name, path, url, default_branch, source, created_at, updated_at) values (?, ?, ?, null, null, 'api', 0, 0)",
    );
    insert.run('stray', 'Stray', '/etc');
    insert.run('broken', 'Broken', broken);
    db.close();
    repo.commit({ message: 'Two', at: '2024-02-02T09:00:00Z', files: { 'a.ts': '1\n2\n' } });

    const result = runCli(['sync', '--json', '-w', workspace]);
    expect(result.status).toBe(1);
    const summary = JSON.parse(result.stdout) as {
      tasks: Record<string, string>;
      failures: Array<{ task: string; subject: string; message: string; issues: string[] }>;
    };
    // The good repository was read (the one new commit) and analysed despite the two failures.
    expect(summary.tasks.delivery).toMatch(/^1 repositories \(1 commits read\), 2 failed/);
    expect(summary.tasks.codebase).toMatch(/^1 repository, 1 new commit, .*; 2 failed$/);
    const failed = summary.failures.map((f) => `${f.task} ${f.subject}`).sort();
    expect(failed).toEqual([
      'codebase repository broken',
      'codebase repository stray',
      'delivery repository broken',
      'delivery repository stray',
    ]);
    const stray = summary.failures.find((f) => f.task === 'delivery' && f.subject === 'repository stray');
    expect(stray?.issues.join('\n')).toContain('repositories.stray.path');
    expect(stray?.issues.join('\n')).toContain('outside the folders repositories may be read from');
    expect(result.stderr).toContain('error: delivery: repository stray:');
    expect(result.stderr).toContain('error: delivery: repository broken:');
  }, 120_000);
});
