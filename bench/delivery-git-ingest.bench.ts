import { spawn } from 'node:child_process';
import { sql } from 'kysely';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ingestRepository, type IngestReport } from '../src/sources/git/ingest.js';
import { gitLogArguments } from '../src/sources/git/read-commits.js';
import { readRefTips } from '../src/sources/git/read-tags.js';
import { openStore, type Store } from '../src/store/database.js';
import { migrateModules } from '../src/workspace/workspace.js';
import { appendCommits, generateRepository } from './delivery-git-repo.js';
import { median as medianOf, sortedSample } from '../src/delivery/percentiles.js';
import type { Benchmark } from './harness.js';

const COMMITS = 100_000;
const RUNS = 5;

/**
 * Ingesting a ~100k-commit repository into the embedded store, against the
 * natural limit: the same `git log` (same format, same refs) with its output
 * only drained. Then the incremental path: 100 new commits, re-synced.
 */
const benchmark: Benchmark = {
  name: 'delivery-git-ingest',
  description: `ingest a generated ${COMMITS}-commit repository into SQLite vs plain git log of the same fields and refs; re-ingest after 100 commits`,
  async run() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sextant-bench-git-'));
    const started = performance.now();
    const repo = await generateRepository(path.join(dir, 'repo.git'), COMMITS);
    const generateSeconds = (performance.now() - started) / 1000;
    const tips = await readRefTips(repo.dir);

    // Interleaved runs, so both sides see the same machine load (it is shared); medians of 5.
    const gitLogTimes: number[] = [];
    const ingestTimes: number[] = [];
    let store: Store | undefined;
    for (let run = 0; run < RUNS; run++) {
      const gitStart = performance.now();
      await drainGitLog(repo.dir, tips);
      gitLogTimes.push((performance.now() - gitStart) / 1000);
      await store?.close();
      store = await openStore({ kind: 'sqlite', path: path.join(dir, `sextant-${run}.db`) });
      const { seconds, report } = await timedFullIngest(store, repo.dir);
      ingestTimes.push(seconds);
      if (report.commitsRead !== repo.commits) throw new Error(`read ${report.commitsRead} commits, expected ${repo.commits}`);
    }
    const gitLogSeconds = median(gitLogTimes);
    const ingestSeconds = median(ingestTimes);

    appendCommits(repo.dir, 100);
    const start = performance.now();
    const incremental = await ingestRepository(store as Store, {
      repositoryId: 'big',
      path: repo.dir,
      field: 'path',
      detail: 'commits',
    });
    const reingestSeconds = (performance.now() - start) / 1000;
    if (incremental.commitsRead !== 100 || incremental.full)
      throw new Error(`re-ingest read ${incremental.commitsRead} commits (full: ${incremental.full})`);
    await store?.close();

    // Informational: the same full ingest into PostgreSQL, when a server is configured.
    const url = process.env.SEXTANT_TEST_DATABASE_URL;
    let postgresIngestSeconds: number | undefined;
    if (url) {
      const schema = `bench_${Date.now().toString(36)}`;
      const postgres = await openStore({ kind: 'postgres', url, schema });
      try {
        postgresIngestSeconds = (await timedFullIngest(postgres, repo.dir)).seconds;
      } finally {
        await sql`drop schema ${sql.id(schema)} cascade`.execute(postgres.db);
        await postgres.close();
      }
    }
    const repoBytes = directorySize(repo.dir);
    fs.rmSync(dir, { recursive: true, force: true });

    const ratio = ingestSeconds / gitLogSeconds;
    return {
      input: { commits: repo.commits, tags: repo.tags, refs: tips.length, repositoryMiB: Math.round(repoBytes / 2 ** 20), store: 'sqlite' },
      figures: {
        gitLogSeconds,
        ingestSeconds,
        ratioToGitLog: ratio,
        commitsPerSecond: repo.commits / ingestSeconds,
        reingest100CommitsSeconds: reingestSeconds,
        generateRepositorySeconds: generateSeconds,
        ...(postgresIngestSeconds !== undefined
          ? { postgresIngestSeconds, postgresRatioToGitLog: postgresIngestSeconds / gitLogSeconds }
          : {}),
      },
      targets: [
        { description: 'ingest within 1.5x of git log printing the same fields over the same refs', met: ratio <= 1.5 },
        { description: 're-ingest after 100 new commits in under 1 s', met: reingestSeconds < 1 },
      ],
      notes: [
        'git log runs with the exact arguments Sextant uses (gitLogArguments, revisions on stdin); its output is drained by Node, not parsed.',
        'Ingest = for-each-ref (tips, tags) + git log (spooled to a temporary file) + parsing + inserting commits and tags in one SQLite transaction.',
        'git log and ingest runs alternate (5 each, medians) because the machine is shared and its load varies.',
        `runs (s): git log ${gitLogTimes.map((t) => t.toFixed(2)).join(', ')}; ingest ${ingestTimes.map((t) => t.toFixed(2)).join(', ')}; load average at start ${os.loadavg()[0]?.toFixed(1)}`,
        'Commits are inserted with one prepared SQLite statement run per row (store/json-rows-insert.ts, insertRows; PostgreSQL takes one JSON parameter per 5,000 rows); generation numbers are computed once all are read; git log runs beside the parsing and inserting, its output spooled to a temporary file.',
      ],
    };
  },
};

/** Migrates a fresh store, registers the repository, and times a full ingest of it. */
async function timedFullIngest(store: Store, repoDir: string): Promise<{ seconds: number; report: IngestReport }> {
  await migrateModules(store);
  await store.db
    .insertInto('repositories')
    .values({ id: 'big', name: 'big', path: repoDir, url: null, default_branch: 'main', source: 'config', created_at: 0, updated_at: 0 })
    .execute();
  const start = performance.now();
  const report = await ingestRepository(store, { repositoryId: 'big', path: repoDir, field: 'path', detail: 'commits' });
  return { seconds: (performance.now() - start) / 1000, report };
}

/** The natural limit: git log with Sextant's arguments, its output read by Node and thrown away. */
function drainGitLog(repoPath: string, tips: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', gitLogArguments({}), { cwd: repoPath, stdio: ['pipe', 'pipe', 'inherit'] });
    child.stdout.resume();
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`git log exited ${code}`))));
    child.stdin.end(tips.join('\n') + '\n');
  });
}

function directorySize(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += fs.statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return total;
}

export default benchmark;

/** Median of a few timings (linear interpolation for an even count). */
function median(values: number[]): number {
  return medianOf(sortedSample(values), 'linear') as number;
}
