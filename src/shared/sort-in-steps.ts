import type { Steps } from './yield.js';

/**
 * Elements one uninterrupted run sort takes: a few milliseconds. Sorting the
 * ~1,000,000 lead times of a large organisation's year in one call held the
 * event loop ~150 ms; its ~100,000 deployments ~60 ms.
 */
const RUN_LENGTH = 16_384;
/** Elements merged between pauses. */
const MERGE_STEP = 4_096;

interface Indexed<T> {
  readonly length: number;
  [index: number]: T;
}

/** Sorts numbers ascending in place, as `values.sort()` does, in steps (see shared/yield.ts). */
export function sortNumbersInSteps(values: Float64Array): Steps<void> {
  return mergeSortSteps(
    values,
    new Float64Array(values.length),
    (a, b) => a - b,
    (start, end) => values.subarray(start, end).sort(),
  );
}

/** Sorts in place, as `items.sort(compare)` does (stably), in steps (see shared/yield.ts). */
export function sortInSteps<T>(items: T[], compare: (a: T, b: T) => number): Steps<void> {
  return mergeSortSteps(items, new Array<T>(items.length), compare, (start, end) => {
    const run = items.slice(start, end).sort(compare);
    for (let i = 0; i < run.length; i++) items[start + i] = run[i] as T;
  });
}

/** Bottom-up merge sort: runs sorted natively, then merged pairwise, pausing every run and every MERGE_STEP elements. */
function* mergeSortSteps<T>(
  items: Indexed<T>,
  buffer: Indexed<T>,
  compare: (a: T, b: T) => number,
  sortRun: (start: number, end: number) => void,
): Steps<void> {
  const n = items.length;
  for (let start = 0; start < n; start += RUN_LENGTH) {
    sortRun(start, Math.min(n, start + RUN_LENGTH));
    yield;
  }
  let from = items;
  let to = buffer;
  for (let width = RUN_LENGTH; width < n; width *= 2) {
    for (let left = 0; left < n; left += 2 * width) {
      const mid = Math.min(n, left + width);
      const right = Math.min(n, left + 2 * width);
      let i = left;
      let j = mid;
      for (let k = left; k < right; k++) {
        // Ties take the left run's element first: stable, as Array#sort is.
        if (j >= right || (i < mid && compare(from[i] as T, from[j] as T) <= 0)) to[k] = from[i++] as T;
        else to[k] = from[j++] as T;
        if (k % MERGE_STEP === 0) yield;
      }
    }
    [from, to] = [to, from];
  }
  if (from !== items) {
    for (let k = 0; k < n; k++) {
      items[k] = from[k] as T;
      if (k % MERGE_STEP === 0) yield;
    }
  }
}
