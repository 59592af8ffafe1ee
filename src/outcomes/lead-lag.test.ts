import { describe, expect, it } from 'vitest';
import { leadLag } from './lead-lag.js';

/**
 * Synthetic weekly levels (53 weeks) generated with numpy
 * (`np.random.default_rng(7)`): `input` is a random walk with integer steps in
 * [-10, 10]; `parent` changes by 3 x the input's change two weeks earlier plus
 * integer noise in [-3, 3]; `other` is an independent random walk. The
 * expected correlations are numpy's: for lag k,
 * `np.corrcoef(np.diff(input)[0:52-k], np.diff(parent)[k:52])[0, 1]`.
 */
const INPUT = [
  100, 109, 112, 116, 124, 126, 132, 139, 133, 124, 120, 115, 123, 132, 122, 122, 129, 121, 127, 119, 118, 125, 121, 118, 113, 118, 113,
  123, 122, 122, 122, 124, 125, 125, 135, 141, 147, 151, 154, 151, 161, 160, 154, 161, 154, 162, 164, 156, 146, 145, 135, 127, 127,
];
const PARENT = [
  500, 503, 503, 532, 544, 558, 583, 589, 607, 626, 608, 580, 566, 554, 575, 599, 567, 570, 592, 571, 587, 565, 561, 582, 567, 559, 546,
  562, 545, 575, 570, 573, 576, 580, 583, 586, 618, 637, 656, 665, 676, 667, 694, 689, 671, 694, 673, 698, 707, 684, 653, 651, 622,
];
const OTHER = [
  50, 42, 33, 36, 34, 36, 32, 26, 19, 17, 24, 22, 19, 21, 31, 29, 31, 30, 32, 31, 34, 35, 39, 49, 42, 43, 42, 39, 34, 25, 23, 30, 22, 20,
  30, 39, 33, 23, 27, 17, 13, 13, 21, 12, 15, 16, 8, 15, 22, 22, 31, 33, 41,
];
const NUMPY_LEAD = [
  0.1067202869, 0.0147594923, 0.9945092939, -0.0586090784, 0.0781173069, 0.1894099156, -0.178444247, 0.0666634005, 0.1844169896,
];
const NUMPY_NOISE = [
  -0.0491991072, -0.1238739833, -0.2765222223, -0.047636282, 0.1207811471, -0.0928793811, -0.0386992809, -0.0406253658, -0.2386640537,
];

describe('lead/lag check', () => {
  it('finds an input that leads by two weeks at lag 2, with numpy’s correlations', () => {
    const result = leadLag(INPUT, PARENT);
    result.correlations.forEach((c, lag) => expect(c.r).toBeCloseTo(NUMPY_LEAD[lag] as number, 9));
    expect(result.correlations.map((c) => c.pairs)).toEqual([52, 51, 50, 49, 48, 47, 46, 45, 44]);
    expect(result.bestLag).toBe(2);
    expect(result.related).toBe(true);
    expect(result.verdict).toBe('moves with it 2 weeks ahead');
  });

  it('reports pure noise as no relation', () => {
    const result = leadLag(OTHER, PARENT);
    result.correlations.forEach((c, lag) => expect(c.r).toBeCloseTo(NUMPY_NOISE[lag] as number, 9));
    // Largest |r| is 0.277 at lag 2 over 50 pairs; the threshold is 2.77 / sqrt(50) = 0.392.
    expect(result.threshold).toBeCloseTo(2.77 / Math.sqrt(50), 12);
    expect(result.related).toBe(false);
    expect(result.verdict).toBe('no relation found');
  });

  it('needs 26 weeks of changes', () => {
    expect(leadLag(INPUT.slice(0, 20), PARENT.slice(0, 20)).verdict).toBe('not enough data (19 of 26 weeks)');
  });
});
