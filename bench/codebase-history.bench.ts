import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { analyseCachedHistory, refreshHistory } from '../src/codebase/history-cache.js';
import { ANALYSES } from '../src/codebase/analyses.js';
import { ANALYSIS_NAMES, analysisOptionsSchema } from '../src/codebase/model.js';
import { saveRepository } from '../src/org/store.js';
import { openStore } from '../src/store/database.js';
import { migrateModules } from '../src/workspace/workspace.js';
import { ensureBenchRepo } from './codebase-repo.js';
import type { Benchmark } from './harness.js';

const COMMITS = 80_000;
const REPEAT = 3;
const GROWTH = 100;
const MEMORY_LIMIT_MIB = 1024;

const NAME_ONLY = ANALYSIS_NAMES.filter((name) => ANALYSES[name].detail === 'names');
const WITH_LINES = ANALYSIS_NAMES.filter((name) => ANALYSES[name].detail === 'lines');

interface Measure {
  seconds: number;
  peakRssMiB: number;
  count: number;
}

const measureScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'codebase-measure.ts');

async function measure(repo: string, args: string[]): Promise<Measure> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', measureScript, repo, ...args], {
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout.trim().split('\n').pop() as string) as Measure;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/**
 * Reading history on an 80,000-commit repository (generated with git
 * fast-import, see codebase-repo.ts): each analysis against the natural limit
 * measured in the same run, `git log --name-only` for the analyses that need
 * file names and `git log --numstat` for those that need line counts, over
 * the same revisions (all of HEAD). Runs alternate and each figure is the
 * median of three, so load from other processes hits both sides alike. Every
 * run is its own process, so peak memory is the analysis's own.
 *
 * Then the store cache: the first `sextant sync` of the repository into
 * SQLite, a sync after 100 more commits, and an analysis from the cache.
 */
const benchmark: Benchmark = {
  name: 'codebase-history',
  description: `code analyses on a ${COMMITS.toLocaleString('en')}-commit repository vs git log, and the incremental history cache`,
  async run() {
    const repo = await ensureBenchRepo({ commits: COMMITS, seed: 1 });
    const files = Number(execFileSync('git', ['-C', repo, 'ls-files'], { encoding: 'utf8', maxBuffer: 1 << 26 }).split('\n').length - 1);

    const runs = new Map<string, Measure[]>();
    const record = async (key: string, args: string[]) => {
      const result = await measure(repo, args);
      runs.set(key, [...(runs.get(key) ?? []), result]);
      console.log(`  ${key}: ${result.seconds.toFixed(2)} s, ${result.peakRssMiB.toFixed(0)} MiB`);
    };
    for (let r = 0; r < REPEAT; r++) {
      await record('gitLogNameOnly', ['baseline', '--', 'log', '--name-only']);
      for (const name of NAME_ONLY) await record(name, ['analyses', name]);
      await record('allNameOnlyAnalysesInOnePass', ['analyses', ...NAME_ONLY]);
      await record('gitLogNumstat', ['baseline', '--', 'log', '--numstat']);
      for (const name of WITH_LINES) await record(name, ['analyses', name]);
      await record('allLineAnalysesInOnePass', ['analyses', ...WITH_LINES]);
    }
    const seconds = (key: string) => median((runs.get(key) ?? []).map((m) => m.seconds));
    const peak = (key: string) => Math.max(...(runs.get(key) ?? []).map((m) => m.peakRssMiB));

    const figures: Record<string, number> = {};
    const targets: Array<{ description: string; met: boolean }> = [];
    const baselines = [
      { key: 'gitLogNameOnly', limit: 1.5, analyses: NAME_ONLY, label: 'git log --name-only' },
      { key: 'gitLogNumstat', limit: 1.2, analyses: WITH_LINES, label: 'git log --numstat' },
    ];
    for (const { key, limit, analyses, label } of baselines) {
      const base = seconds(key);
      figures[`${key}Seconds`] = base;
      for (const name of analyses) {
        figures[`${name}Seconds`] = seconds(name);
        figures[`${name}Ratio`] = seconds(name) / base;
        figures[`${name}PeakRssMiB`] = peak(name);
        targets.push({ description: `${name} within ${limit}x of ${label}`, met: seconds(name) / base <= limit });
      }
      const together = key === 'gitLogNameOnly' ? 'allNameOnlyAnalysesInOnePass' : 'allLineAnalysesInOnePass';
      figures[`${together}Seconds`] = seconds(together);
      figures[`${together}Ratio`] = seconds(together) / base;
      figures[`${together}PeakRssMiB`] = peak(together);
    }
    const peakAll = Math.max(...[...runs.keys()].filter((k) => !k.startsWith('gitLog')).map(peak));
    figures.peakRssMiB = peakAll;
    targets.push({ description: `peak memory of every analysis under ${MEMORY_LIMIT_MIB} MiB`, met: peakAll < MEMORY_LIMIT_MIB });

    Object.assign(figures, await measureCache(repo));
    return {
      input: { commits: COMMITS, filesAtHead: files, repository: 'generated by bench/codebase-repo.ts (seed 1)', repeats: REPEAT },
      figures,
      targets,
      notes: [
        'Ratios compare medians of alternating runs in the same benchmark run; each run is a separate node process (startup excluded).',
        'Name-only analyses read `git log --name-status -M -z` (rename detection, as plain `git log --name-only` does by default); line analyses read `git log --numstat -M -z`.',
        'Each analysis is measured alone (the target of the issue) and all of a kind together in one pass (no target: one git log, but the folds add up; on a loaded two-core machine git and node compete for the same cores).',
        'hotspots, truck-factor and knowledge-risk also list the tree (and hotspots read each blob once with git cat-file), concurrently with the log.',
        'peakRssMiB is the analysing node process (tsx loader included); git runs in its own process in both the analyses and the baselines.',
        `Cache: the first sync reads the whole history (every ref, git log -M --numstat) into the git source's tables and derives the codebase cache from them; a sync after ${GROWTH} new commits reads only those (one git log) and adds them.`,
      ],
    };
  },
};

async function measureCache(repo: string): Promise<Record<string, number>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sextant-bench-cache-'));
  try {
    const grown = path.join(dir, 'grown');
    execFileSync('git', ['clone', '--quiet', '--shared', repo, grown]);
    const store = await openStore({ kind: 'sqlite', path: path.join(dir, 'sextant.db') });
    await migrateModules(store);
    await saveRepository(store.db, { id: 'bench', name: 'Bench', path: grown, url: null, defaultBranch: null });
    const time = async (fn: () => Promise<unknown>) => {
      const start = performance.now();
      await fn();
      return (performance.now() - start) / 1000;
    };
    // The first sync reads the clone (every ref) into the git source's tables and derives the cache from them.
    const firstSyncSeconds = await time(() => refreshHistory(store, 'bench', grown, 'HEAD'));
    for (let i = 0; i < GROWTH; i++) {
      fs.writeFileSync(path.join(grown, 'src', `grown-${i % 10}.ts`), `export const value = ${i};\n`);
      execFileSync('git', ['-C', grown, 'add', '-A']);
      execFileSync('git', [
        '-C',
        grown,
        '-c',
        'user.name=Bench',
        '-c',
        'user.email=bench@example.com',
        'commit',
        '--quiet',
        '-m',
        `grow ${i}`,
      ]);
    }
    // The next reads only the new commits (one git log), then adds them to the cache.
    const grownSyncSeconds = await time(async () => {
      const report = await refreshHistory(store, 'bench', grown, 'HEAD');
      if (report.newCommits !== GROWTH || report.rebuilt) throw new Error(`grown sync stored ${report.newCommits} commits`);
    });
    const options = analysisOptionsSchema.parse({});
    const couplingFromCacheSeconds = await time(() => analyseCachedHistory(store.db, 'bench', ['coupling'], options, []));
    const couplingCachedResultSeconds = await time(() => analyseCachedHistory(store.db, 'bench', ['coupling'], options, []));
    await store.close();
    const databaseMiB = fs.statSync(path.join(dir, 'sextant.db')).size / 2 ** 20;
    return {
      cacheFirstSyncSeconds: firstSyncSeconds,
      cacheSyncAfter100CommitsSeconds: grownSyncSeconds,
      cacheCouplingComputedSeconds: couplingFromCacheSeconds,
      cacheCouplingStoredResultSeconds: couplingCachedResultSeconds,
      cacheDatabaseMiB: databaseMiB,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export default benchmark;
