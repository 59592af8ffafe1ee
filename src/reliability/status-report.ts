import { MinuteSeries, type CountsSource, type MinuteSample } from './counts.js';
import { evaluateSlo } from './evaluate.js';
import type { BurnWindow, DefinitionSet, SloStatus } from './model.js';
import { maintenanceIntervals } from './windows.js';

/** `sextant slo status --json`: exactly these fields per SLO (the documented contract). */
export interface StatusContract {
  name: string;
  target: number;
  window: string;
  good: number;
  total: number;
  attainment: number | null;
  budgetRemaining: number;
  burnRates: Record<BurnWindow, number>;
  alerts: string[];
}

export function toStatusContract(status: SloStatus): StatusContract {
  return {
    name: status.name,
    target: status.target,
    window: status.window,
    good: status.good,
    total: status.total,
    attainment: status.attainment,
    budgetRemaining: status.budgetRemaining,
    burnRates: status.burnRates,
    alerts: status.alerts,
  };
}

/** Evaluates every SLO of a definition set over in-memory samples (from a CSV file, say). */
export function evaluateWithSamples(set: DefinitionSet, samples: ReadonlyMap<string, MinuteSample[]>, at: number): SloStatus[] {
  return evaluateWithSources(set, (name) => new MinuteSeries(samples.get(name) ?? []), at);
}

/** Evaluates every SLO with a counts source per SLO (the store's roll-ups). */
export function evaluateWithSources(set: DefinitionSet, sources: (name: string) => CountsSource, at: number): SloStatus[] {
  return set.slos.map((definition) =>
    evaluateSlo({ definition, source: sources(definition.name), excluded: maintenanceIntervals(definition, set.maintenanceWindows) }, at),
  );
}
