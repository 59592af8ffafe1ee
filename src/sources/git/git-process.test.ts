import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SextantError, UnavailableError, ValidationError } from '../../shared/errors.js';
import { TestRepository } from '../../test-support/git-repository.js';
import { makeTempDir } from '../../test-support/stores.js';
import { readFileHistory } from './file-history.js';
import { assertGitRepository, GIT_MISSING_MESSAGE, GitCommandError, resolveCommit, runGit, spoolGit, startGit } from './git-process.js';
import { syncRepository } from './ingest.js';

/** Every way Sextant runs git fails the same way, as SextantErrors the server and the CLI map. */
describe('the git process wrapper', () => {
  let repo: TestRepository;
  const savedPath = process.env.PATH;
  beforeAll(() => {
    repo = TestRepository.create();
    repo.commit({ message: 'one', at: '2024-01-01T10:00:00Z' });
  });
  afterAll(() => repo.remove());
  afterEach(() => {
    process.env.PATH = savedPath;
  });

  it('reports a missing git binary as unavailable, with one message everywhere', async () => {
    const empty = makeTempDir('sextant-no-git-');
    try {
      // git resolves through PATH when spawned: an empty PATH is a machine without git.
      process.env.PATH = empty;
      const attempts: Array<() => Promise<unknown>> = [
        () => runGit(repo.dir, ['status']),
        () => assertGitRepository(repo.dir, 'repositories.app.path'),
        () => resolveCommit(repo.dir, 'HEAD', '--repo'),
        async () => {
          for await (const chunk of spoolGit(repo.dir, ['log'])) void chunk;
        },
        async () => {
          for await (const commit of readFileHistory({ repo: repo.dir, rev: 'HEAD', detail: 'names' })) void commit;
        },
        () => startGit(repo.dir, ['cat-file', '--batch']).finished(),
        () =>
          syncRepository(
            { db: undefined as never, dialect: 'sqlite' },
            { repositoryId: 'app', path: repo.dir, field: 'repositories.app.path' },
          ),
      ];
      for (const attempt of attempts) {
        const error = await attempt().then(
          () => null,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(UnavailableError);
        expect((error as Error).message).toBe(GIT_MISSING_MESSAGE);
      }
      expect(GIT_MISSING_MESSAGE).toBe('git is not installed or not on PATH');
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  it('raises a failing git command as a SextantError carrying git’s stderr', async () => {
    const error = await runGit(repo.dir, ['cat-file', '-p', 'no-such-object']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitCommandError);
    expect(error).toBeInstanceOf(SextantError);
    expect(error).toMatchObject({ type: 'internal', status: 500, exitCode: 128 });
    // The C locale makes git's message the same on every machine.
    expect((error as GitCommandError).stderr).toBe('fatal: Not a valid object name no-such-object\n');
    expect((error as Error).message).toBe('git cat-file -p no-such-object failed (exit 128): Not a valid object name no-such-object');
  });

  it('names the field for a path that is not a repository, and the revision for one that is not a commit', async () => {
    const plain = makeTempDir('sextant-not-git-');
    try {
      const notRepo = await resolveCommit(plain, 'HEAD', 'repositories.app.path').catch((e: unknown) => e);
      expect(notRepo).toBeInstanceOf(ValidationError);
      expect((notRepo as ValidationError).issues).toEqual([
        { field: 'repositories.app.path', message: `${plain} is not a git repository (no .git found here or in a parent folder)` },
      ]);
      const missing = await assertGitRepository(path.join(plain, 'nope'), '--repo').catch((e: unknown) => e);
      expect((missing as ValidationError).issues).toEqual([{ field: '--repo', message: `${path.join(plain, 'nope')} does not exist` }]);
      const badRev = await resolveCommit(repo.dir, 'no-such-branch').catch((e: unknown) => e);
      expect((badRev as ValidationError).issues).toEqual([{ field: 'rev', message: `"no-such-branch" is not a commit in ${repo.dir}` }]);
      const empty = TestRepository.create();
      try {
        const none = await resolveCommit(empty.dir, 'HEAD', '--repo').catch((e: unknown) => e);
        expect((none as ValidationError).issues).toEqual([{ field: '--repo', message: `${empty.dir} has no commits yet` }]);
      } finally {
        empty.remove();
      }
    } finally {
      fs.rmSync(plain, { recursive: true, force: true });
    }
  });
});
