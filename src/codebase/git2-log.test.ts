import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../test-support/stores.js';
import { readGit2Log, parseRename } from './git2-log.js';
import type { RawCommit } from './model.js';

const dir = makeTempDir('sextant-git2-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function logFile(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

async function read(file: string): Promise<RawCommit[]> {
  const commits: RawCommit[] = [];
  for await (const commit of readGit2Log(file)) commits.push(commit);
  return commits;
}

describe('readGit2Log', () => {
  it('reads commits, numstat lines and binary dashes; a commit line without files (a merge) is skipped', async () => {
    const file = logFile(
      'ok.log',
      '--b2c3d4e--2024-02-02--Bob Smith\n\n--a1b2c3d--2024-02-01--Ann\r\n10\t2\tsrc/a.ts\r\n-\t-\tlogo.png\r\n\r\n--0f0f0f0--2024-01-01--Ann\n3\t0\tsrc/{old => new}/x.ts\n',
    );
    expect(await read(file)).toEqual([
      {
        rev: 'a1b2c3d',
        time: Date.UTC(2024, 1, 1),
        date: '2024-02-01',
        authorName: 'Ann',
        authorEmail: '',
        changes: [
          { path: 'src/a.ts', previousPath: null, added: 10, deleted: 2, binary: false },
          { path: 'logo.png', previousPath: null, added: 0, deleted: 0, binary: true },
        ],
      },
      {
        rev: '0f0f0f0',
        time: Date.UTC(2024, 0, 1),
        date: '2024-01-01',
        authorName: 'Ann',
        authorEmail: '',
        changes: [{ path: 'src/new/x.ts', previousPath: 'src/old/x.ts', added: 3, deleted: 0, binary: false }],
      },
    ]);
  });

  it('names the file and line of the first bad line', async () => {
    const file = logFile('bad.log', '--a1b2c3d--2024-02-01--Ann\n10\t2\tsrc/a.ts\nthis is not numstat\n');
    await expect(read(file)).rejects.toMatchObject({
      issues: [{ field: 'log', file, line: 3, message: expect.stringContaining('expected a commit line') }],
    });
    const orphan = logFile('orphan.log', '1\t1\ta.ts\n');
    await expect(read(orphan)).rejects.toMatchObject({ issues: [{ line: 1, message: expect.stringContaining('before any commit') }] });
    const badDate = logFile('date.log', '--a1b2c3d--2024-02-31--Ann\n1\t1\ta.ts\n');
    await expect(read(badDate)).rejects.toMatchObject({ issues: [{ line: 1, message: '"2024-02-31" is not a calendar date' }] });
    await expect(read(path.join(dir, 'missing.log'))).rejects.toMatchObject({ issues: [{ message: 'the log file does not exist' }] });
  });
});

describe('parseRename', () => {
  it('undoes git’s rename shorthand', () => {
    expect(parseRename('a/{b => c}/d.ts')).toEqual({ previousPath: 'a/b/d.ts', path: 'a/c/d.ts' });
    expect(parseRename('src/{ => lib}/b.ts')).toEqual({ previousPath: 'src/b.ts', path: 'src/lib/b.ts' });
    expect(parseRename('old.ts => new.ts')).toEqual({ previousPath: 'old.ts', path: 'new.ts' });
    expect(parseRename('plain.ts')).toBeNull();
  });
});
