import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { SeededRandom } from '../src/shared/random.js';

/**
 * A large, deterministic repository for benchmarks, written with
 * `git fast-import` (seconds for 100k commits): a main line with feature
 * branches merged every few dozen commits, a release tag every ~100 commits,
 * and an occasional revert. One file changes per commit, across 500 files in
 * two service folders.
 */
export interface GeneratedRepo {
  dir: string;
  commits: number;
  tags: number;
}

const START = Date.parse('2019-01-01T00:00:00Z') / 1000;

export async function generateRepository(dir: string, commits: number, seed = 1): Promise<GeneratedRepo> {
  fs.mkdirSync(dir, { recursive: true });
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', dir]);
  const importer = spawn('git', ['fast-import', '--quiet', '--done'], { cwd: dir, stdio: ['pipe', 'ignore', 'inherit'] });
  const random = new SeededRandom(seed);
  let buffer = '';
  const write = async (text: string) => {
    buffer += text;
    if (buffer.length > 1 << 20) {
      if (!importer.stdin.write(buffer)) await once(importer.stdin, 'drain');
      buffer = '';
    }
  };
  let time = START;
  let mark = 0;
  let tags = 0;
  let minor = 0;
  const subjects: string[] = [];
  const commit = async (branch: string, parents: number[], subject: string) => {
    time += random.int(60, 1800);
    const file = `services/${random.chance(0.5) ? 'api' : 'web'}/file-${random.int(0, 249)}.txt`;
    const content = `${subject} ${mark}\n`;
    const message = `${subject}\n\nChange number ${mark + 1}.\n`;
    mark++;
    await write(
      `commit refs/heads/${branch}\nmark :${mark}\nauthor Dev ${mark % 40} <dev${mark % 40}@example.com> ${time - random.int(0, 86_400)} +0000\n` +
        `committer CI <ci@example.com> ${time} +0000\ndata ${Buffer.byteLength(message)}\n${message}` +
        parents.map((p, i) => `${i === 0 ? 'from' : 'merge'} :${p}\n`).join('') +
        `M 100644 inline ${file}\ndata ${Buffer.byteLength(content)}\n${content}\n`,
    );
    return mark;
  };
  let head = await commit('main', [], 'Initial commit');
  while (mark < commits) {
    if (random.chance(0.03) && mark + 5 < commits) {
      let feature = head;
      for (let i = 0, n = random.int(2, 4); i < n; i++) feature = await commit('feature', [feature], `Feature work ${mark}`);
      head = await commit('main', [head, feature], `Merge feature ${mark}`);
    } else if (random.chance(0.01) && subjects.length > 0) {
      head = await commit('main', [head], `Revert "${random.pick(subjects)}"`);
    } else {
      const subject = `Change ${mark}`;
      subjects.push(subject);
      if (subjects.length > 50) subjects.shift();
      head = await commit('main', [head], subject);
    }
    if (mark % 100 < 1 || random.chance(0.002)) {
      tags++;
      await write(`tag v1.${minor++}.0\nfrom :${head}\ntagger CI <ci@example.com> ${time + 600} +0000\ndata 8\nrelease\n`);
    }
  }
  await write('done\n');
  importer.stdin.end(buffer);
  const [code] = await once(importer, 'close');
  if (code !== 0) throw new Error(`git fast-import failed (${code})`);
  return { dir: path.resolve(dir), commits: mark, tags };
}

/** Appends `count` commits to main of a generated repository (for the incremental re-ingest). */
export function appendCommits(dir: string, count: number): void {
  let parent = execFileSync('git', ['rev-parse', 'main'], { cwd: dir, encoding: 'utf8' }).trim();
  const tree = execFileSync('git', ['rev-parse', 'main^{tree}'], { cwd: dir, encoding: 'utf8' }).trim();
  for (let i = 0; i < count; i++) {
    parent = execFileSync('git', ['commit-tree', tree, '-p', parent, '-m', `Appended ${i}`], {
      cwd: dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'Dev',
        GIT_AUTHOR_EMAIL: 'dev@example.com',
        GIT_COMMITTER_NAME: 'CI',
        GIT_COMMITTER_EMAIL: 'ci@example.com',
      },
    }).trim();
  }
  execFileSync('git', ['update-ref', 'refs/heads/main', parent], { cwd: dir });
}
