import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { parseDoraOptions } from '../src/delivery/dora-options.js';
import { doraFromGit } from '../src/delivery/git-dora.js';
import { readTags } from '../src/sources/git/index.js';
import { gitLogArguments } from '../src/sources/git/read-commits.js';

/**
 * One measurement of zero-config `sextant dora` in a fresh process, so its
 * peak memory is its own (startup excluded on both sides):
 *
 *   node --import tsx bench/real-history-measure.ts REPO dora
 *   node --import tsx bench/real-history-measure.ts REPO dora-baseline
 *
 * `dora` runs what `sextant dora --repo REPO` runs (every release tag, the
 * default 90-day window). `dora-baseline` is its natural limit: the same
 * `git log` (Sextant's own arguments and format) over the same revisions,
 * the commits the release tags name, its output drained and thrown away.
 * Prints one JSON line: wall seconds, peak RSS (MiB) and commits or bytes read.
 */
const [repo, mode] = process.argv.slice(2) as [string, string];

let count = 0;
// The command's defaults (commander supplies them on the command line).
const options = parseDoraOptions(
  { repo, timezone: 'UTC', benchmark: '2024', median: 'linear', leadTimeStart: 'author', baselineDays: '30', revertWindowDays: '7' },
  Date.now(),
);
const start = performance.now();
if (mode === 'dora') {
  count = (await doraFromGit(options.request)).commitsRead;
} else if (mode === 'dora-baseline') {
  const tags = (await readTags(repo)).filter((t) => t.commitSha !== null && options.request.tagPattern.test(t.name));
  const child = spawn('git', ['-C', repo, ...gitLogArguments({ withPaths: false })], { stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdin.end([...new Set(tags.map((t) => t.commitSha))].join('\n') + '\n');
  for await (const chunk of child.stdout as AsyncIterable<Buffer>) count += chunk.length;
  await new Promise((resolve) => child.once('close', resolve));
} else {
  throw new Error(`unknown mode "${mode}": dora or dora-baseline`);
}
const seconds = (performance.now() - start) / 1000;
console.log(JSON.stringify({ seconds, peakRssMiB: process.resourceUsage().maxRSS / 1024, count }));
