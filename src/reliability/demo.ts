import type { DemoOptions } from '../kit/demo.js';
import { SeededRandom } from '../shared/random.js';
import type { Store } from '../store/database.js';
import { floorToMinute, type MinuteSample } from './counts.js';
import { parseDefinitions } from './definitions/load-definitions.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './duration.js';
import { replaceDefinitions, writeSamplesIn } from './store.js';
import { refreshAlertHistory } from './stored-slos.js';

/**
 * The demo workspace's SLOs: one or two per demo service, OpenSLO as a team
 * would write them, and a year of minute-level traffic with a daily rhythm,
 * background failures and incidents. Payments API had an eight-hour incident
 * that ended two days ago and has spent its error budget, so its release gate is frozen.
 */
const DEMO_SLOS = `
apiVersion: openslo/v1
kind: DataSource
metadata: { name: prometheus }
spec: { type: Prometheus, connectionDetails: { url: 'http://prometheus:9090' } }
---
${availability('api-gateway', 'API Gateway', 0.9995, '30d')}
---
apiVersion: openslo/v1
kind: SLO
metadata: { name: api-gateway-latency, displayName: API Gateway latency }
spec:
  service: api-gateway
  description: Requests answered within 300 ms
  indicator:
    metadata: { name: api-gateway-fast-requests }
    spec:
      ratioMetric:
        counter: true
        good: { metricSource: { metricSourceRef: prometheus, spec: { query: 'http_request_duration_seconds_bucket{service="api-gateway",le="0.3"}' } } }
        total: { metricSource: { metricSourceRef: prometheus, spec: { query: 'http_request_duration_seconds_count{service="api-gateway"}' } } }
  timeWindow: [{ duration: 30d, isRolling: true }]
  budgetingMethod: Occurrences
  objectives: [{ displayName: Fast requests, target: 0.99 }]
---
${availability('identity', 'Identity', 0.999, '28d')}
---
${availability('payments-api', 'Payments API', 0.999, '30d')}
---
${availability('ledger', 'Ledger', 0.9999, '30d')}
---
apiVersion: openslo/v1
kind: SLO
metadata: { name: checkout-web-availability, displayName: Checkout Web availability }
spec:
  service: checkout-web
  description: Checkout pages served without a server error, per calendar month in London
  indicatorRef: checkout-web-requests
  timeWindow:
    - duration: 1M
      calendar: { startTime: '2024-01-01 00:00:00', timeZone: Europe/London }
  budgetingMethod: Occurrences
  objectives: [{ target: 0.995 }]
---
apiVersion: openslo/v1
kind: SLI
metadata: { name: checkout-web-requests }
spec:
  ratioMetric:
    counter: true
    bad: { metricSource: { metricSourceRef: prometheus, spec: { query: 'http_requests_total{service="checkout-web",code=~"5.."}' } } }
    total: { metricSource: { metricSourceRef: prometheus, spec: { query: 'http_requests_total{service="checkout-web"}' } } }
---
apiVersion: openslo/v1
kind: SLO
metadata: { name: cart-latency, displayName: Cart latency minutes }
spec:
  service: cart
  description: Minutes in which at least 95% of cart requests finish within 200 ms
  indicator:
    metadata: { name: cart-fast-requests }
    spec:
      ratioMetric:
        good: { metricSource: { metricSourceRef: prometheus, spec: { query: 'http_request_duration_seconds_bucket{service="cart",le="0.2"}' } } }
        total: { metricSource: { metricSourceRef: prometheus, spec: { query: 'http_request_duration_seconds_count{service="cart"}' } } }
  timeWindow: [{ duration: 30d, isRolling: true }]
  budgetingMethod: Timeslices
  objectives: [{ target: 0.99, timeSliceTarget: 0.95, timeSliceWindow: 1m }]
---
${availability('search-api', 'Search API', 0.999, '30d')}
---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: recommender-availability
  displayName: Recommender availability
  annotations: { sextant.dev/min-events: '200' }
spec:
  service: recommender
  description: A low-traffic internal service; the events guard keeps single failures from paging
  indicator:
    metadata: { name: recommender-requests }
    spec:
      ratioMetric:
        good: { metricSource: { metricSourceRef: prometheus, spec: { query: 'grpc_server_handled_total{service="recommender",grpc_code="OK"}' } } }
        total: { metricSource: { metricSourceRef: prometheus, spec: { query: 'grpc_server_handled_total{service="recommender"}' } } }
  timeWindow: [{ duration: 30d, isRolling: true }]
  budgetingMethod: Occurrences
  objectives: [{ target: 0.99 }]
---
apiVersion: sextant/v1
kind: ErrorBudgetPolicy
metadata: { name: engineering-default }
spec:
  description: Spent budget freezes releases except P0 and security fixes until the service is back within its SLO.
  rules:
    - { name: release-freeze, when: { budgetRemainingAtMost: 0 }, action: freeze, exceptLabels: [P0, security] }
    - { name: budget-low, when: { budgetRemainingAtMost: 0.25 }, action: warn }
    - { name: postmortem, when: { incidentBudgetConsumedAbove: 0.2 }, action: requirePostmortem }
`;

function availability(service: string, name: string, target: number, window: string): string {
  return `apiVersion: openslo/v1
kind: SLO
metadata: { name: ${service}-availability, displayName: ${name} availability }
spec:
  service: ${service}
  description: Requests answered without a server error
  indicator:
    metadata: { name: ${service}-requests }
    spec:
      ratioMetric:
        counter: true
        good: { metricSource: { metricSourceRef: prometheus, spec: { query: 'http_requests_total{service="${service}",code!~"5.."}' } } }
        total: { metricSource: { metricSourceRef: prometheus, spec: { query: 'http_requests_total{service="${service}"}' } } }
  timeWindow: [{ duration: ${window}, isRolling: true }]
  budgetingMethod: Occurrences
  objectives: [{ target: ${target} }]`;
}

/** How each demo SLO's traffic behaves: peak requests a minute, background failure rate, incidents. */
interface TrafficProfile {
  peakPerMinute: number;
  failureRate: number;
  /** Randomly placed incidents over the year before the last 35 days. */
  randomIncidents: number;
  /** Incidents at fixed times before now: start (hours ago), length (hours), failure rate. */
  incidents: Array<{ hoursAgo: number; hours: number; failureRate: number }>;
}

const traffic = (peakPerMinute: number, failureRate: number, randomIncidents: number, ...incidents: TrafficProfile['incidents']) => ({
  peakPerMinute,
  failureRate,
  randomIncidents,
  incidents,
});

const PROFILES: Record<string, TrafficProfile> = {
  'api-gateway-availability': traffic(3000, 0.00005, 6),
  'api-gateway-latency': traffic(3000, 0.004, 4, { hoursAgo: 30, hours: 1, failureRate: 0.05 }),
  'identity-availability': traffic(800, 0.0002, 5),
  // The service that spent its budget: an eight-hour incident at 25% failures, ended two days ago.
  // Traffic follows a daily and weekly rhythm, so the budget an incident spends depends on when it
  // happened; at this size the budget is spent whatever the hour of the week (from -25% to -380%
  // remaining, swept over all 168 hours), so the demo's frozen service does not depend on the clock.
  'payments-api-availability': traffic(400, 0.0002, 4, { hoursAgo: 56, hours: 8, failureRate: 0.25 }),
  'ledger-availability': traffic(200, 0.00002, 2),
  // A burst of errors after a release, twenty times the usual rate. Its SLO counts per calendar month, so on the
  // first morning of a month the burst meets a budget of a few hours' traffic: at 2% it leaves at least half of it
  // (swept over the first day of three months), so the demo's frozen service stays payments-api on any date.
  'checkout-web-availability': traffic(1200, 0.001, 6, { hoursAgo: 9, hours: 0.5, failureRate: 0.02 }),
  'cart-latency': traffic(600, 0.01, 8),
  'search-api-availability': traffic(1500, 0.0003, 5),
  'recommender-availability': traffic(3, 0.002, 3),
};

/** Days before now kept free of random incidents: the current windows show only the listed ones. */
const RECENT_DAYS = 35;

/** The declared maintenance of the demo: search-api's index rebuild five days ago (it failed half its requests). */
const MAINTENANCE = { service: 'search-api', name: 'search-index-rebuild', hoursAgo: 5 * 24 + 3, hours: 2, failureRate: 0.5 };

export interface ReliabilityDemoOptions {
  /** Days of history before `now` (a year by default). */
  days?: number;
  /** The demo's present; defaults to the current minute. */
  now?: number;
}

/** Writes the demo SLOs, a year of per-minute samples each, and the last month's alert history. */
export async function loadReliabilityDemo(
  store: Store,
  options: DemoOptions,
  demo: ReliabilityDemoOptions = {},
): Promise<{ slos: number; samples: number }> {
  const now = floorToMinute(demo.now ?? Date.now());
  const days = demo.days ?? 365;
  const set = parseDefinitions(DEMO_SLOS, 'demo/slos.yaml');
  const maintenanceStart = floorToMinute(now - MAINTENANCE.hoursAgo * HOUR_MS);
  set.maintenanceWindows.push({
    name: MAINTENANCE.name,
    service: MAINTENANCE.service,
    slos: [],
    start: maintenanceStart,
    end: maintenanceStart + MAINTENANCE.hours * HOUR_MS,
    description: 'Search index rebuild: requests may fail',
  });
  await replaceDefinitions(store.db, set, 'demo');

  let samples = 0;
  await store.db.transaction().execute(async (tx) => {
    for (const [index, slo] of set.slos.entries()) {
      const profile = PROFILES[slo.name] as TrafficProfile;
      const series = demoTraffic(profile, new SeededRandom(options.seed * 1000 + index), now, days, slo.service === MAINTENANCE.service);
      await writeSamplesIn(tx, slo.name, series);
      samples += series.length;
    }
  });
  // The last month's alert history, replayed every five minutes: enough for the dashboard, fast to build.
  for (const slo of set.slos) {
    await refreshAlertHistory(store.db, slo.name, [now - Math.min(days, 30) * DAY_MS, now], { now, historyStepMs: 5 * MINUTE_MS });
  }
  return { slos: set.slos.length, samples };
}

/** Minute samples over [now - days, now): a daily rhythm (quiet at 03:00 UTC, busy mid-afternoon), failures and incidents. */
function demoTraffic(profile: TrafficProfile, random: SeededRandom, now: number, days: number, inMaintenance: boolean): MinuteSample[] {
  const start = now - days * DAY_MS;
  const incidents = profile.incidents.map((i) => ({
    start: now - i.hoursAgo * HOUR_MS,
    end: now - (i.hoursAgo - i.hours) * HOUR_MS,
    rate: i.failureRate,
  }));
  // Random incidents fall in the older history, before the current 30-day windows, so that which SLO
  // has spent its budget now depends only on the incidents listed in the profiles.
  for (let i = 0; i < profile.randomIncidents; i++) {
    const at = now - (RECENT_DAYS + random.next() * (365 - RECENT_DAYS)) * DAY_MS;
    incidents.push({ start: at, end: at + random.int(10, 90) * MINUTE_MS, rate: 0.02 + random.next() * 0.1 });
  }
  const maintenanceStart = floorToMinute(now - MAINTENANCE.hoursAgo * HOUR_MS);
  const maintenanceEnd = maintenanceStart + MAINTENANCE.hours * HOUR_MS;
  const samples: MinuteSample[] = [];
  for (let minute = start; minute < now; minute += MINUTE_MS) {
    const hourOfDay = (minute % DAY_MS) / HOUR_MS;
    const weekday = Math.floor(minute / DAY_MS + 4) % 7; // 0 = Sunday (1 Jan 1970 was a Thursday)
    const rhythm = (0.3 + 0.7 * (0.5 - 0.5 * Math.cos((2 * Math.PI * (hourOfDay - 3)) / 24))) * (weekday === 0 || weekday === 6 ? 0.6 : 1);
    const total = Math.max(0, Math.round(profile.peakPerMinute * rhythm * (0.9 + 0.2 * random.next())));
    let rate = profile.failureRate;
    for (const incident of incidents) if (minute >= incident.start && minute < incident.end) rate = Math.max(rate, incident.rate);
    if (inMaintenance && minute >= maintenanceStart && minute < maintenanceEnd) rate = MAINTENANCE.failureRate;
    const bad = Math.min(total, Math.floor(total * rate + random.next()));
    samples.push({ minute, good: total - bad, total });
  }
  return samples;
}
