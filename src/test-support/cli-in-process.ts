import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { createCliContext } from '../cli/cli-context.js';
import type { CliContext } from '../kit/cli/context.js';
import type { OutputStreams } from '../kit/cli/output.js';

export interface InProcessResult {
  /** The exit code the CLI would set. */
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `sextant <args>` in-process with one module's commands and captured
 * output — the same commander program and CLI context as bin/sextant.js, in
 * milliseconds instead of a tsx start per call.
 */
export async function runCommandsInProcess(
  register: (program: Command, ctx: CliContext) => void,
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<InProcessResult> {
  const capture = () => {
    const stream = new PassThrough();
    const chunks: string[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
    return { stream, text: () => chunks.join('') };
  };
  const stdout = capture();
  const stderr = capture();
  const out: OutputStreams = { stdout: stdout.stream, stderr: stderr.stream, noColor: true };
  const program = new Command('sextant')
    .option('-w, --workspace <dir>')
    .option('--database-url <url>')
    .exitOverride()
    .configureOutput({ writeOut: (s) => out.stdout.write(s), writeErr: (s) => out.stderr.write(s) });
  register(program, createCliContext(env, out));
  process.exitCode = undefined;
  await program.parseAsync(['node', 'sextant', ...args]);
  const code = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  await new Promise((resolve) => setImmediate(resolve));
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
