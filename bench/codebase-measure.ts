import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { analysisOptionsSchema, type AnalysisName } from '../src/codebase/model.js';
import { runAnalyses } from '../src/codebase/run-analysis.js';

/**
 * One measurement in a fresh process, so its peak memory is its own:
 *
 *   node --import tsx bench/codebase-measure.ts REPO baseline -- git log args...
 *   node --import tsx bench/codebase-measure.ts REPO analyses NAME [NAME...]
 *
 * `baseline` pipes `git log ...` into this process and discards it: the least
 * any reader of git's output can do. `analyses` runs Sextant's analyses in one
 * pass. Prints one JSON line: wall seconds, this process's peak RSS (MiB) and
 * bytes or commits read.
 */
const [repo, mode, ...rest] = process.argv.slice(2) as [string, string, ...string[]];

const start = performance.now();
let count = 0;
if (mode === 'baseline') {
  const args = rest[0] === '--' ? rest.slice(1) : rest;
  const child = spawn('git', ['-C', repo, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  for await (const chunk of child.stdout as AsyncIterable<Buffer>) count += chunk.length;
  await new Promise((resolve) => child.once('close', resolve));
} else {
  const run = await runAnalyses(rest as AnalysisName[], { kind: 'repo', repo }, analysisOptionsSchema.parse({}));
  count = run.commits;
}
const seconds = (performance.now() - start) / 1000;
console.log(JSON.stringify({ seconds, peakRssMiB: process.resourceUsage().maxRSS / 1024, count }));
