#!/usr/bin/env node
// Recorded check of `sextant code truck-factor` against published truck factors.
// Usage: node scripts/truck-factor-check.mjs <repository path> <YYYY-MM-DD> <published TF> [label]
// Analyses the last commit of the default branch dated on or before the given day (the snapshot the
// published figure was computed on) and prints one JSON line: label, revision, files, computed and
// published TF. Exit 0 when they agree, 1 when they differ. Needs `npm run build` (dist/) or tsx.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const [repo, day, published, label = path.basename(repo ?? '')] = process.argv.slice(2);
if (!repo || !/^\d{4}-\d{2}-\d{2}$/.test(day ?? '') || !/^\d+$/.test(published ?? '')) {
  process.stderr.write('usage: truck-factor-check.mjs <repository path> <YYYY-MM-DD> <published TF> [label]\n');
  process.exit(2);
}
const git = (...args) => execFileSync('git', ['--git-dir', gitDir(repo), ...args], { encoding: 'utf8' }).trim();
const rev = git('rev-list', '-1', '--first-parent', `--before=${day}T23:59:59Z`, 'HEAD');
if (!rev) {
  process.stderr.write(`no commit on or before ${day}\n`);
  process.exit(2);
}
const root = path.join(path.dirname(new URL(import.meta.url).pathname), '..');
const report = JSON.parse(
  execFileSync(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'src/cli/main.ts'), 'code', 'truck-factor', '--repo', repo, '--rev', rev, '--json'],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    },
  ),
);
const line = { label, day, revision: rev, files: report.files.length, truckFactor: report.truckFactor, published: Number(published) };
process.stdout.write(`${JSON.stringify(line)}\n`);
process.exit(report.truckFactor === Number(published) ? 0 : 1);

function gitDir(dir) {
  return execFileSync('git', ['-C', dir, 'rev-parse', '--git-dir'], { encoding: 'utf8' })
    .trim()
    .replace(/^(?!\/)/, `${dir}/`);
}
