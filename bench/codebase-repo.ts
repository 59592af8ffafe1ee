import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SeededRandom } from '../src/shared/random.js';

/**
 * A large synthetic repository for the codebase benchmarks, written with
 * `git fast-import` (tens of thousands of commits in about a minute) and
 * cached in the temp folder between runs. Seeded, so every run analyses the
 * same history: files in nested folders, 60 authors (some with a second
 * email), commits changing 1-6 files a few lines at a time, now and then a new
 * file, a rename or a bulk commit over code-maat's changeset limit.
 */
export interface BenchRepoSpec {
  commits: number;
  seed: number;
}

export const BENCH_REPO_VERSION = 1;

const AUTHORS = 60;
const FOLDERS = 120;
const INITIAL_FILES = 3000;
const START_TIME = Date.UTC(2014, 0, 1) / 1000;
const SECONDS_PER_COMMIT = 1800;

export function benchRepoPath(spec: BenchRepoSpec): string {
  return path.join(os.tmpdir(), `sextant-bench-codebase-v${BENCH_REPO_VERSION}-${spec.commits}-${spec.seed}`);
}

/** Builds the repository unless a complete one is cached; returns its folder. */
export async function ensureBenchRepo(spec: BenchRepoSpec): Promise<string> {
  const dir = benchRepoPath(spec);
  const marker = path.join(dir, '.git', 'sextant-bench-complete');
  if (fs.existsSync(marker)) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  execFileSync('git', ['init', '--quiet', '--initial-branch=main', dir]);
  await fastImport(dir, spec);
  execFileSync('git', ['-C', dir, 'checkout', '--quiet', 'main']);
  execFileSync('git', ['-C', dir, 'commit-graph', 'write', '--reachable']);
  fs.writeFileSync(marker, new Date().toISOString());
  return dir;
}

async function fastImport(dir: string, spec: BenchRepoSpec): Promise<void> {
  const random = new SeededRandom(spec.seed);
  const child = spawn('git', ['-C', dir, 'fast-import', '--quiet'], { stdio: ['pipe', 'inherit', 'inherit'] });
  const done = new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`git fast-import exited ${code}`))));
  });
  const pending: string[] = [];
  let pendingBytes = 0;
  const write = async (text: string) => {
    pending.push(text);
    pendingBytes += text.length;
    if (pendingBytes < 1 << 20) return;
    const chunk = pending.join('');
    pending.length = 0;
    pendingBytes = 0;
    if (!child.stdin.write(chunk)) await new Promise((resolve) => child.stdin.once('drain', resolve));
  };

  const files = new Map<string, string[]>();
  const paths: string[] = [];
  const newPath = () => {
    for (;;) {
      const folder = `src/m${random.int(0, FOLDERS - 1)}/${['core', 'api', 'util'][random.int(0, 2)]}`;
      const file = `${folder}/f${random.int(0, 99999)}.ts`;
      if (!files.has(file)) return file;
    }
  };
  const newContent = () =>
    Array.from({ length: random.int(20, 60) }, (_, i) => `${'  '.repeat(random.int(0, 4))}line ${i} ${random.int(0, 1e6)}`);
  const author = () => {
    const n = Math.min(AUTHORS - 1, Math.floor(random.next() ** 2 * AUTHORS));
    const email = n % 7 === 0 && random.next() < 0.3 ? `dev${n}@home.example` : `dev${n}@example.com`;
    return `Developer ${n} <${email}>`;
  };
  const data = (lines: string[]) => {
    const text = lines.join('\n') + '\n';
    return `data ${Buffer.byteLength(text)}\n${text}\n`;
  };

  for (let i = 0; i < INITIAL_FILES; i++) {
    const file = newPath();
    files.set(file, newContent());
    paths.push(file);
  }
  for (let c = 0; c < spec.commits; c++) {
    const time = START_TIME + c * SECONDS_PER_COMMIT;
    const who = author();
    let body = `commit refs/heads/main\nauthor ${who} ${time} +0000\ncommitter ${who} ${time} +0000\ndata 9\ncommit ${c % 10}\n`;
    if (c === 0) {
      for (const [file, lines] of files) body += `M 100644 inline ${file}\n${data(lines)}`;
      await write(body + '\n');
      continue;
    }
    const roll = random.next();
    if (roll < 0.003) {
      // A bulk change (formatting, licence header) over the changeset limit.
      for (let k = 0; k < 40; k++) body += modify(paths[random.int(0, paths.length - 1)] as string);
    } else if (roll < 0.008) {
      const index = random.int(0, paths.length - 1);
      const from = paths[index] as string;
      const to = newPath();
      files.set(to, files.get(from) as string[]);
      files.delete(from);
      paths[index] = to;
      body += `R ${from} ${to}\n`;
    } else if (roll < 0.05) {
      const file = newPath();
      files.set(file, newContent());
      paths.push(file);
      body += `M 100644 inline ${file}\n${data(files.get(file) as string[])}`;
    } else {
      const count = 1 + Math.floor(random.next() ** 3 * 6);
      const touched = new Set<string>();
      // Files of one module tend to change together: pick near a first file.
      const first = random.int(0, paths.length - 1);
      for (let k = 0; k < count; k++) touched.add(paths[Math.min(paths.length - 1, first + random.int(0, 8))] as string);
      for (const file of touched) body += modify(file);
    }
    await write(body + '\n');
  }
  await write('');
  child.stdin.end(pending.join(''));
  await done;

  function modify(file: string): string {
    const lines = files.get(file) as string[];
    const edits = random.int(1, 3);
    for (let e = 0; e < edits; e++) {
      const at = random.int(0, lines.length);
      if (random.next() < 0.6 || lines.length < 5) lines.splice(at, 0, `${'  '.repeat(random.int(0, 4))}added ${random.int(0, 1e6)}`);
      else lines[Math.min(at, lines.length - 1)] = `changed ${random.int(0, 1e6)}`;
    }
    return `M 100644 inline ${file}\n${data(lines)}`;
  }
}
