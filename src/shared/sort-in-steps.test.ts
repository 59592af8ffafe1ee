import { describe, expect, it } from 'vitest';
import { SeededRandom } from './random.js';
import { sortInSteps, sortNumbersInSteps } from './sort-in-steps.js';
import { finishNow } from './yield.js';

describe('sorting in steps', () => {
  const random = new SeededRandom(7);
  // Sizes around the 16,384-element runs: none, one partial, several with a partial last one.
  const sizes = [0, 1, 1000, 16_384, 50_000];

  it('sorts numbers as Float64Array#sort does', () => {
    for (const size of sizes) {
      const values = Float64Array.from({ length: size }, () => Math.floor(random.next() * 1e9));
      const expected = values.slice().sort();
      finishNow(sortNumbersInSteps(values));
      expect(values).toEqual(expected);
    }
  });

  it('sorts items stably as Array#sort does', () => {
    for (const size of sizes) {
      // Few distinct keys: many ties, whose input order must be kept.
      const items = Array.from({ length: size }, (_, index) => ({ key: Math.floor(random.next() * 50), index }));
      const compare = (a: { key: number }, b: { key: number }) => a.key - b.key;
      const expected = items.slice().sort(compare);
      finishNow(sortInSteps(items, compare));
      expect(items).toEqual(expected);
    }
  });
});
