import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');

describe('the server build (tsconfig.build.json)', () => {
  it('compiles nothing test-only into dist/', () => {
    // tsc itself says which files the build compiles: tests, test support and what only tests import must not be among them.
    const listed = execFileSync(
      process.execPath,
      [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json', '--listFilesOnly'],
      {
        cwd: root,
        encoding: 'utf8',
      },
    )
      .split('\n')
      .map((file) => path.relative(root, file.trim()))
      .filter((file) => file.startsWith(`src${path.sep}`));
    expect(listed.length).toBeGreaterThan(100);
    const testOnly = listed.filter((file) => /\.test\.tsx?$/.test(file) || file.startsWith(path.join('src', 'test-support')));
    expect(testOnly).toEqual([]);
    // No test fixtures left beside a module's code: test data lives in src/test-support/testdata.
    const fixtureFolders = listed.filter((file) => /(^|\/)(testdata|fixtures?)(\/|$)/.test(file));
    expect(fixtureFolders).toEqual([]);
  }, 120_000);

  // workspace/testdata holds the store of an earlier release for the upgrade test; workspace is a surface, not a module.
  it('keeps test data out of module folders', () => {
    const modules = fs.readdirSync(path.join(root, 'src'), { withFileTypes: true }).filter((entry) => entry.isDirectory());
    const strays = modules
      .filter((entry) => !['test-support', 'workspace'].includes(entry.name))
      .flatMap((entry) => (fs.existsSync(path.join(root, 'src', entry.name, 'testdata')) ? [`src/${entry.name}/testdata`] : []));
    expect(strays).toEqual([]);
  });
});
