import { execFile } from 'node:child_process';
import os from 'node:os';
import { promisify } from 'node:util';
import { performance } from 'node:perf_hooks';

/**
 * A benchmark measures one capability at a stated input size and, in the same
 * run, the natural limit it should be compared with (plain `git log`, raw
 * inserts, ...). `bench/run.ts` runs every `bench/*.bench.ts` and records the
 * result with the machine it ran on in `bench/results/<name>.json`.
 */
export interface Benchmark {
  name: string;
  description: string;
  /** Why this benchmark cannot run here (e.g. the repository it needs is not given); null when it can. */
  skip?(): string | null;
  run(): Promise<BenchmarkResult>;
}

export interface BenchmarkResult {
  /** What was measured on: counts of rows, commits, samples. */
  input: Record<string, number | string>;
  /** Measured figures, with units in the key (`seconds`, `rowsPerSecond`, `ratio`). */
  figures: Record<string, number>;
  /** The target the issue sets, and whether this run met it. */
  targets?: Array<{ description: string; met: boolean }>;
  notes?: string[];
}

export interface RecordedResult extends BenchmarkResult {
  name: string;
  description: string;
  command: string;
  recordedAt: string;
  machine: { platform: string; cpus: number; cpuModel: string; memoryGiB: number; node: string };
}

/**
 * Runs `fn` `repeat` times and returns the median wall time in seconds. When
 * `fn` returns a number, that is taken as the measured seconds (so setup inside
 * `fn` can be excluded from the timing).
 */
export async function medianSeconds(fn: () => Promise<unknown> | unknown, repeat = 3): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const start = performance.now();
    const measured = await fn();
    times.push(typeof measured === 'number' ? measured : (performance.now() - start) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

export function machineInfo(): RecordedResult['machine'] {
  return {
    platform: `${os.platform()} ${os.release()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
  };
}

/** One measurement printed as a JSON line by a script run in a fresh node process (so its peak memory is its own). */
export interface ProcessMeasure {
  seconds: number;
  peakRssMiB: number;
  count: number;
}

export async function measureInProcess(script: string, args: string[]): Promise<ProcessMeasure> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script, ...args], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop() as string) as ProcessMeasure;
}

export const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
