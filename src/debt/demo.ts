import type { DemoOptions, DemoReport } from '../kit/demo.js';
import { loadOrg, type Org } from '../org/index.js';
import { SeededRandom } from '../shared/random.js';
import type { Store } from '../store/database.js';
import { EvidenceReader } from './evidence.js';
import { DAY_MS, DEFAULT_DEBT_CONFIG, type DebtItem, type DebtItemInput, type WorkItem } from './model.js';
import { acceptCandidate, addDebtItem, dismissCandidate, listCandidates } from './service.js';
import { removeDemoWork, saveDebtSettings, upsertWorkItems } from './store.js';

/**
 * The demo's debt data, generated from the seed over the demo's codebase,
 * delivery and incident data (loaded before this module):
 *
 * - a year of work items for every team that owns a service, in two-week
 *   sprints (the workspace cadence); each team's debt share drifts around its
 *   20% target, except Search & Discovery's, which stays persistently under it;
 *   debt work is labelled tech-debt, sits under a tech-debt epic (children
 *   inherit) or links to a register item;
 * - items in progress per team, Payments over its WIP limit;
 * - a register of about 15 items: hand-written ones located at each team's
 *   real hotspots and services, and the first candidates from evidence
 *   accepted (one more dismissed).
 */
export const UNDER_TARGET_TEAM = 'search';
const SPRINTS = 26;
const SPRINT_DAYS = 14;
const WIP_LIMIT = 8;

interface Template {
  team: string;
  title: string;
  category: string;
  impact: string;
  principalDays: number;
  quadrant?: DebtItem['quadrant'];
  /** Locate at the team's nth hotspot folder (code), or at its first service only. */
  at: 'hotspot' | 'service';
  status?: DebtItem['status'];
}

const TEMPLATES: Template[] = [
  {
    team: 'payments',
    title: 'Retry logic duplicated across payment providers',
    category: 'code',
    impact: 'Reduces outage risk on payments',
    principalDays: 8,
    at: 'hotspot',
    quadrant: 'prudent-inadvertent',
  },
  {
    team: 'payments',
    title: 'Ledger reconciliation runs on a hand-rolled scheduler',
    category: 'architecture',
    impact: 'Month-end close in hours, not days',
    principalDays: 15,
    at: 'service',
  },
  {
    team: 'platform',
    title: 'Gateway routes configured by copy-paste',
    category: 'code',
    impact: 'New routes ship the same day',
    principalDays: 5,
    at: 'hotspot',
    quadrant: 'reckless-deliberate',
  },
  {
    team: 'platform',
    title: 'Identity runs on an unsupported Node.js major',
    category: 'infrastructure',
    impact: 'Keeps security patches flowing to sign-in',
    principalDays: 4,
    at: 'service',
  },
  {
    team: 'checkout',
    title: 'Pricing rules live in the UI package',
    category: 'architecture',
    impact: 'Builds checkout features 30% faster',
    principalDays: 12,
    at: 'hotspot',
    quadrant: 'prudent-deliberate',
  },
  {
    team: 'checkout',
    title: 'Flaky end-to-end suite blocks releases',
    category: 'infrastructure',
    impact: 'Releases no longer wait on re-runs',
    principalDays: 6,
    at: 'service',
  },
  {
    team: 'search',
    title: 'Query parser has no tests',
    category: 'code',
    impact: 'Ranking changes without fear of breaking search',
    principalDays: 6,
    at: 'hotspot',
  },
  {
    team: 'search',
    title: 'Indexer deploys by hand',
    category: 'infrastructure',
    impact: 'Index fixes reach users in minutes',
    principalDays: 3,
    at: 'service',
  },
  {
    team: 'ml',
    title: 'Feature pipeline recomputes everything nightly',
    category: 'architecture',
    impact: 'Fresher recommendations at a third of the compute',
    principalDays: 10,
    at: 'hotspot',
  },
  {
    team: 'ml',
    title: 'Model registry is a shared folder',
    category: 'infrastructure',
    impact: 'Rollbacks of a bad model in one step',
    principalDays: 4,
    at: 'service',
    status: 'paid',
  },
  {
    team: 'payments',
    title: 'Fraud rules engine on a forked library',
    category: 'code',
    impact: 'Fraud rule changes without a library fork to maintain',
    principalDays: 9,
    at: 'hotspot',
    status: 'in-progress',
  },
];

const TITLES = {
  new: ['Add', 'Support', 'Launch', 'Introduce', 'Enable'],
  improve: ['Speed up', 'Simplify', 'Polish', 'Improve'],
  ktlo: ['Fix', 'Investigate', 'Patch', 'Rotate'],
  debt: ['Refactor', 'Remove', 'Upgrade', 'Extract', 'Delete dead'],
};
const NOUNS = [
  'saved cards',
  'refund flow',
  'search filters',
  'session store',
  'rate limits',
  'audit log',
  'invoice export',
  'promo codes',
  'health checks',
  'feature flags',
];

function monday(t: number): number {
  const day = Math.floor(t / DAY_MS) * DAY_MS;
  const weekday = (new Date(day).getUTCDay() + 6) % 7;
  return day - weekday * DAY_MS;
}

export function generateDemoWork(org: Org, options: { seed: number; now: number }): { items: WorkItem[]; cadenceStart: number } {
  const random = new SeededRandom(options.seed * 104_729 + 13);
  const cadenceStart = monday(options.now) - SPRINTS * SPRINT_DAYS * DAY_MS;
  const teams = org.teams.filter((t) => org.services.some((s) => s.ownerTeamId === t.id));
  const items: WorkItem[] = [];
  for (const team of teams) {
    let n = 0;
    const id = () => `demo-${team.id}-${++n}`;
    const under = team.id === UNDER_TARGET_TEAM || team.id.startsWith(`${UNDER_TARGET_TEAM}-`);
    const base = { team: team.id, labels: [] as string[], parent: null, sprint: null, links: [] as string[], source: 'demo' as const };
    const title = (category: keyof typeof TITLES) => `${random.pick(TITLES[category])} ${random.pick(NOUNS)}`;
    let debtEpic: string | null = null;
    for (let sprint = 0; sprint < SPRINTS; sprint++) {
      const sprintStart = cadenceStart + sprint * SPRINT_DAYS * DAY_MS;
      if (sprint % 6 === 0) {
        // Each quarter a tech-debt epic and a feature epic; their children inherit the category.
        debtEpic = id();
        items.push({
          ...base,
          id: debtEpic,
          title: `Tech debt: ${random.pick(NOUNS)}`,
          type: 'epic',
          labels: ['tech-debt'],
          state: 'in-progress',
          created: sprintStart,
          started: sprintStart,
          completed: null,
          points: null,
        });
      }
      const count = random.int(8, 14);
      // Debt items this sprint: 0-1 of 8-14 (under 13%) for the under-target team; 12-32% of the items for the others.
      const debtCount = under ? random.int(0, 1) : Math.round(count * (0.12 + random.next() * 0.2));
      for (let k = 0; k < count; k++) {
        const completed = Math.min(
          options.now - DAY_MS,
          sprintStart + random.int(1, SPRINT_DAYS - 1) * DAY_MS + random.int(8, 17) * 3_600_000,
        );
        const started = completed - random.int(1, 8) * DAY_MS;
        const created = started - random.int(0, 20) * DAY_MS;
        const points = random.pick([1, 2, 3, 3, 5, 8]);
        const roll = random.next();
        const common = { ...base, id: id(), state: 'done' as const, created, started, completed, points };
        if (k < debtCount) {
          const how = random.next();
          if (how < 0.5) items.push({ ...common, title: title('debt'), type: random.pick(['task', 'chore']), labels: ['tech-debt'] });
          else items.push({ ...common, title: title('debt'), type: 'story', parent: debtEpic });
        } else if (roll < 0.25) items.push({ ...common, title: title('ktlo'), type: random.pick(['bug', 'bug', 'chore', 'incident']) });
        else if (roll < 0.38) items.push({ ...common, title: title('improve'), type: random.pick(['task', 'improvement']) });
        else items.push({ ...common, title: title('new'), type: random.pick(['feature', 'story', 'story']) });
      }
    }
    // Work in progress now (Payments over its limit) and a short backlog.
    const wip = team.id === 'payments' ? WIP_LIMIT + 3 : random.int(3, WIP_LIMIT - 1);
    for (let k = 0; k < wip; k++) {
      const started = options.now - random.int(1, 12) * DAY_MS;
      items.push({
        ...base,
        id: id(),
        title: title('new'),
        type: random.pick(['story', 'bug', 'task']),
        state: 'in-progress',
        created: started - DAY_MS,
        started,
        completed: null,
        points: random.pick([1, 2, 3, 5]),
      });
    }
    for (let k = 0; k < 4; k++) {
      items.push({
        ...base,
        id: id(),
        title: title('new'),
        type: 'story',
        state: 'todo',
        created: options.now - random.int(1, 30) * DAY_MS,
        started: null,
        completed: null,
        points: null,
      });
    }
  }
  linkDemoKeyResults(items);
  return { items, cadenceStart };
}

/** Key results of the OKR demo (current quarter) and the team whose work serves each. */
const DEMO_ALIGNMENT = [
  { team: 'payments', keyResult: 'payments-lead-time' },
  { team: 'search', keyResult: 'search-zero-results' },
] as const;

/** Links (`kr:<id>`) a team's latest done item, first item in progress and first todo item to a demo key result. */
function linkDemoKeyResults(items: WorkItem[]): void {
  for (const { team, keyResult } of DEMO_ALIGNMENT) {
    const mine = items.filter((i) => i.team === team);
    const picks = [
      mine.filter((i) => i.state === 'done' && i.type !== 'epic').at(-1),
      mine.find((i) => i.state === 'in-progress' && i.type !== 'epic'),
      mine.find((i) => i.state === 'todo'),
    ];
    for (const item of picks) if (item) item.links = [...item.links, `kr:${keyResult}`];
  }
}

export async function loadDebtDemo(store: Store, options: DemoOptions): Promise<DemoReport> {
  const now = Math.floor((options.now ?? Date.now()) / DAY_MS) * DAY_MS;
  const org = await loadOrg(store.db);
  await removeDemoWork(store.db, store.dialect);
  const { items, cadenceStart } = generateDemoWork(org, { seed: options.seed, now });
  const wipLimits = Object.fromEntries(org.teams.map((t) => [t.id, WIP_LIMIT]));
  await saveDebtSettings(store.db, store.dialect, {
    ...DEFAULT_DEBT_CONFIG,
    cadence: { days: SPRINT_DAYS, start: new Date(cadenceStart).toISOString().slice(0, 10) },
    wipLimits,
  });
  await upsertWorkItems(store, items, now);

  // The register: hand-written items located at each team's real hotspots and services.
  const reader = new EvidenceReader(store.db, now);
  let register = 0;
  const hotspotUse = new Map<string, number>();
  for (const template of TEMPLATES) {
    const service = org.services.find((s) => s.ownerTeamId === template.team);
    if (!service) continue;
    const link = service.repositories[0];
    let location: Pick<DebtItemInput, 'repository' | 'paths'> = { repository: null, paths: [] };
    if (template.at === 'hotspot' && link) {
      const facts = await reader.repository(link.repositoryId);
      const used = hotspotUse.get(link.repositoryId) ?? 0;
      hotspotUse.set(link.repositoryId, used + 1);
      // The 2nd, 4th, ... hotspot's folder: the top ones are left for the candidates.
      const file = facts?.hotspots[1 + used * 2]?.entity;
      if (file) location = { repository: link.repositoryId, paths: [file.split('/').slice(0, -1).join('/') || file] };
    }
    await addDebtItem(
      store,
      {
        id: `demo-${template.team}-${register + 1}`,
        title: template.title,
        category: template.category,
        quadrant: template.quadrant ?? null,
        ...location,
        service: service.id,
        team: template.team,
        status: template.status ?? 'accepted',
        impact: template.impact,
        principalDays: template.principalDays,
      },
      now - (TEMPLATES.length - register) * 7 * DAY_MS,
      null,
      reader,
    );
    register++;
  }
  // Some accepted from candidates (one of each kind first), one dismissed.
  const candidates = await listCandidates(store.db, now);
  const byKind = new Map<string, typeof candidates>();
  for (const c of candidates) byKind.set(c.kind, [...(byKind.get(c.kind) ?? []), c]);
  const chosen = [...byKind.values()]
    .map((list) => list[0])
    .filter((c) => c !== undefined)
    .slice(0, 4);
  let accepted = 0;
  for (const candidate of chosen) {
    await acceptCandidate(store, candidate.key, now, { principalDays: 3 + accepted * 2, id: `demo-accepted-${accepted + 1}` }, candidates);
    accepted++;
  }
  const leftover = candidates.find((c) => !chosen.includes(c));
  if (leftover) await dismissCandidate(store.db, leftover.key, 'Known and planned in the roadmap', now, candidates);
  return { workItems: items.length, registerItems: register + accepted, acceptedCandidates: accepted };
}
