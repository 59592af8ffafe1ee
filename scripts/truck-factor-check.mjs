#!/usr/bin/env node
// Recorded check of `sextant code truck-factor` against published truck factors.
// Usage: node scripts/truck-factor-check.mjs <repository path> <YYYY-MM-DD> <published TF> [label] [branch]
// Analyses the last first-parent commit of the branch (default HEAD) dated on or before the given day (the
// snapshot the published figure was computed on), with that commit's own .mailmap (the authors' tool ran in a
// checkout of the snapshot), and prints one JSON line: label, revision, files, computed and published TF.
// Blobs absent from the repository (a partial snapshot without its largest files) get a placeholder in a
// temporary shared clone (git replace), so git log can diff them; truck factor counts changes, not lines, so
// only rename detection of those few files could differ; the line says how many. Exit 0 when the values
// agree, 1 when they differ. Runs src/ through tsx.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [repo, day, published, label = path.basename(repo ?? ''), branch = 'HEAD'] = process.argv.slice(2);
if (!repo || !/^\d{4}-\d{2}-\d{2}$/.test(day ?? '') || !/^\d+$/.test(published ?? '')) {
  process.stderr.write('usage: truck-factor-check.mjs <repository path> <YYYY-MM-DD> <published TF> [label] [branch]\n');
  process.exit(2);
}
const gitIn = (dir, ...args) => execFileSync('git', ['--git-dir', dir, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 }).trim();
let gitDir = resolveGitDir(repo);
const rev = gitIn(gitDir, 'rev-list', '-1', '--first-parent', `--before=${day}T23:59:59Z`, branch);
if (!rev) {
  process.stderr.write(`no commit on or before ${day}\n`);
  process.exit(2);
}
const missing = gitIn(gitDir, 'rev-list', '--objects', '--missing=print', rev)
  .split('\n')
  .filter((line) => line.startsWith('?'))
  .map((line) => line.slice(1));
let scratch = null;
if (missing.length > 0) {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-check-'));
  execFileSync('git', ['clone', '--quiet', '--bare', '--shared', gitDir, scratch]);
  const placeholder = execFileSync('git', ['--git-dir', scratch, 'hash-object', '-w', '--stdin'], { input: 'placeholder\0' })
    .toString()
    .trim();
  for (const object of missing) gitIn(scratch, 'replace', '-f', object, placeholder);
  gitDir = scratch;
}
const root = path.join(path.dirname(new URL(import.meta.url).pathname), '..');
let report;
try {
  const hasMailmap = gitIn(gitDir, 'ls-tree', '--name-only', rev, '.mailmap') !== '';
  report = JSON.parse(
    execFileSync(
      process.execPath,
      ['--import', 'tsx', path.join(root, 'src/cli/main.ts'), 'code', 'truck-factor', '--repo', gitDir, '--rev', rev, '--json'],
      {
        encoding: 'utf8',
        maxBuffer: 1 << 30,
        // The snapshot's .mailmap, not the one at the branch's tip (a bare repository reads HEAD:.mailmap).
        env: hasMailmap
          ? { ...process.env, GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'mailmap.blob', GIT_CONFIG_VALUE_0: `${rev}:.mailmap` }
          : { ...process.env, GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'mailmap.blob', GIT_CONFIG_VALUE_0: '' },
      },
    ),
  );
} finally {
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
}
const line = {
  label,
  day,
  revision: rev,
  files: report.files.length,
  truckFactor: report.truckFactor,
  published: Number(published),
  ...(missing.length > 0 ? { placeholderBlobs: missing.length } : {}),
};
process.stdout.write(`${JSON.stringify(line)}\n`);
process.exit(report.truckFactor === Number(published) ? 0 : 1);

function resolveGitDir(dir) {
  return execFileSync('git', ['-C', dir, 'rev-parse', '--git-dir'], { encoding: 'utf8' })
    .trim()
    .replace(/^(?!\/)/, `${dir}/`);
}
