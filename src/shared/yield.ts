import { performance } from 'node:perf_hooks';

/**
 * Cooperative time slicing for long computations on the server's event loop
 * (issue 9 item 1). better-sqlite3 runs queries synchronously, so a view that
 * reads and computes for 500 ms would hold every other request, /healthz
 * included, for 500 ms. Such work calls `yieldIfBusy()` between steps (the
 * SQLite store does after every query, see store/database.ts): once the
 * current slice has run `SLICE_MS`, it waits one turn of the event loop
 * (setImmediate runs after pending I/O), so other requests are parsed and
 * answered between the slices. When nothing else is waiting, a yield costs
 * microseconds.
 */
export const SLICE_MS = 8;

let sliceStart = performance.now();

export function yieldIfBusy(): Promise<void> | undefined {
  if (performance.now() - sliceStart < SLICE_MS) return undefined;
  return new Promise<void>((resolve) =>
    setImmediate(() => {
      sliceStart = performance.now();
      resolve();
    }),
  );
}

/** Maps `items` with `fn`, yielding to the event loop between items once a slice is used up. */
export async function mapInSlices<T, R>(items: readonly T[], fn: (item: T, index: number) => R): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i++) {
    await yieldIfBusy();
    results.push(fn(items[i] as T, i));
  }
  return results;
}

/**
 * A computation written once, as a generator that `yield`s wherever it may
 * pause (between items of its loops), and run either way: `finishNow` in one
 * piece (the CLI, tests, callers that must stay synchronous), `finishInSlices`
 * giving the event loop a turn whenever a slice is used up. Both return the
 * same value: only when the steps run differs.
 */
export type Steps<T> = Generator<void, T, void>;

export function finishNow<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

// Steps are small (one deployment, one change): reading the clock after each would cost more than many of them.
const STEPS_PER_CLOCK_READ = 64;

export async function finishInSlices<T>(steps: Steps<T>): Promise<T> {
  for (let count = 1; ; count++) {
    const step = steps.next();
    if (step.done) return step.value;
    if (count % STEPS_PER_CLOCK_READ !== 0) continue;
    // Awaiting only a real pause: a microtask per check would cost more than the steps between.
    const pause = yieldIfBusy();
    if (pause) await pause;
  }
}
