import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../shared/errors.js';
import { makeTempDir } from '../../test-support/stores.js';
import { assertGitRepository, GitCommandError, runGit } from './git-process.js';
import type { GitCommit } from './model.js';
import { CommitRecordParser, gitLogArguments, readCommits } from './read-commits.js';
import { readRefTips, readTags } from './read-tags.js';
import { ms, TestRepository } from '../../test-support/git-repository.js';

async function collect(repoPath: string, options: Parameters<typeof readCommits>[1]): Promise<GitCommit[]> {
  const commits: GitCommit[] = [];
  for await (const commit of readCommits(repoPath, options)) commits.push(commit);
  return commits;
}

describe('reading commits and tags with the git CLI', () => {
  let repo: TestRepository;
  const sha: Record<string, string> = {};

  beforeAll(() => {
    repo = TestRepository.create();
    sha.first = repo.commit({
      message: 'Add the ledger\n\nLonger explanation.\n\nSigned-off-by: Ada <ada@example.com>\nFixes: 0123456789ab ("old bug")',
      files: { 'services/ledger/main.go': 'package main\n' },
      author: 'Ada Lovelace <ada@example.com>',
      at: '2024-03-01T10:00:00Z',
      committedAt: '2024-03-01T12:30:00Z',
    });
    repo.checkout('feature', { create: true });
    sha.feature = repo.commit({ message: 'Feature work', files: { 'web/app.ts': 'x\n' }, at: '2024-03-02T09:00:00Z' });
    repo.checkout('main');
    sha.hotfix = repo.commit({ message: 'Hotfix', files: { 'services/ledger/fix.go': 'y\n' }, at: '2024-03-02T10:00:00Z' });
    sha.merge = repo.merge('feature', '2024-03-03T08:00:00Z');
    repo.tag('v1.0.0');
    sha.revert = repo.revert(sha.hotfix, '2024-03-04T08:00:00Z');
    repo.annotatedTag('v1.1.0', '2024-03-05T15:00:00Z');
    repo.annotatedTag('v1.2.0-rc.1', '2024-03-05T16:00:00Z');
    repo.git(['tag', '-a', 'nested', '-m', 'tag of a tag', 'v1.1.0'], { GIT_COMMITTER_DATE: '2024-03-06T00:00:00Z' });
    repo.git(['tag', 'tree-tag', 'HEAD^{tree}']);
  });
  afterAll(() => repo.remove());

  it('reads every field of every commit reachable from the given revisions', async () => {
    const commits = await collect(repo.dir, { include: ['HEAD'] });
    // 5 commits: first, feature, hotfix, the merge and the revert.
    expect(commits.map((c) => c.sha).sort()).toEqual([sha.first, sha.feature, sha.hotfix, sha.merge, sha.revert].sort());
    const first = commits.find((c) => c.sha === sha.first) as GitCommit;
    expect(first).toMatchObject({
      parents: [],
      authorName: 'Ada Lovelace',
      authorEmail: 'ada@example.com',
      authorTime: ms('2024-03-01T10:00:00Z'),
      committerName: 'Test Author',
      committerEmail: 'author@example.com',
      committerTime: ms('2024-03-01T12:30:00Z'),
      subject: 'Add the ledger',
      revertsSha: null,
      revertedSubject: null,
      fixesSha: '0123456789ab',
      paths: null,
    });
    expect(first.trailers).toEqual([
      { key: 'Signed-off-by', value: 'Ada <ada@example.com>' },
      { key: 'Fixes', value: '0123456789ab ("old bug")' },
    ]);
    const merge = commits.find((c) => c.sha === sha.merge) as GitCommit;
    expect(merge.parents).toEqual([sha.hotfix, sha.feature]);
    const revert = commits.find((c) => c.sha === sha.revert) as GitCommit;
    expect(revert).toMatchObject({ subject: 'Revert "Hotfix"', revertsSha: sha.hotfix, revertedSubject: 'Hotfix' });
  });

  it('reads the paths of non-merge commits when asked, and none for merges', async () => {
    const commits = await collect(repo.dir, { include: ['HEAD'], withPaths: true });
    const paths = Object.fromEntries(commits.map((c) => [c.sha, c.paths]));
    expect(paths[sha.first as string]).toEqual(['services/ledger/main.go']);
    expect(paths[sha.feature as string]).toEqual(['web/app.ts']);
    expect(paths[sha.merge as string]).toEqual([]);
    expect(paths[sha.revert as string]).toEqual(['services/ledger/fix.go']);
  });

  it('reads only new commits when the known history is excluded', async () => {
    const commits = await collect(repo.dir, { include: ['HEAD'], exclude: ['v1.0.0'] });
    expect(commits.map((c) => c.sha)).toEqual([sha.revert]);
    expect(await collect(repo.dir, { include: [] })).toEqual([]);
  });

  it('parses the same records whatever the chunk boundaries', async () => {
    // Independent check: the stream fed one character at a time must give what one big chunk gives.
    const output = await runGit(repo.dir, gitLogArguments({ withPaths: true }), 'HEAD\n');
    const whole = new CommitRecordParser('paths');
    const expected = [...whole.push(output), ...whole.end()];
    const bytewise = new CommitRecordParser('paths');
    const got: GitCommit[] = [];
    for (const char of output) got.push(...bytewise.push(char));
    got.push(...bytewise.end());
    expect(got).toEqual(expected);
    expect(got).toHaveLength(5);
  });

  it('reads the same commits spooled through a temporary file as through a pipe, and reports git errors', async () => {
    const piped = await collect(repo.dir, { include: ['HEAD'], withPaths: true });
    const spooled = await collect(repo.dir, { include: ['HEAD'], withPaths: true, spool: true });
    expect(spooled).toEqual(piped);
    const error = await collect(repo.dir, { include: ['no-such-branch'], spool: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitCommandError);
    expect((error as GitCommandError).stderr).toMatch(/bad revision 'no-such-branch'/);
  });

  it('reads tags: lightweight ones without tagger time, annotated ones with it, tags of tags peeled', async () => {
    const tags = await readTags(repo.dir);
    const byName = Object.fromEntries(tags.map((t) => [t.name, t]));
    expect(byName['v1.0.0']).toEqual({ name: 'v1.0.0', commitSha: sha.merge, annotated: false, taggerTime: null });
    expect(byName['v1.1.0']).toEqual({ name: 'v1.1.0', commitSha: sha.revert, annotated: true, taggerTime: ms('2024-03-05T15:00:00Z') });
    expect(byName['nested']).toEqual({ name: 'nested', commitSha: sha.revert, annotated: true, taggerTime: ms('2024-03-06T00:00:00Z') });
    expect(byName['tree-tag']).toBeUndefined();
    expect(tags.map((t) => t.name).sort()).toEqual(['nested', 'v1.0.0', 'v1.1.0', 'v1.2.0-rc.1']);
  });

  it('lists ref tips as commits (annotated tags peeled, tree tags left out)', async () => {
    // Refs: main and v1.1.0/nested/v1.2.0-rc.1 (-> revert), feature, v1.0.0 (-> merge); tree-tag is no commit.
    expect(await readRefTips(repo.dir)).toEqual([sha.feature, sha.merge, sha.revert].sort());
  });

  it('works on a bare clone and on a blobless partial clone', async () => {
    const dir = makeTempDir('sextant-clones-');
    try {
      execFileSync('git', ['clone', '-q', '--bare', repo.dir, path.join(dir, 'bare.git')]);
      repo.git(['config', 'uploadpack.allowFilter', 'true']);
      execFileSync('git', ['clone', '-q', '--bare', '--filter=blob:none', `file://${repo.dir}`, path.join(dir, 'partial.git')]);
      for (const clone of ['bare.git', 'partial.git']) {
        const clonePath = await assertGitRepository(path.join(dir, clone), '--repo');
        const commits = await collect(clonePath, { include: ['v1.1.0'], withPaths: true });
        expect(commits).toHaveLength(5);
        expect(commits.find((c) => c.sha === sha.first)?.paths).toEqual(['services/ledger/main.go']);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects a folder that is not a git repository, naming the field', async () => {
    const dir = makeTempDir('sextant-not-git-');
    try {
      const error = await assertGitRepository(dir, '--repo').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues[0]).toMatchObject({ field: '--repo' });
      expect((error as ValidationError).issues[0]?.message).toMatch(/not a git repository/);
      const missing = await assertGitRepository(path.join(dir, 'nope'), 'repositories[0].path').catch((e: unknown) => e);
      expect((missing as ValidationError).issues[0]).toMatchObject({ field: 'repositories[0].path' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
