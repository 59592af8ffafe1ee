import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
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
function gitEnv(): NodeJS.ProcessEnv {
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
