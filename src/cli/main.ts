#!/usr/bin/env node
import { Command } from 'commander';
import { MODULES } from '../modules.js';
import { VERSION } from '../shared/version.js';
import { createCliContext } from './cli-context.js';
import { registerDb } from './commands/db.js';
import { registerInit } from './commands/init.js';
import { registerServe } from './commands/serve.js';
import { registerSync } from './commands/sync.js';
import { processStreams } from '../kit/cli/output.js';

/** `sextant <noun> <verb>`: the workspace commands, then every module's, in module order. */
function buildProgram(env: Record<string, string | undefined>): Command {
  const out = processStreams(env);
  const ctx = createCliContext(env, out);
  const program = new Command('sextant')
    .description('Run an engineering organisation on evidence')
    .version(VERSION, '-V, --version')
    .option('-w, --workspace <dir>', 'workspace folder holding sextant.yaml and .sextant/ (default: current folder)')
    .option('--database-url <url>', 'PostgreSQL URL (postgres://...); default: the embedded SQLite store')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => out.stdout.write(s), writeErr: (s) => out.stderr.write(s) });

  registerInit(program, ctx);
  registerServe(program, ctx);
  registerSync(program, ctx);
  registerDb(program, ctx);
  for (const module of MODULES) module.commands?.(program, ctx);
  return program;
}

await buildProgram(process.env).parseAsync(process.argv);
