import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { gitEnv } from '../sources/git/index.js';

/** A running git command whose output is read as a stream. */
export interface GitProcess {
  child: ChildProcessByStdio<Writable, Readable, Readable>;
  /** Resolves when git exits 0; rejects with git's stderr otherwise. */
  finished(): Promise<void>;
  /** Stops git if it is still running (the reader stopped early). */
  stop(): void;
}

export function startGit(repo: string, args: string[]): GitProcess {
  const child = spawn('git', ['-C', repo, ...args], { env: gitEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
  const exit = new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code ?? 1));
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => (stderr += text));
  // An early exit closes stdin under a writer; the exit code reports what went wrong.
  child.stdin.on('error', () => {});
  return {
    child,
    async finished() {
      const code = await exit;
      if (code !== 0) throw new Error(`git ${args[0]} failed in ${repo} (exit ${code}): ${stderr.trim()}`);
    },
    stop() {
      if (child.exitCode === null) child.kill();
    },
  };
}

/** Runs a short git command and collects its output (rev-parse, ls-tree and other small answers). */
export async function runGit(repo: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const git = startGit(repo, args);
  git.child.stdin.end();
  let stdout = '';
  git.child.stdout.setEncoding('utf8');
  git.child.stdout.on('data', (text: string) => (stdout += text));
  try {
    await git.finished();
    return { code: 0, stdout, stderr: '' };
  } catch (error) {
    return { code: git.child.exitCode ?? 1, stdout, stderr: (error as Error).message };
  }
}
