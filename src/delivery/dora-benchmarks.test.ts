import { describe, expect, it } from 'vitest';
import { bandTier, DORA_BENCHMARKS, frequencyTier } from './dora-benchmarks.js';

const HOUR = 3600;
const DAY = 24 * HOUR;

describe('DORA tiers', () => {
  const b2024 = DORA_BENCHMARKS['2024'];
  const b2023 = DORA_BENCHMARKS['2023'];

  it('reads lead time bands best first, with exclusive upper bounds', () => {
    expect(bandTier(b2024.leadTime, 23 * HOUR)?.tier).toBe('elite');
    expect(bandTier(b2024.leadTime, DAY)?.tier).toBe('high'); // exactly one day is no longer "less than one day"
    expect(bandTier(b2024.leadTime, 6 * DAY)?.tier).toBe('high');
    expect(bandTier(b2024.leadTime, 8 * DAY)?.tier).toBe('medium');
    expect(bandTier(b2024.leadTime, 40 * DAY)).toEqual({ tier: 'low', published: 'Between one month and six months' });
    expect(bandTier(b2024.leadTime, null)).toBeNull();
  });

  it('maps change failure rates to the nearest published cluster value', () => {
    // 2024 clusters: elite 5%, medium 10%, high 20%, low 40% -> bounds 7.5%, 15%, 30%.
    expect(bandTier(b2024.changeFailureRate, 0.05)?.tier).toBe('elite');
    expect(bandTier(b2024.changeFailureRate, 0.1)?.tier).toBe('medium');
    expect(bandTier(b2024.changeFailureRate, 0.2)?.tier).toBe('high');
    expect(bandTier(b2024.changeFailureRate, 0.35)?.tier).toBe('low');
    // 2023 clusters: 5%, 10%, 15%, 64% -> bounds 7.5%, 12.5%, 39.5%.
    expect(bandTier(b2023.changeFailureRate, 0.12)?.tier).toBe('high');
    expect(bandTier(b2023.changeFailureRate, 0.39)?.tier).toBe('medium');
    expect(bandTier(b2023.changeFailureRate, 0.4)?.tier).toBe('low');
  });

  it('gives recovery times their tier, the better tier taking ranges published twice', () => {
    expect(bandTier(b2024.recoveryTime, 30 * 60)?.tier).toBe('elite');
    expect(bandTier(b2024.recoveryTime, 5 * HOUR)?.tier).toBe('high');
    expect(bandTier(b2024.recoveryTime, 2 * DAY)?.tier).toBe('low');
    expect(bandTier(b2023.recoveryTime, 2 * DAY)?.tier).toBe('medium');
    expect(bandTier(b2023.recoveryTime, 8 * DAY)?.tier).toBe('low');
  });

  it('tiers deployment frequency by median deploy-days per week, then by deployments per week', () => {
    const tier = (median: number, perWeek: number) =>
      frequencyTier(b2024.deploymentFrequency, { medianDeployDaysPerWeek: median, deploymentsPerWeek: perWeek })?.tier;
    expect(tier(5, 12)).toBe('elite');
    expect(tier(4.5, 9)).toBe('high');
    expect(tier(1, 1)).toBe('high');
    expect(tier(0, 0.5)).toBe('medium'); // every other week
    expect(tier(0, 12 / 52)).toBe('medium'); // once a month
    expect(tier(0, 0.2)).toBe('low');
  });
});
