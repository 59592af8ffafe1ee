/**
 * code-maat rounds ratios (ownership, fractal value) to two significant digits,
 * half up, on the exact fraction (`with-precision 2` on a BigDecimal). Doing
 * the same on integers keeps 2/3 -> 0.67 and 1/8 -> 0.13 exact, where binary
 * floating point would round 0.125-like halves either way.
 */
export function twoSignificantDigits(numerator: number, denominator: number): number {
  if (denominator <= 0) throw new RangeError('denominator must be positive');
  if (numerator === 0) return 0;
  const sign = numerator < 0 ? -1 : 1;
  const num = BigInt(Math.abs(numerator));
  const den = BigInt(denominator);
  // Find k such that 10 <= num * 10^k / den < 100, then round num * 10^k / den half up.
  let k = 0;
  while (num * 10n ** BigInt(Math.max(k, 0)) < 10n * den * 10n ** BigInt(Math.max(-k, 0))) k++;
  while (num * 10n ** BigInt(Math.max(k, 0)) >= 100n * den * 10n ** BigInt(Math.max(-k, 0))) k--;
  const scaledNum = num * 10n ** BigInt(Math.max(k, 0));
  const scaledDen = den * 10n ** BigInt(Math.max(-k, 0));
  const rounded = (2n * scaledNum + scaledDen) / (2n * scaledDen);
  return (sign * Number(rounded)) / 10 ** k;
}
