import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { machineInfo, type Benchmark, type RecordedResult } from './harness.js';

// Usage: npm run bench [-- NAME_FILTER]
const benchDir = path.dirname(fileURLToPath(import.meta.url));
const resultsDir = path.join(benchDir, 'results');
const filter = process.argv[2];

const files = fs
  .readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !filter || f.includes(filter))
  .sort();

if (files.length === 0) {
  console.error(`no benchmark matches "${filter ?? ''}" in ${benchDir}`);
  process.exit(1);
}

fs.mkdirSync(resultsDir, { recursive: true });
let failedTargets = 0;
for (const file of files) {
  const benchmark = (await import(pathToFileURL(path.join(benchDir, file)).href)).default as Benchmark;
  console.log(`\n== ${benchmark.name}: ${benchmark.description}`);
  const skipped = benchmark.skip?.() ?? null;
  if (skipped !== null) {
    console.log(`  skipped (its recorded result is kept): ${skipped}`);
    continue;
  }
  const result = await benchmark.run();
  const recorded: RecordedResult = {
    name: benchmark.name,
    description: benchmark.description,
    command: `npm run bench -- ${file.replace(/\.bench\.ts$/, '')}`,
    recordedAt: new Date().toISOString(),
    machine: machineInfo(),
    ...result,
  };
  fs.writeFileSync(path.join(resultsDir, `${benchmark.name}.json`), JSON.stringify(recorded, null, 2) + '\n');
  console.log('input:', JSON.stringify(result.input));
  for (const [key, value] of Object.entries(result.figures)) console.log(`  ${key}: ${Number(value.toPrecision(4))}`);
  for (const target of result.targets ?? []) {
    console.log(`  target ${target.met ? 'met' : 'MISSED'}: ${target.description}`);
    if (!target.met) failedTargets++;
  }
}
console.log(`\nresults written to ${path.relative(process.cwd(), resultsDir)}/`);
process.exitCode = failedTargets > 0 ? 1 : 0;
