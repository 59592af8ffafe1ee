import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { setTimeout as sleep } from 'node:timers/promises';
import { SextantError, UnavailableError, ValidationError } from '../../shared/errors.js';

/**
 * The one way Sextant runs the git CLI. Every git process starts here, with
 * the same non-interactive environment, and fails with a SextantError:
 *
 * - git missing from PATH: UnavailableError `git is not installed or not on PATH`;
 * - a git command exiting non-zero: GitCommandError, carrying git's stderr;
 * - a path that is not a repository (assertGitRepository, resolveCommit):
 *   ValidationError naming the input field.
 *
 * Output is streamed (large histories never sit in memory as one string) and
 * decoded as UTF-8 across chunk boundaries.
 */
export class GitCommandError extends SextantError {
  readonly type = 'internal';
  readonly status = 500;
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number,
    readonly stderr: string,
  ) {
    super(`git ${args.slice(0, 3).join(' ')} failed (exit ${exitCode}): ${firstLine(stderr)}`);
    this.name = 'GitCommandError';
  }
}

export const GIT_MISSING_MESSAGE = 'git is not installed or not on PATH';

const STDERR_LIMIT = 16 * 1024;

// A fixed, non-interactive environment: no pager, no credential prompts, and
// messages in English (C locale) so they read the same in every log.
export function gitEnv(): NodeJS.ProcessEnv {
  return { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat', LC_ALL: 'C' };
}

function spawnError(error: Error): Error {
  return (error as NodeJS.ErrnoException).code === 'ENOENT' ? new UnavailableError(GIT_MISSING_MESSAGE) : error;
}

/** A running git command whose stdout the caller reads (as Buffers, e.g. `cat-file --batch`). */
export interface GitProcess {
  stdout: Readable;
  stdin: Writable;
  /** Resolves when git exits 0; rejects with GitCommandError (or UnavailableError when git is missing). */
  finished(): Promise<void>;
  /** Stops git if it is still running (the reader stopped early). */
  stop(): void;
}

export function startGit(repoPath: string, args: readonly string[]): GitProcess {
  const child: ChildProcessByStdio<Writable, Readable, Readable> = spawn('git', args, {
    cwd: repoPath,
    env: gitEnv(),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    if (stderr.length < STDERR_LIMIT) stderr += text;
  });
  const exited = new Promise<number>((resolve, reject) => {
    child.once('error', (error) => reject(spawnError(error)));
    child.once('close', (code) => resolve(code ?? -1));
  });
  // Awaited in finished(); until then a failed spawn must not count as unhandled.
  exited.catch(() => undefined);
  // git may exit before reading all of stdin (a bad revision): that is reported by its exit code.
  child.stdin.on('error', () => {});
  return {
    stdout: child.stdout,
    stdin: child.stdin,
    async finished() {
      const code = await exited;
      if (code !== 0) throw new GitCommandError(args, code, stderr);
    },
    stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill();
    },
  };
}

export async function* streamGit(repoPath: string, args: readonly string[], stdin = ''): AsyncGenerator<string> {
  const git = startGit(repoPath, args);
  git.stdin.end(stdin);
  git.stdout.setEncoding('utf8');
  let finished = false;
  try {
    for await (const chunk of git.stdout) yield chunk as string;
    finished = true;
  } finally {
    if (!finished) git.stop();
  }
  await git.finished();
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
  let failedToStart: Error | null = null;
  const child = spawn('git', args, { cwd: repoPath, env: gitEnv(), stdio: ['pipe', writeFd, 'pipe'] });
  fs.closeSync(writeFd);
  const { stdin: input, stderr: errors } = child as typeof child & { stdin: NodeJS.WritableStream; stderr: NodeJS.ReadableStream };
  errors.setEncoding('utf8');
  errors.on('data', (text: string) => {
    if (stderr.length < STDERR_LIMIT) stderr += text;
  });
  child.on('error', (error) => (failedToStart = error));
  child.on('close', (code) => (exitCode = code ?? -1));
  input.on('error', () => {});
  input.end(stdin);
  const decoder = new StringDecoder('utf8');
  const buffer = Buffer.allocUnsafe(SPOOL_READ_BYTES);
  let position = 0;
  let finished = false;
  try {
    for (;;) {
      const exitedBeforeRead = exitCode !== null || failedToStart !== null;
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
  if (failedToStart) throw spawnError(failedToStart);
  if (exitCode !== 0) throw new GitCommandError(args, exitCode ?? -1, stderr);
}

export async function runGit(repoPath: string, args: readonly string[], stdin = ''): Promise<string> {
  let out = '';
  for await (const chunk of streamGit(repoPath, args, stdin)) out += chunk;
  return out;
}

/** Runs a git command whose exit code is the answer (`merge-base --is-ancestor`, `rev-parse --verify`): null when it fails. */
export async function tryGit(repoPath: string, args: readonly string[]): Promise<string | null> {
  try {
    return await runGit(repoPath, args);
  } catch (error) {
    if (error instanceof GitCommandError) return null;
    throw error;
  }
}

/**
 * Checks that `repoPath` is a git repository (a work tree or a bare one) and
 * returns its absolute path. `field` names the input in the error: `--repo`,
 * `repositories.app.path`.
 */
export async function assertGitRepository(repoPath: string, field: string): Promise<string> {
  const absolute = path.resolve(repoPath);
  if (!fs.existsSync(absolute)) throw notARepository(field, `${absolute} does not exist`);
  if (!fs.statSync(absolute).isDirectory()) throw notARepository(field, `${absolute} is not a folder`);
  if ((await tryGit(absolute, ['rev-parse', '--git-dir'])) === null) {
    throw notARepository(field, `${absolute} is not a git repository (no .git found here or in a parent folder)`);
  }
  return absolute;
}

/**
 * Checks the repository and returns the commit `rev` names (a branch, tag,
 * `HEAD`, a sha). Errors name `field` for the repository and `revField` for
 * the revision.
 */
export async function resolveCommit(repoPath: string, rev = 'HEAD', field = 'repo', revField = 'rev'): Promise<string> {
  const repo = await assertGitRepository(repoPath, field);
  if (rev.startsWith('-')) throw new ValidationError('Unknown revision', [{ field: revField, message: `"${rev}" is not a revision` }]);
  const resolved = await tryGit(repo, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`]);
  if (resolved !== null) return resolved.trim();
  if (rev === 'HEAD' && (await tryGit(repo, ['rev-parse', '--verify', '--quiet', 'HEAD'])) === null) {
    throw notARepository(field, `${repo} has no commits yet`);
  }
  throw new ValidationError('Unknown revision', [{ field: revField, message: `"${rev}" is not a commit in ${repo}` }]);
}

function notARepository(field: string, message: string): ValidationError {
  return new ValidationError('Not a git repository', [{ field, message }]);
}

function firstLine(text: string): string {
  return (text.trim().split('\n')[0] ?? '').replace(/^fatal: /, '');
}
