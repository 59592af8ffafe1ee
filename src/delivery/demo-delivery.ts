import type { DemoOptions } from '../kit/demo.js';
import { generateDemoOrg, type Org } from '../org/index.js';
import { SeededRandom } from '../shared/random.js';
import type { Store } from '../store/database.js';
import { DAY_MS, HOUR_MS, type Deployment, type Incident } from './model.js';
import { replaceDemoIncidents } from '../incidents/index.js';
import { removeDemoRows, replaceChanges, upsertDeployments, type StoredChange } from './store.js';

/**
 * A believable year of delivery for the demo organisation, from a seed: each
 * service has a profile (how often it deploys, how big and how old its
 * changes are, how often a deployment fails and how fast it recovers), and
 * the generator plays it out day by day. Failures show every kind of
 * evidence: incidents linked explicitly or by time, rollbacks, fixes forward
 * shipping a revert, and unplanned hotfixes.
 */
export interface ServiceProfile {
  /** Chance that a working day has deployments. */
  deployDayChance: number;
  maxDeploysPerDay: number;
  changesPerDeployment: [number, number];
  /** Median of the log-normal commit-to-deploy time. */
  leadTimeMedianHours: number;
  failureRate: number;
  recoveryMedianMinutes: number;
}

const PROFILES: Record<string, ServiceProfile> = {
  'api-gateway': profile(0.9, 3, [1, 4], 5, 0.04, 35),
  identity: profile(0.6, 2, [1, 6], 20, 0.08, 90),
  'payments-api': profile(0.45, 1, [2, 8], 40, 0.12, 240),
  ledger: profile(0.15, 1, [3, 12], 120, 0.1, 600),
  'checkout-web': profile(0.8, 4, [1, 3], 8, 0.06, 45),
  cart: profile(0.5, 2, [1, 5], 26, 0.14, 120),
  'search-api': profile(0.35, 1, [2, 7], 60, 0.09, 180),
  recommender: profile(0.08, 1, [4, 15], 200, 0.2, 1440),
};

function profile(
  deployDayChance: number,
  maxDeploysPerDay: number,
  changesPerDeployment: [number, number],
  leadTimeMedianHours: number,
  failureRate: number,
  recoveryMedianMinutes: number,
): ServiceProfile {
  return { deployDayChance, maxDeploysPerDay, changesPerDeployment, leadTimeMedianHours, failureRate, recoveryMedianMinutes };
}

export interface DemoDeliveryOptions {
  seed: number;
  /** The generated history ends here (exclusive). */
  now: number;
  days: number;
  /** Also deploy each production release to staging first. */
  staging: boolean;
  /** Replaces every service's profile (benchmarks set volume this way). */
  profile?: ServiceProfile;
}

export interface DemoDelivery {
  deployments: Deployment[];
  changes: StoredChange[];
  incidents: Incident[];
}

export function generateDemoDelivery(org: Org, options: DemoDeliveryOptions): DemoDelivery {
  const out: DemoDelivery = { deployments: [], changes: [], incidents: [] };
  const start = Math.floor((options.now - options.days * DAY_MS) / DAY_MS) * DAY_MS;
  org.services.forEach((service, serviceIndex) => {
    const random = new SeededRandom(options.seed * 7919 + serviceIndex);
    const base = service.id.replace(/-\d+$/, '');
    const p = options.profile ?? PROFILES[base] ?? profile(0.3, 1, [1, 5], 24, 0.1, 120);
    const hasStaging = options.staging && service.environments.some((e) => e.name === 'staging');
    let serial = 0;
    let minor = 0;
    let patch = 0;
    const sha = () => hex(random, 40);
    const deploy = (finishedAt: number, fields: Partial<Deployment>): Deployment => {
      const d: Deployment = {
        id: `demo:${service.id}:${++serial}`,
        serviceId: service.id,
        environment: 'production',
        commitSha: sha(),
        startedAt: finishedAt - random.int(3, 25) * 60_000,
        finishedAt,
        status: 'success',
        rollbackOf: null,
        fixes: [],
        unplanned: false,
        version: null,
        ...fields,
      };
      out.deployments.push(d);
      return d;
    };
    const ship = (deployment: Deployment, count: number, revertsSha: string | null = null): string[] => {
      const shas: string[] = [];
      for (let i = 0; i < count; i++) {
        const lead = seconds(Math.min(logNormal(random, p.leadTimeMedianHours * HOUR_MS, 0.9), 60 * DAY_MS));
        const authorTime = deployment.finishedAt - lead;
        const change: StoredChange = {
          deploymentId: deployment.id,
          sha: sha(),
          authorTime,
          committerTime: authorTime + random.int(0, 120) * 60_000,
          revertsSha: i === 0 ? revertsSha : null,
          fixesSha: null,
        };
        out.changes.push(change);
        if (hasStaging && deployment.environment === 'production')
          out.changes.push({ ...change, deploymentId: `${deployment.id}:staging` });
        shas.push(change.sha);
      }
      return shas;
    };
    const stage = (production: Deployment) => {
      if (!hasStaging) return;
      const finishedAt = production.finishedAt - random.int(30, 180) * 60_000;
      out.deployments.push({
        ...production,
        id: `${production.id}:staging`,
        environment: 'staging',
        finishedAt,
        startedAt: finishedAt - 600_000,
        rollbackOf: null,
        fixes: [],
        unplanned: false,
      });
    };

    for (let day = start; day < options.now; day += DAY_MS) {
      const weekday = new Date(day).getUTCDay();
      if (weekday === 0 || weekday === 6 || !random.chance(p.deployDayChance)) continue;
      const count = random.int(1, p.maxDeploysPerDay);
      for (let k = 0; k < count; k++) {
        const finishedAt = seconds(day + (9 + random.next() * 8) * HOUR_MS);
        if (finishedAt >= options.now) continue;
        patch = random.chance(0.7) ? patch + 1 : 0;
        if (patch === 0) minor++;
        const deployment = deploy(finishedAt, { version: `v1.${minor}.${patch}`, unplanned: random.chance(0.02) });
        const shipped = ship(deployment, random.int(p.changesPerDeployment[0], p.changesPerDeployment[1]));
        stage(deployment);
        if (!random.chance(p.failureRate)) continue;
        const recovery = seconds(Math.max(5 * 60_000, logNormal(random, p.recoveryMedianMinutes * 60_000, 0.8)));
        const mode = random.next();
        if (mode < 0.5) {
          const startedAt = finishedAt + random.int(5, 90) * 60_000;
          out.incidents.push({
            id: `demo:${service.id}:inc-${out.incidents.length + 1}`,
            serviceId: service.id,
            severity: random.pick(['SEV1', 'SEV2', 'SEV2', 'SEV3']),
            startedAt,
            detectedAt: startedAt + random.int(1, 30) * 60_000,
            resolvedAt: startedAt + recovery,
            causedByDeployment: random.chance(0.5) ? deployment.id : null,
            causedBySha: null,
          });
        } else if (mode < 0.75) {
          deploy(finishedAt + recovery, { rollbackOf: deployment.id, commitSha: null, version: null });
        } else {
          const fix = deploy(finishedAt + recovery, { fixes: [deployment.id], version: `v1.${minor}.${++patch}` });
          ship(fix, 1, random.pick(shipped));
          stage(fix);
        }
      }
    }
    // Incidents no deployment caused (an expired certificate, a provider outage): unlinked.
    const unrelated = Math.round(options.days / 60);
    for (let i = 0; i < unrelated; i++) {
      const startedAt = seconds(start + random.next() * (options.now - start - DAY_MS));
      out.incidents.push({
        id: `demo:${service.id}:inc-${out.incidents.length + 1}`,
        serviceId: service.id,
        severity: 'SEV3',
        startedAt,
        detectedAt: startedAt + 10 * 60_000,
        resolvedAt: startedAt + random.int(20, 300) * 60_000,
        causedByDeployment: null,
        causedBySha: null,
      });
    }
  });
  out.deployments.sort((a, b) => a.finishedAt - b.finishedAt || (a.id < b.id ? -1 : 1));
  return out;
}

/** Writes the demo year into a migrated store, replacing earlier demo rows, in one transaction. */
export async function loadDemoDelivery(store: Store, options: DemoOptions): Promise<DemoDelivery> {
  const org = generateDemoOrg(options);
  const now = options.now ?? Math.floor(Date.now() / DAY_MS) * DAY_MS;
  const demo = generateDemoDelivery(org, { seed: options.seed, now, days: 365, staging: true });
  await saveDemoDelivery(store, demo, now);
  return demo;
}

/** Writes generated demo delivery data (the demo year, or a benchmark's larger organisation) in one transaction, replacing earlier demo rows. */
export async function saveDemoDelivery(store: Store, demo: DemoDelivery, now: number): Promise<void> {
  await store.db.transaction().execute(async (tx) => {
    await removeDemoRows(tx);
    await upsertDeployments(tx, demo.deployments, 'demo', now);
    await replaceChanges(tx, [], demo.changes);
    await replaceDemoIncidents(tx, demo.incidents, now);
  });
}

/** Instants are whole milliseconds in the store; the demo keeps whole seconds, as git does. */
function seconds(ms: number): number {
  return Math.round(ms / 1000) * 1000;
}

/** Log-normal sample with the given median: exp(ln(median) + sigma * z), z standard normal (Box-Muller). */
function logNormal(random: SeededRandom, median: number, sigma: number): number {
  const z = Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
  return median * Math.exp(sigma * z);
}

function hex(random: SeededRandom, length: number): string {
  let out = '';
  while (out.length < length)
    out += Math.floor(random.next() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  return out.slice(0, length);
}
