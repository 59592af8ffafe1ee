import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bearer, buildTestApp } from '../test-support/app.js';
import { makeTempDir, TEST_DIALECTS } from '../test-support/stores.js';
import type { Store } from '../store/database.js';
import { replaceOrg } from './store.js';

/**
 * Repository paths written through the API must stay inside the folders the
 * operator allows (issue 9, item 9): the probes that used to be accepted —
 * `/etc`, `../../..`, `file:///...`, another repository on the host, a symlink
 * out of the workspace — are refused at write time and nothing is stored.
 */
function gitInit(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  execFileSync('git', ['init', '-q', dir]);
  return fs.realpathSync(dir);
}

let base: string;
let workspace: string;
let extraRoot: string;
let outside: string;
beforeAll(() => {
  base = makeTempDir('sextant-repo-paths-');
  workspace = path.join(base, 'workspace');
  gitInit(path.join(workspace, 'repos', 'inside'));
  fs.mkdirSync(path.join(workspace, 'not-git'), { recursive: true });
  extraRoot = path.join(base, 'mirrors');
  gitInit(path.join(extraRoot, 'mirrored'));
  outside = gitInit(path.join(base, 'elsewhere', 'other-project'));
  gitInit(path.join(base, 'configured'));
  fs.mkdirSync(path.join(base, 'configured', 'sub'));
  // A symlink inside the workspace that leads out of it.
  fs.symlinkSync(outside, path.join(workspace, 'escape'));
});
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

for (const dialect of TEST_DIALECTS) {
  describe(`PUT /api/v1/org/repositories/{id} paths on ${dialect.name}`, () => {
    let store: Store;
    let app: FastifyInstance;
    let auth: { authorization: string };
    beforeEach(async () => {
      store = await dialect.open();
      // One repository from sextant.yaml: its folder is allowed too.
      await replaceOrg(
        store.db,
        {
          teams: [],
          services: [],
          people: [],
          repositories: [
            { id: 'conf', name: 'Conf', path: path.join(base, 'configured'), url: null, defaultBranch: null, source: 'config' },
          ],
        },
        'config',
      );
      app = await buildTestApp(store, { workspaceDir: workspace, repositoryRoots: [extraRoot] });
      auth = await bearer(store);
    });
    afterEach(async () => {
      await app.close();
      await store.close();
    });

    const put = (id: string, repoPath: string) =>
      app.inject({ method: 'PUT', url: `/api/v1/org/repositories/${id}`, headers: auth, payload: { path: repoPath } });

    it.each([
      ['/etc', 'outside the folders'],
      ['../../../..', 'outside the folders'],
      ['escape', 'outside the folders'],
      ['file:///etc', 'is a URL'],
      ['not-git', 'not a git repository'],
      ['repos/missing', 'no such folder'],
    ])('refuses %s and stores nothing', async (given, reason) => {
      const response = await put('probe', given);
      expect(response.statusCode).toBe(400);
      const problem = response.json() as { errors: Array<{ field: string; message: string }> };
      expect(problem.errors[0]?.field).toBe('body.path');
      expect(problem.errors[0]?.message).toContain(reason);
      expect((await app.inject('/api/v1/org/repositories/probe')).statusCode).toBe(404);
    });

    it('refuses another repository on the host given by absolute path', async () => {
      const response = await put('other', outside);
      expect(response.statusCode).toBe(400);
      expect(response.json().errors[0].message).toContain(`resolves to ${outside}`);
    });

    it('accepts repositories in the workspace, in SEXTANT_REPOSITORY_ROOTS and under a configured repository, stored canonical', async () => {
      const inside = await put('inside', 'repos/./inside/../inside');
      expect(inside.statusCode).toBe(200);
      expect(inside.json().path).toBe(fs.realpathSync(path.join(workspace, 'repos', 'inside')));
      const mirrored = await put('mirrored', path.join(extraRoot, 'mirrored'));
      expect(mirrored.statusCode).toBe(200);
      // A folder inside a repository sextant.yaml lists is inside a git work tree, so it is a repository to git.
      const sub = await put('sub', path.join(base, 'configured', 'sub'));
      expect(sub.statusCode).toBe(200);
      expect(sub.json().path).toBe(fs.realpathSync(path.join(base, 'configured', 'sub')));
    });

    it('still accepts a repository known only by URL', async () => {
      const response = await app.inject({
        method: 'PUT',
        url: '/api/v1/org/repositories/remote',
        headers: auth,
        payload: { url: 'https://example.com/shop.git' },
      });
      expect(response.statusCode).toBe(200);
      expect(response.json().path).toBeNull();
    });
  });
}
