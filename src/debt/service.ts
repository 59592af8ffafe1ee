import type { Kysely } from 'kysely';
import { loadOrg, slugify } from '../org/index.js';
import { NotFoundError, ValidationError } from '../shared/errors.js';
import type { Database, Store } from '../store/database.js';
import { proposeCandidates, type Candidate } from './candidates.js';
import {
  capacity,
  DEFAULT_CADENCE,
  sprintOf,
  summarise,
  weeklySeries,
  type Cadence,
  type TeamCapacity,
  type WeeklyPoint,
} from './capacity.js';
import { categorise, type Categorised } from './categorise.js';
import { EvidenceReader } from './evidence.js';
import { type DebtConfig, type DebtItem, type DebtItemInput, type DebtStatus, type WorkItem } from './model.js';
import { scorecard, type ScoredItem } from './scorecard.js';
import * as debtStore from './store.js';

type Db = Kysely<Database>;

/** The module's operations over the store: what the routes, the CLI and the demo call. */

export function cadenceOf(config: DebtConfig): Cadence {
  return config.cadence ? { days: config.cadence.days, start: Date.parse(`${config.cadence.start}T00:00:00Z`) } : DEFAULT_CADENCE;
}

export interface CapacityReport {
  effort: DebtConfig['effort'];
  cadence: { days: number; start: string };
  teams: TeamCapacity[];
}

/** Capacity per team and sprint under the applied rules (all teams, or one), aggregated by the store. */
export async function capacityReport(
  store: Store,
  options: { team?: string | undefined; sprints?: number | undefined } = {},
): Promise<CapacityReport> {
  const config = await debtStore.loadDebtSettings(store.db);
  const cadence = cadenceOf(config);
  const tallies = await debtStore.capacityTallies(store.db, store.dialect, { team: options.team, effort: config.effort, cadence });
  return report(config, summarise(tallies, capacityOptions(config, options.sprints)));
}

/** The same report over items in memory (categorised here). */
export function computeCapacity(items: readonly WorkItem[], config: DebtConfig, sprints?: number): CapacityReport {
  const teams = capacity(items, categorise(items, config.rules), {
    effort: config.effort,
    cadence: cadenceOf(config),
    ...capacityOptions(config, sprints),
  });
  return report(config, teams);
}

function capacityOptions(config: DebtConfig, sprints: number | undefined) {
  return {
    target: (team: string) => config.targets[team] ?? config.target,
    wipLimit: (team: string) => config.wipLimits[team] ?? null,
    ...(sprints !== undefined ? { sprints } : {}),
  };
}

function report(config: DebtConfig, teams: TeamCapacity[]): CapacityReport {
  const cadence = cadenceOf(config);
  return { effort: config.effort, cadence: { days: cadence.days, start: new Date(cadence.start).toISOString().slice(0, 10) }, teams };
}

/** The items behind one team's sprint, each with its stored category and the rule that gave it. */
export async function sprintItems(store: Store, team: string, sprint: string): Promise<Array<WorkItem & { category: Categorised }>> {
  const config = await debtStore.loadDebtSettings(store.db);
  const items = await debtStore.loadCategorisedWorkItems(store.db, store.dialect, { team });
  const cadence = cadenceOf(config);
  return items.filter((item) => {
    const at = item.state === 'done' ? sprintOf(item, cadence) : null;
    return at !== null && at.key === sprint;
  });
}

/** Weekly debt share and WIP per team for the outcomes metric store (the lead wires the writer). */
export async function readWeeklySeries(db: Db, window: { from: number; to: number }): Promise<WeeklyPoint[]> {
  const config = await debtStore.loadDebtSettings(db);
  const items = await debtStore.loadWorkItems(db, { since: window.from });
  const all = await debtStore.loadWorkItems(db);
  return weeklySeries(items, categorise(all, config.rules), config.effort, window);
}

// --- The register ---------------------------------------------------------------------------------------

/** The register, scored with evidence and ranked. Paid and won't-fix items are left out unless asked for. */
export async function scoredRegister(db: Db, now: number, options: { all?: boolean } = {}): Promise<ScoredItem[]> {
  const config = await debtStore.loadDebtSettings(db);
  const items = (await debtStore.loadDebtItems(db)).filter((i) => options.all === true || (i.status !== 'paid' && i.status !== 'wont-fix'));
  const reader = new EvidenceReader(db, now);
  const withEvidence = [];
  for (const item of items) withEvidence.push({ item, evidence: await reader.evidenceFor(item) });
  return scorecard(withEvidence, config.weights);
}

export async function addDebtItem(
  store: Store,
  input: DebtItemInput,
  now: number,
  candidateKey: string | null = null,
  reader?: EvidenceReader,
): Promise<{ item: DebtItem; warnings: string[] }> {
  const org = await loadOrg(store.db);
  const issues: Array<{ field: string; message: string }> = [];
  if (input.repository !== null && !org.repositories.some((r) => r.id === input.repository))
    issues.push({ field: 'repository', message: `unknown repository "${input.repository}"` });
  if (input.service !== null && !org.services.some((s) => s.id === input.service))
    issues.push({ field: 'service', message: `unknown service "${input.service}"` });
  if (input.team !== null && !org.teams.some((t) => t.id === input.team))
    issues.push({ field: 'team', message: `unknown team "${input.team}"` });
  if (input.paths.length > 0 && input.repository === null) issues.push({ field: 'paths', message: 'paths need a repository' });
  if (issues.length > 0) throw new ValidationError('Invalid debt item', issues);
  const existing = new Set((await debtStore.loadDebtItems(store.db)).map((i) => i.id));
  let id = input.id ?? (slugify(input.title) === 'person' ? 'debt' : slugify(input.title));
  if (input.id === undefined) for (let n = 2; existing.has(id); n++) id = `${slugify(input.title).slice(0, 60)}-${n}`;
  const item: DebtItem = {
    id,
    title: input.title,
    category: input.category,
    quadrant: input.quadrant,
    location: { repository: input.repository, paths: input.paths, service: input.service },
    team: input.team,
    status: input.status,
    impact: input.impact,
    principalDays: input.principalDays,
    candidateKey,
    created: now,
    updated: now,
  };
  await debtStore.insertDebtItem(store.db, item);
  // A path missing from the repository is a warning, not an error: the item is kept.
  return { item, warnings: await (reader ?? new EvidenceReader(store.db, now)).pathWarnings(item.location) };
}

export async function setDebtStatus(db: Db, id: string, status: DebtStatus, now: number): Promise<DebtItem> {
  return debtStore.updateDebtStatus(db, id, status, now);
}

// --- Candidates -------------------------------------------------------------------------------------------

/** Candidates from evidence, minus those dismissed or already in the register. */
export async function listCandidates(db: Db, now: number): Promise<Candidate[]> {
  const reader = new EvidenceReader(db, now);
  const proposed = proposeCandidates(await reader.candidateInput());
  const dismissed = await debtStore.dismissedKeys(db);
  const accepted = new Set((await debtStore.loadDebtItems(db)).flatMap((i) => (i.candidateKey === null ? [] : [i.candidateKey])));
  return proposed.filter((c) => !dismissed.has(c.key) && !accepted.has(c.key));
}

async function findCandidate(db: Db, key: string, now: number, open?: readonly Candidate[]): Promise<Candidate> {
  const candidate = (open ?? (await listCandidates(db, now))).find((c) => c.key === key);
  if (!candidate) throw new NotFoundError(`No open candidate "${key}" (it may have been accepted, dismissed, or the evidence changed)`);
  return candidate;
}

/**
 * Accepts a candidate into the register with its evidence's location and
 * proposed impact. `open` is the list of open candidates when the caller has
 * just computed it (the demo accepts several at once).
 */
export async function acceptCandidate(
  store: Store,
  key: string,
  now: number,
  overrides: { principalDays?: number | null | undefined; impact?: string | undefined; id?: string } = {},
  open?: readonly Candidate[],
): Promise<{ item: DebtItem; warnings: string[] }> {
  const c = await findCandidate(store.db, key, now, open);
  return addDebtItem(
    store,
    {
      ...(overrides.id !== undefined ? { id: overrides.id } : {}),
      title: c.title,
      category: c.category,
      quadrant: null,
      repository: c.location.repository,
      paths: c.location.paths,
      service: c.location.service,
      team: c.team,
      status: 'accepted',
      impact: overrides.impact ?? c.impact,
      principalDays: overrides.principalDays ?? null,
    },
    now,
    c.key,
  );
}

export async function dismissCandidate(db: Db, key: string, reason: string, now: number, open?: readonly Candidate[]): Promise<void> {
  await findCandidate(db, key, now, open);
  await debtStore.dismissCandidate(db, key, reason, now);
}
