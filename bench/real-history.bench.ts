import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { addAnalysisFigures, NAME_ONLY, WITH_LINES } from './analysis-baselines.js';
import { measureInProcess, median, type Benchmark, type ProcessMeasure } from './harness.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const REPO = process.env.SEXTANT_BENCH_REPO;
/** Runs of each measurement (alternating with its baseline); a real history of 80k commits takes ~15 s a run. */
const REPEAT = Number(process.env.SEXTANT_BENCH_REPEAT ?? 1);
const DORA_REPEAT = Math.max(3, REPEAT);

/**
 * Zero-config `sextant dora` and every code analysis on a real repository
 * given by path (SEXTANT_BENCH_REPO; recorded on git/git's full history),
 * each against its natural limit measured in the same run: for dora the same
 * `git log` (Sextant's arguments and format) over the same revisions, the
 * commits the release tags name; for the analyses `git log --name-only` or
 * `git log --numstat` over HEAD, as bench/codebase-history.bench.ts does on
 * a generated repository. Each run is a fresh node process (its peak memory
 * is its own; startup excluded on both sides); measurements and baselines
 * alternate so the machine's load falls on both.
 */
const benchmark: Benchmark = {
  name: 'real-history',
  description: 'zero-config dora over all release tags and every code analysis on a real repository given by path, against git log',
  skip: () =>
    REPO === undefined
      ? 'set SEXTANT_BENCH_REPO to a repository path (recorded on git/git: SEXTANT_BENCH_REPO=/path/to/git SEXTANT_BENCH_REPO_NAME=git/git npm run bench -- real-history)'
      : null,
  async run() {
    const repo = REPO as string;
    const git = (args: string[]) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 }).trim();
    const input = {
      repository: process.env.SEXTANT_BENCH_REPO_NAME ?? path.resolve(repo),
      head: git(['rev-parse', 'HEAD']),
      commitsAtHead: Number(git(['rev-list', '--count', 'HEAD'])),
      tags: git(['tag']).split('\n').filter(Boolean).length,
      filesAtHead: git(['ls-tree', '-r', '--name-only', 'HEAD']).split('\n').filter(Boolean).length,
      firstCommit: git(['log', '--reverse', '--format=%cs', '--max-parents=0', 'HEAD']).split('\n')[0] ?? '',
      repeats: REPEAT,
    };
    console.log(`  ${JSON.stringify(input)}`);

    const runs = new Map<string, ProcessMeasure[]>();
    const record = async (key: string, script: string, args: string[]) => {
      const result = await measureInProcess(path.join(here, script), [repo, ...args]);
      runs.set(key, [...(runs.get(key) ?? []), result]);
      console.log(`  ${key}: ${result.seconds.toFixed(2)} s, ${result.peakRssMiB.toFixed(0)} MiB`);
    };
    for (let r = 0; r < DORA_REPEAT; r++) {
      await record('doraGitLog', 'real-history-measure.ts', ['dora-baseline']);
      await record('dora', 'real-history-measure.ts', ['dora']);
    }
    for (let r = 0; r < REPEAT; r++) {
      await record('gitLogNameOnly', 'codebase-measure.ts', ['baseline', '--', 'log', '--name-only']);
      for (const name of NAME_ONLY) await record(name, 'codebase-measure.ts', ['analyses', name]);
      await record('gitLogNameOnly', 'codebase-measure.ts', ['baseline', '--', 'log', '--name-only']);
      await record('gitLogNumstat', 'codebase-measure.ts', ['baseline', '--', 'log', '--numstat']);
      for (const name of WITH_LINES) await record(name, 'codebase-measure.ts', ['analyses', name]);
      await record('gitLogNumstat', 'codebase-measure.ts', ['baseline', '--', 'log', '--numstat']);
    }
    const seconds = (key: string) => median((runs.get(key) ?? []).map((m) => m.seconds));
    const peak = (key: string) => Math.max(...(runs.get(key) ?? []).map((m) => m.peakRssMiB));

    const figures: Record<string, number> = {
      doraSeconds: seconds('dora'),
      doraGitLogSeconds: seconds('doraGitLog'),
      doraRatio: seconds('dora') / seconds('doraGitLog'),
      doraPeakRssMiB: peak('dora'),
      doraCommitsRead: runs.get('dora')?.[0]?.count ?? 0,
    };
    const targets = [
      { description: 'dora within 1.5x of git log printing the same fields over the same revisions', met: figures.doraRatio! <= 1.5 },
    ];
    addAnalysisFigures(seconds, peak, figures, targets);
    figures.peakRssMiB = Math.max(...[...runs.keys()].filter((k) => k !== 'doraGitLog' && !k.startsWith('gitLog')).map(peak));
    return {
      input,
      figures,
      targets,
      notes: [
        `Load average over 1/5/15 minutes when the run ended: ${os
          .loadavg()
          .map((l) => l.toFixed(1))
          .join(' / ')} on ${os.cpus().length} cores: compare the ratios, not only the absolute times.`,
        `dora: median of ${DORA_REPEAT} alternating runs; the analyses: ${REPEAT} run(s) each, their baseline the median of the git log runs before and after the group.`,
        'The ratio targets are the ones bench/codebase-history.bench.ts holds the analyses to on a generated repository (1.5x name-only, 1.2x numstat) and 1.5x for dora (the issue).',
        'peakRssMiB is the measuring node process (tsx loader included); git runs in its own process on both sides.',
      ],
    };
  },
};

export default benchmark;
