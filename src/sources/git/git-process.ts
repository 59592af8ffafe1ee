import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { setTimeout as sleep } from 'node:timers/promises';
import { UnavailableError, ValidationError } from '../../shared/errors.js';

/**
 * Runs the git CLI. Output is streamed (large histories never sit in memory
 * as one string) and decoded as UTF-8 across chunk boundaries. A non-zero
 * exit raises GitCommandError with git's own message.
 */
export class GitCommandError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number,
    readonly stderr: string,
  ) {
    super(`git ${args.slice(0, 3).join(' ')} failed (exit ${exitCode}): ${firstLine(stderr)}`);
    this.name = 'GitCommandError';
  }
}

const STDERR_LIMIT = 16 * 1024;

// A fixed, non-interactive environment: no pager, no credential prompts, and
// messages in English so they read the same in every log.
export function gitEnv(): NodeJS.ProcessEnv {
  return { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat', LC_ALL: 'C' };
}

export async function* streamGit(repoPath: string, args: readonly string[], stdin = ''): AsyncGenerator<string> {
  const child = spawn('git', args, { cwd: repoPath, env: gitEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    if (stderr.length < STDERR_LIMIT) stderr += text;
  });
  const exited = new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? -1));
  });
  // git may exit before reading all of stdin (a bad revision): that is reported by its exit code.
  child.stdin.on('error', () => {});
  child.stdin.end(stdin);
  child.stdout.setEncoding('utf8');
  let finished = false;
  try {
    for await (const chunk of child.stdout) yield chunk as string;
    finished = true;
  } finally {
    if (!finished) child.kill();
  }
  let code: number;
  try {
    code = await exited;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UnavailableError('git is not installed or not on the PATH');
    throw error;
  }
  if (code !== 0) throw new GitCommandError(args, code, stderr);
}

const SPOOL_READ_BYTES = 1 << 20;
const SPOOL_POLL_MS = 2;

/**
 * Like streamGit, but git writes to an unlinked temporary file that is read
 * as it grows. Through a pipe, a consumer that does slow synchronous work
 * (SQLite inserts) stalls git whenever the 64 KiB pipe buffer fills, so their
 * times add up; spooled, git runs at full speed beside the consumer and the
 * total approaches the slower of the two. Costs disk space for the output.
 */
export async function* spoolGit(repoPath: string, args: readonly string[], stdin = ''): AsyncGenerator<string> {
  const file = path.join(os.tmpdir(), `sextant-git-${randomUUID()}.out`);
  const writeFd = fs.openSync(file, 'w');
  const readFd = fs.openSync(file, 'r');
  fs.unlinkSync(file); // the open descriptors keep it alive; nothing is left behind on a crash
  let stderr = '';
  let exitCode: number | null = null;
  let spawnError: Error | null = null;
  const child = spawn('git', args, { cwd: repoPath, env: gitEnv(), stdio: ['pipe', writeFd, 'pipe'] });
  fs.closeSync(writeFd);
  const { stdin: input, stderr: errors } = child as typeof child & { stdin: NodeJS.WritableStream; stderr: NodeJS.ReadableStream };
  errors.setEncoding('utf8');
  errors.on('data', (text: string) => {
    if (stderr.length < STDERR_LIMIT) stderr += text;
  });
  child.on('error', (error) => (spawnError = error));
  child.on('close', (code) => (exitCode = code ?? -1));
  input.on('error', () => {});
  input.end(stdin);
  const decoder = new StringDecoder('utf8');
  const buffer = Buffer.allocUnsafe(SPOOL_READ_BYTES);
  let position = 0;
  let finished = false;
  try {
    for (;;) {
      const exitedBeforeRead = exitCode !== null || spawnError !== null;
      const bytes = fs.readSync(readFd, buffer, 0, buffer.length, position);
      if (bytes > 0) {
        position += bytes;
        yield decoder.write(buffer.subarray(0, bytes));
      } else if (exitedBeforeRead) break;
      else await sleep(SPOOL_POLL_MS);
    }
    const rest = decoder.end();
    if (rest) yield rest;
    finished = true;
  } finally {
    fs.closeSync(readFd);
    if (!finished && exitCode === null) child.kill();
  }
  if (spawnError) {
    if ((spawnError as NodeJS.ErrnoException).code === 'ENOENT') throw new UnavailableError('git is not installed or not on the PATH');
    throw spawnError;
  }
  if (exitCode !== 0) throw new GitCommandError(args, exitCode ?? -1, stderr);
}

export async function runGit(repoPath: string, args: readonly string[], stdin = ''): Promise<string> {
  let out = '';
  for await (const chunk of streamGit(repoPath, args, stdin)) out += chunk;
  return out;
}

/**
 * Checks that `repoPath` is a git repository (a work tree or a bare one) and
 * returns its absolute path. `field` names the input in the error: `--repo`,
 * `repositories[2].path`.
 */
export async function assertGitRepository(repoPath: string, field: string): Promise<string> {
  const absolute = path.resolve(repoPath);
  if (!fs.existsSync(absolute))
    throw new ValidationError(`${absolute} does not exist`, [{ field, message: `no such folder: ${absolute}` }]);
  if (!fs.statSync(absolute).isDirectory()) {
    throw new ValidationError(`${absolute} is not a folder`, [{ field, message: `not a folder: ${absolute}` }]);
  }
  try {
    await runGit(absolute, ['rev-parse', '--git-dir']);
  } catch (error) {
    if (error instanceof GitCommandError) {
      throw new ValidationError(`${absolute} is not a git repository`, [
        { field, message: `${absolute} is not a git repository (nor inside one)` },
      ]);
    }
    throw error;
  }
  return absolute;
}

function firstLine(text: string): string {
  return (text.trim().split('\n')[0] ?? '').replace(/^fatal: /, '');
}
