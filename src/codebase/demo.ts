import { createHash } from 'node:crypto';
import type { DemoOptions } from '../kit/demo.js';
import { generateDemoOrg, type Person } from '../org/index.js';
import { SeededRandom } from '../shared/random.js';
import type { Store } from '../store/database.js';
import { complexityFromQuarters } from './complexity.js';
import { DAY_MS, type RawCommit, type RawFileChange } from './model.js';
import { writeHistory, type StoredFile } from './store.js';

/**
 * A year of believable file history for each demo repository, written straight
 * into the history cache (the demo repositories exist only as URLs). Per
 * repository: the owning team's people commit, one of them more than the
 * others; a few files take most changes (hotspots); one person left the team
 * eight months ago, leaving files no active author knows; files are renamed
 * now and then; Dependabot bumps the lock file. Seeded: the same seed and day
 * give the same history.
 */
const AREAS = ['api', 'domain', 'storage', 'events', 'config', 'util'];
const NOUNS = ['order', 'account', 'payment', 'session', 'price', 'stock', 'invoice', 'customer', 'token', 'query', 'model', 'cache'];
const KINDS = ['handler', 'service', 'repository', 'mapper', 'validator', 'client', 'policy', 'job'];
const DAYS = 365;

export interface CodebaseDemoReport {
  repositories: number;
  commits: number;
}

export async function loadCodebaseDemo(store: Store, options: DemoOptions): Promise<CodebaseDemoReport> {
  const org = generateDemoOrg(options);
  const end = Math.floor((options.now ?? Date.now()) / DAY_MS) * DAY_MS;
  let commits = 0;
  for (const repository of org.repositories) {
    const random = new SeededRandom(options.seed * 7919 + hashNumber(repository.id));
    const services = org.services.filter((s) => s.repositories.some((link) => link.repositoryId === repository.id));
    const teams = new Set(services.map((s) => s.ownerTeamId));
    const people = org.people.filter((p) => !p.bot && p.teamId !== null && teams.has(p.teamId));
    const bot = org.people.find((p) => p.bot);
    if (people.length === 0) continue;
    const prefixes = services.flatMap((s) => s.repositories.flatMap((link) => link.paths.map((glob) => glob.replace(/\/\*\*$/, ''))));
    const history = generateHistory(random, repository.id, people, bot, prefixes.length > 0 ? prefixes : ['src'], end);
    commits += await writeHistory(store.db, repository.id, {
      head: history.commits[0]?.rev ?? fakeHash(repository.id),
      replace: true,
      commits: () => numbered(history.commits),
      nextSeq: history.commits.length,
      // Generated without git: no commit graph to walk (a real sync rebuilds the cache).
      walked: [],
      files: history.files,
    });
  }
  return { repositories: org.repositories.length, commits };
}

async function* numbered(commits: RawCommit[]): AsyncGenerator<{ seq: number; commit: RawCommit }> {
  for (const [i, commit] of commits.entries()) yield { seq: commits.length - 1 - i, commit };
}

interface DemoFile {
  path: string;
  lines: number;
  /** Mean indentation in quarter levels per line. */
  indentQuarters: number;
}

function generateHistory(
  random: SeededRandom,
  repositoryId: string,
  people: Person[],
  bot: Person | undefined,
  prefixes: string[],
  end: number,
): { commits: RawCommit[]; files: StoredFile[] } {
  const files: DemoFile[] = [];
  const fileCount = random.int(30, 60);
  const used = new Set<string>();
  while (files.length < fileCount) {
    const area = prefixes.length > 1 ? random.pick(prefixes) : `${prefixes[0]}/${random.pick(AREAS)}`;
    const path = `${area}/${random.pick(NOUNS)}-${random.pick(KINDS)}.ts`;
    if (used.has(path)) continue;
    used.add(path);
    // Sizes spread like real code: most files small, a few large.
    files.push({ path, lines: Math.round(40 + 900 * random.next() ** 3), indentQuarters: random.int(2, 12) });
  }
  files.push({ path: 'package.json', lines: 40, indentQuarters: 4 }, { path: 'package-lock.json', lines: 3000, indentQuarters: 12 });

  const hero = random.pick(people);
  const leaver = people.length > 1 ? (people.find((p) => p !== hero) as Person) : null;
  const leftAt = end - 240 * DAY_MS;
  const leaverFiles = files.slice(0, -2).filter((_, i) => i % 5 === 1);
  const chronological: RawCommit[] = [];
  const count = random.int(250, 450);
  for (let i = 0; i < count; i++) {
    const time = end - DAYS * DAY_MS + Math.floor(((i + random.next()) / count) * DAYS * DAY_MS);
    const isBot = bot !== undefined && random.chance(0.05);
    let author = random.chance(0.45) ? hero : random.pick(people);
    if (author === leaver && time > leftAt) author = hero;
    // Before leaving, the leaver looks after a fifth of the files: after they go, nobody active knows those.
    const focus = leaver !== null && time <= leftAt && random.chance(0.4) ? leaverFiles : [];
    const touched = new Set<DemoFile>();
    if (isBot) touched.add(files[files.length - 1] as DemoFile).add(files[files.length - 2] as DemoFile);
    else {
      if (focus.length > 0) author = leaver as Person;
      const pool = focus.length > 0 ? focus : files.slice(0, -2);
      const size = 1 + Math.floor(random.next() ** 2 * 4);
      // Zipf-like: low indexes (the hotspots) are picked far more often.
      for (let k = 0; k < size; k++) touched.add(pool[Math.floor(random.next() ** 2.5 * pool.length)] as DemoFile);
    }
    const signer = isBot ? (bot as Person) : author;
    const changes: RawFileChange[] = [...touched].map((file) => {
      const added = random.int(1, 40);
      const deleted = random.int(0, Math.min(added, 25));
      file.lines += added - deleted;
      return { path: file.path, previousPath: null, added, deleted, binary: false };
    });
    // Now and then a file moves: history before the move lives under its old name.
    if (!isBot && random.chance(0.01)) {
      const file = random.pick(files.slice(0, -2));
      const renamed = file.path.replace(/\.ts$/, '-v2.ts');
      if (!used.has(renamed)) {
        changes.push({ path: renamed, previousPath: file.path, added: 0, deleted: 0, binary: false });
        used.add(renamed);
        file.path = renamed;
      }
    }
    const date = new Date(time).toISOString();
    chronological.push({
      rev: fakeHash(`${repositoryId}:${i}`),
      time,
      date: date.slice(0, 10),
      authorName: signer.name,
      authorEmail: random.pick(signer.emails.length > 0 ? signer.emails : [`${signer.id}@acme.example`]),
      changes,
    });
  }
  const newestFirst = chronological.reverse();
  const stored: StoredFile[] = files.map((file) => {
    const quarters = file.indentQuarters * file.lines;
    return {
      path: file.path,
      blob: fakeHash(`${repositoryId}:${file.path}:${file.lines}`),
      measure: { binary: false, complexity: complexityFromQuarters(file.lines, quarters, file.indentQuarters * 4) },
    };
  });
  return { commits: newestFirst, files: stored };
}

function fakeHash(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

function hashNumber(text: string): number {
  return parseInt(fakeHash(text).slice(0, 8), 16);
}
