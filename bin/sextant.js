#!/usr/bin/env node
// Runs the compiled CLI. `npm run build` (or `npm start`) produces dist/.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('sextant: dist/ is missing. Run `npm run build` in the Sextant folder first.\n');
  process.exit(1);
}
await import(entry.href);
