import type { Org, Person, Service, Team } from './model.js';
import { DEFAULT_DEMO_OPTIONS, type DemoOptions } from '../kit/demo.js';
import { SeededRandom } from '../shared/random.js';

interface TeamBlueprint {
  id: string;
  name: string;
  description: string;
  services: Array<{ id: string; name: string; repo: string; paths?: string[] }>;
}

const PRODUCT_TEAMS: TeamBlueprint[] = [
  {
    id: 'platform',
    name: 'Platform',
    description: 'Runtime, CI/CD and the developer platform',
    services: [
      { id: 'api-gateway', name: 'API Gateway', repo: 'gateway' },
      { id: 'identity', name: 'Identity', repo: 'identity' },
    ],
  },
  {
    id: 'payments',
    name: 'Payments',
    description: 'Taking money safely',
    services: [
      { id: 'payments-api', name: 'Payments API', repo: 'payments' },
      { id: 'ledger', name: 'Ledger', repo: 'ledger' },
    ],
  },
  {
    id: 'checkout',
    name: 'Checkout',
    description: 'Cart to order confirmation',
    services: [
      { id: 'checkout-web', name: 'Checkout Web', repo: 'storefront', paths: ['apps/checkout/**', 'packages/ui/**'] },
      { id: 'cart', name: 'Cart Service', repo: 'storefront', paths: ['services/cart/**'] },
    ],
  },
  {
    id: 'search',
    name: 'Search & Discovery',
    description: 'Finding the right product',
    services: [{ id: 'search-api', name: 'Search API', repo: 'search' }],
  },
  {
    id: 'ml',
    name: 'Machine Learning',
    description: 'Ranking and recommendation models',
    services: [{ id: 'recommender', name: 'Recommender', repo: 'recommender' }],
  },
];

const FIRST_NAMES = [
  'Ada',
  'Grace',
  'Alan',
  'Barbara',
  'Edsger',
  'Frances',
  'Donald',
  'Margaret',
  'Ken',
  'Radia',
  'Linus',
  'Karen',
  'Dennis',
  'Sophie',
  'Tim',
  'Hedy',
  'Niklaus',
  'Katherine',
  'John',
  'Leslie',
  'Anita',
  'Guido',
  'Shafi',
  'Bjarne',
];
const LAST_NAMES = [
  'Okafor',
  'Lindqvist',
  'Moreau',
  'Tanaka',
  'Silva',
  'Novak',
  'Haddad',
  'Kowalski',
  'Brennan',
  'Iyer',
  'Schmidt',
  'Osei',
  'Rossi',
  'Nguyen',
  'Fischer',
  'Costa',
  'Petrov',
  'Andersen',
];

/**
 * A believable mid-sized product organisation, generated from a seed so tests,
 * benchmarks and the dashboard see identical data everywhere. `scale` repeats
 * the product teams (payments-2, payments-3, ...) with their services and people
 * to grow volume for benchmarks.
 */
export function generateDemoOrg(options: DemoOptions = DEFAULT_DEMO_OPTIONS): Org {
  const random = new SeededRandom(options.seed);
  const teams: Team[] = [
    { id: 'engineering', name: 'Engineering', parentId: null, description: 'All product engineering', source: 'demo' },
  ];
  const services: Service[] = [];
  const repositoryIds = new Set<string>();
  const people: Person[] = [];
  const usedNames = new Set<string>();

  for (let copy = 1; copy <= options.scale; copy++) {
    const suffix = copy === 1 ? '' : `-${copy}`;
    for (const blueprint of PRODUCT_TEAMS) {
      const teamId = blueprint.id + suffix;
      teams.push({
        id: teamId,
        name: copy === 1 ? blueprint.name : `${blueprint.name} ${copy}`,
        parentId: 'engineering',
        description: blueprint.description,
        source: 'demo',
      });
      for (const service of blueprint.services) {
        const repositoryId = service.repo + suffix;
        repositoryIds.add(repositoryId);
        services.push({
          id: service.id + suffix,
          name: copy === 1 ? service.name : `${service.name} ${copy}`,
          ownerTeamId: teamId,
          description: null,
          repositories: [{ repositoryId, paths: service.paths ?? [] }],
          environments: [
            { name: 'production', production: true },
            { name: 'staging', production: false },
          ],
          source: 'demo',
        });
      }
      const headcount = random.int(4, 7);
      for (let i = 0; i < headcount; i++) {
        const name = uniqueName(random, usedNames);
        const handle = name.toLowerCase().replace(/[^a-z0-9]+/g, '.');
        people.push({
          id: name.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
          name,
          teamId,
          bot: false,
          // A second, personal address shows the identity merge at work.
          emails: random.chance(0.3) ? [`${handle}@acme.example`, `${handle}@home.example`] : [`${handle}@acme.example`],
          aliases: [],
          logins: [handle.replace(/\./g, '-')],
          source: 'demo',
        });
      }
    }
  }
  people.push(
    bot('dependabot', 'dependabot[bot]', '49699333+dependabot[bot]@users.noreply.github.com'),
    bot('renovate', 'renovate[bot]', '29139614+renovate[bot]@users.noreply.github.com'),
  );

  const repositories = [...repositoryIds].sort().map((id) => ({
    id,
    name: id,
    path: null,
    url: `https://git.acme.example/acme/${id}.git`,
    defaultBranch: 'main',
    source: 'demo' as const,
  }));
  return { teams, repositories, services, people };
}

function uniqueName(random: SeededRandom, used: Set<string>): string {
  for (let attempt = 0; ; attempt++) {
    const base = `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`;
    const name = attempt < 20 ? base : `${base} ${attempt}`;
    if (!used.has(name)) {
      used.add(name);
      return name;
    }
  }
}

function bot(id: string, login: string, email: string): Person {
  return { id, name: login, teamId: null, bot: true, emails: [email], aliases: [], logins: [login], source: 'demo' };
}
