/**
 * Does an input lead its parent? The cross-correlation of the two series'
 * week-over-week changes, the input shifted k weeks earlier (k = 0..8), over
 * the last 26-52 weeks. Changes rather than levels, because two growing
 * series correlate in level whatever drives what. The best lag is the one
 * with the largest |r|; it counts as a relation only when |r| clears a
 * threshold that keeps the chance of calling noise a relation near 5% across
 * all nine lags (Bonferroni: z = 2.77 for 0.05 / 9 two-sided, over sqrt(n)
 * pairs, the large-sample standard error of r under no correlation).
 */
export const MAX_LAG_WEEKS = 8;
export const MIN_WEEKS = 26;
export const MAX_WEEKS = 52;
export const SIGNIFICANCE_Z = 2.77;

export interface LagCorrelation {
  lag: number;
  r: number | null;
  pairs: number;
}

export interface LeadLag {
  /** Weeks of changes used. */
  weeks: number;
  correlations: LagCorrelation[];
  bestLag: number | null;
  /** Pearson r at the best lag (signed). */
  strength: number | null;
  /** |r| a lag needs to count as a relation. */
  threshold: number | null;
  related: boolean;
  verdict: string;
}

/** Pearson's r of two equal-length arrays; null when either has no variance or fewer than 3 pairs. */
export function pearson(x: readonly number[], y: readonly number[]): number | null {
  const n = x.length;
  if (n < 3 || y.length !== n) return null;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i] as number;
    my += y[i] as number;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - mx;
    const dy = (y[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  return sxy / Math.sqrt(sxx * syy);
}

export function changes(levels: ReadonlyArray<number | null>): Array<number | null> {
  return levels.slice(1).map((v, i) => {
    const before = levels[i];
    return v === null || before === null || before === undefined ? null : v - before;
  });
}

/**
 * `input` and `parent` are weekly levels over the same weeks, oldest first
 * (null = missing week). Uses at most the last 52 weeks of changes; fewer than
 * 26 gives "not enough data".
 */
export function leadLag(input: ReadonlyArray<number | null>, parent: ReadonlyArray<number | null>): LeadLag {
  const dx = changes(input).slice(-MAX_WEEKS - MAX_LAG_WEEKS);
  const dy = changes(parent).slice(-MAX_WEEKS - MAX_LAG_WEEKS);
  const length = Math.min(dx.length, dy.length);
  const x = dx.slice(dx.length - length);
  const y = dy.slice(dy.length - length);
  const weeks = Math.min(length, MAX_WEEKS);
  const correlations: LagCorrelation[] = [];
  for (let lag = 0; lag <= MAX_LAG_WEEKS; lag++) {
    const xs: number[] = [];
    const ys: number[] = [];
    // Parent change at week t against input change at week t - lag, t over the last `weeks` weeks.
    for (let t = length - weeks; t < length; t++) {
      const a = x[t - lag];
      const b = y[t];
      if (t - lag < 0 || a === null || a === undefined || b === null || b === undefined) continue;
      xs.push(a);
      ys.push(b);
    }
    correlations.push({ lag, r: pearson(xs, ys), pairs: xs.length });
  }
  const none = (verdict: string): LeadLag => ({
    weeks,
    correlations,
    bestLag: null,
    strength: null,
    threshold: null,
    related: false,
    verdict,
  });
  if (weeks < MIN_WEEKS) return none(`not enough data (${weeks} of ${MIN_WEEKS} weeks)`);
  let best: LagCorrelation | null = null;
  for (const c of correlations) if (c.r !== null && (best === null || Math.abs(c.r) > Math.abs(best.r as number))) best = c;
  if (best === null) return none('no relation found (no variation)');
  const threshold = SIGNIFICANCE_Z / Math.sqrt(best.pairs);
  const strength = best.r as number;
  const related = Math.abs(strength) >= threshold;
  return {
    weeks,
    correlations,
    bestLag: best.lag,
    strength,
    threshold,
    related,
    verdict: related ? verdictText(best.lag, strength) : 'no relation found',
  };
}

function verdictText(lag: number, r: number): string {
  const how = r > 0 ? 'moves with it' : 'moves against it';
  if (lag === 0) return `${how} in the same week`;
  return `${how} ${lag} week${lag === 1 ? '' : 's'} ahead`;
}
