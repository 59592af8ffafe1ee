import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/database.js';
import type { PersonRow, RepositoryRow, ServiceRow, TeamRow } from './tables.js';
import { chunks } from '../store/chunks.js';
import { isForeignKeyViolation, isUniqueViolation } from '../store/constraint-errors.js';
import { decodeCursor, toPage, type Page, type PageRequest } from '../store/pagination.js';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors.js';
import type { EntitySource, Environment, Org, Person, Repository, Service, ServiceRepository, Team } from './model.js';

type Db = Kysely<Database>;
type Tx = Transaction<Database>;

// --- Reads --------------------------------------------------------------------

export async function listTeams(db: Db, page: PageRequest): Promise<Page<Team>> {
  const cursor = after(page);
  const rows = await db
    .selectFrom('teams')
    .selectAll()
    .$if(cursor !== undefined, (q) => q.where('id', '>', cursor as string))
    .orderBy('id')
    .limit(page.limit + 1)
    .execute();
  return toPage(rows.map(toTeam), page.limit, (t) => t.id);
}

export async function getTeam(db: Db, id: string): Promise<Team> {
  const row = await db.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError(`Team "${id}" does not exist`);
  return toTeam(row);
}

export async function listRepositories(db: Db, page: PageRequest): Promise<Page<Repository>> {
  const cursor = after(page);
  const rows = await db
    .selectFrom('repositories')
    .selectAll()
    .$if(cursor !== undefined, (q) => q.where('id', '>', cursor as string))
    .orderBy('id')
    .limit(page.limit + 1)
    .execute();
  return toPage(rows.map(toRepository), page.limit, (r) => r.id);
}

export async function getRepository(db: Db, id: string): Promise<Repository> {
  const row = await db.selectFrom('repositories').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError(`Repository "${id}" does not exist`);
  return toRepository(row);
}

export async function listServices(db: Db, page: PageRequest & { teamId?: string | undefined }): Promise<Page<Service>> {
  const cursor = after(page);
  const rows = await db
    .selectFrom('services')
    .selectAll()
    .$if(cursor !== undefined, (q) => q.where('id', '>', cursor as string))
    .$if(page.teamId !== undefined, (q) => q.where('owner_team_id', '=', page.teamId as string))
    .orderBy('id')
    .limit(page.limit + 1)
    .execute();
  const services = await withServiceChildren(db, rows);
  return toPage(services, page.limit, (s) => s.id);
}

export async function getService(db: Db, id: string): Promise<Service> {
  const row = await db.selectFrom('services').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError(`Service "${id}" does not exist`);
  const [service] = await withServiceChildren(db, [row]);
  return service as Service;
}

export async function listPeople(db: Db, page: PageRequest): Promise<Page<Person>> {
  const cursor = after(page);
  const rows = await db
    .selectFrom('people')
    .selectAll()
    .$if(cursor !== undefined, (q) => q.where('id', '>', cursor as string))
    .orderBy('id')
    .limit(page.limit + 1)
    .execute();
  return toPage(await withIdentities(db, rows), page.limit, (p) => p.id);
}

export async function getPerson(db: Db, id: string): Promise<Person> {
  const row = await db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError(`Person "${id}" does not exist`);
  const [person] = await withIdentities(db, [row]);
  return person as Person;
}

/** The whole organisation, for identity resolution and the dashboard's overview. */
export async function loadOrg(db: Db): Promise<Org> {
  const [teams, repositories, services, people] = await Promise.all([
    db.selectFrom('teams').selectAll().orderBy('id').execute(),
    db.selectFrom('repositories').selectAll().orderBy('id').execute(),
    db.selectFrom('services').selectAll().orderBy('id').execute(),
    db.selectFrom('people').selectAll().orderBy('id').execute(),
  ]);
  return {
    teams: teams.map(toTeam),
    repositories: repositories.map(toRepository),
    services: await withServiceChildren(db, services),
    people: await withIdentities(db, people),
  };
}

export interface OrgCounts {
  teams: number;
  services: number;
  repositories: number;
  people: number;
}

export async function countOrg(db: Db): Promise<OrgCounts> {
  const count = async (table: 'teams' | 'services' | 'repositories' | 'people') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const [teams, services, repositories, people] = await Promise.all([
    count('teams'),
    count('services'),
    count('repositories'),
    count('people'),
  ]);
  return { teams, services, repositories, people };
}

// --- Writes from the API: one entity at a time ---------------------------------

export async function saveTeam(db: Db, team: Omit<Team, 'source'>): Promise<Team> {
  return writeEntity(db, 'teams', team.id, 'team', async (tx, now) => {
    if (team.parentId !== null) {
      await mustExist(tx, 'teams', team.parentId, 'body.parent', 'team');
      if (await wouldCycle(tx, team.id, team.parentId)) {
        throw new ValidationError('Invalid team parent', [
          { field: 'body.parent', message: `"${team.parentId}" is below "${team.id}" in the team tree: that would be a cycle` },
        ]);
      }
    }
    await upsertTeams(tx, [{ ...team, source: 'api' }], now);
    return getTeam(tx, team.id);
  });
}

export async function saveRepository(db: Db, repository: Omit<Repository, 'source'>): Promise<Repository> {
  return writeEntity(db, 'repositories', repository.id, 'repository', async (tx, now) => {
    await upsertRepositories(tx, [{ ...repository, source: 'api' }], now);
    return getRepository(tx, repository.id);
  });
}

export async function saveService(db: Db, service: Omit<Service, 'source'>): Promise<Service> {
  return writeEntity(db, 'services', service.id, 'service', async (tx, now) => {
    await mustExist(tx, 'teams', service.ownerTeamId, 'body.team', 'team');
    for (const [i, link] of service.repositories.entries()) {
      await mustExist(tx, 'repositories', link.repositoryId, `body.repositories[${i}]`, 'repository');
    }
    await upsertServices(tx, [{ ...service, source: 'api' }], now);
    return getService(tx, service.id);
  });
}

export async function savePerson(db: Db, person: Omit<Person, 'source'>): Promise<Person> {
  return writeEntity(db, 'people', person.id, 'person', async (tx, now) => {
    if (person.teamId !== null) await mustExist(tx, 'teams', person.teamId, 'body.team', 'team');
    await upsertPeople(tx, [{ ...person, source: 'api' }], now);
    return getPerson(tx, person.id);
  });
}

export async function deleteEntity(db: Db, table: OrgEntityTable, id: string): Promise<void> {
  const noun = ENTITY_NOUN[table];
  await db.transaction().execute(async (tx) => {
    await assertApiManaged(tx, table, id, noun);
    try {
      const result = await tx.deleteFrom(table).where('id', '=', id).executeTakeFirst();
      if (Number(result.numDeletedRows) === 0) throw new NotFoundError(`${capitalise(noun)} "${id}" does not exist`);
    } catch (error) {
      if (isForeignKeyViolation(error)) {
        throw new ConflictError(
          `${capitalise(noun)} "${id}" is still in use (for example by a service it owns or builds); remove those first`,
        );
      }
      throw error;
    }
  });
}

type OrgEntityTable = 'teams' | 'repositories' | 'services' | 'people';
const ENTITY_NOUN: Record<OrgEntityTable, string> = {
  teams: 'team',
  repositories: 'repository',
  services: 'service',
  people: 'person',
};

async function writeEntity<T>(
  db: Db,
  table: OrgEntityTable,
  id: string,
  noun: string,
  write: (tx: Tx, now: number) => Promise<T>,
): Promise<T> {
  try {
    return await db.transaction().execute(async (tx) => {
      await assertApiManaged(tx, table, id, noun);
      return write(tx, Date.now());
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ConflictError(
        table === 'people'
          ? `An email or login of this ${noun} already belongs to another person`
          : `This ${noun} lists the same entry twice (duplicates are not allowed)`,
      );
    }
    throw error;
  }
}

/** Entities from sextant.yaml belong to the file: the next sync would undo an API edit. */
async function assertApiManaged(tx: Tx, table: OrgEntityTable, id: string, noun: string): Promise<void> {
  const row = await tx.selectFrom(table).select('source').where('id', '=', id).executeTakeFirst();
  if (row?.source === 'config') {
    throw new ConflictError(`${capitalise(noun)} "${id}" is defined in sextant.yaml; change it there and run \`sextant sync\``);
  }
}

async function mustExist(tx: Tx, table: 'teams' | 'repositories', id: string, field: string, noun: string): Promise<void> {
  const row = await tx.selectFrom(table).select('id').where('id', '=', id).executeTakeFirst();
  if (!row) throw new ValidationError(`Unknown ${noun}`, [{ field, message: `${noun} "${id}" does not exist` }]);
}

async function wouldCycle(tx: Tx, teamId: string, parentId: string): Promise<boolean> {
  const seen = new Set<string>();
  let cursor: string | null = parentId;
  while (cursor !== null && !seen.has(cursor)) {
    if (cursor === teamId) return true;
    seen.add(cursor);
    const row: { parent_id: string | null } | undefined = await tx
      .selectFrom('teams')
      .select('parent_id')
      .where('id', '=', cursor)
      .executeTakeFirst();
    cursor = row?.parent_id ?? null;
  }
  return false;
}

// --- Whole-org replacement: the workspace file and the demo ---------------------

export interface ApplyReport {
  upserted: OrgCounts;
  removed: OrgCounts;
}

/**
 * Makes the rows owned by `source` exactly `org`, in one transaction: entities
 * no longer listed are removed, the rest inserted or updated. Rows created
 * through the API (another source) are left alone; an id taken over by the file
 * becomes file-managed. On any error nothing changes.
 */
export async function replaceOrg(db: Db, org: Org, source: Exclude<EntitySource, 'api'>): Promise<ApplyReport> {
  const now = Date.now();
  try {
    return await db.transaction().execute(async (tx) => {
      const removed = {
        services: await removeMissing(tx, 'services', source, org.services),
        people: await removeMissing(tx, 'people', source, org.people),
        teams: 0,
        repositories: 0,
      };
      await upsertRepositories(
        tx,
        org.repositories.map((r) => ({ ...r, source })),
        now,
      );
      await upsertTeams(
        tx,
        parentsFirst(org.teams).map((t) => ({ ...t, source })),
        now,
      );
      await upsertServices(
        tx,
        org.services.map((s) => ({ ...s, source })),
        now,
      );
      await upsertPeople(
        tx,
        org.people.map((p) => ({ ...p, source })),
        now,
      );
      removed.teams = await removeMissing(tx, 'teams', source, org.teams);
      removed.repositories = await removeMissing(tx, 'repositories', source, org.repositories);
      return {
        upserted: {
          teams: org.teams.length,
          services: org.services.length,
          repositories: org.repositories.length,
          people: org.people.length,
        },
        removed,
      };
    });
  } catch (error) {
    if (isForeignKeyViolation(error)) {
      throw new ConflictError(
        'The configuration removes a team or repository that services or people created through the API still use; reassign them first',
      );
    }
    if (isUniqueViolation(error)) {
      throw new ConflictError('An email or login is claimed by two people (one of them perhaps created through the API)');
    }
    throw error;
  }
}

async function removeMissing(tx: Tx, table: OrgEntityTable, source: EntitySource, keep: Array<{ id: string }>): Promise<number> {
  const keepIds = new Set(keep.map((e) => e.id));
  const existing = await tx.selectFrom(table).select('id').where('source', '=', source).execute();
  const gone = existing.map((r) => r.id).filter((id) => !keepIds.has(id));
  for (const ids of chunks(gone)) await tx.deleteFrom(table).where('id', 'in', ids).execute();
  return gone.length;
}

function parentsFirst(teams: Team[]): Team[] {
  const byId = new Map(teams.map((t) => [t.id, t]));
  const ordered: Team[] = [];
  const placed = new Set<string>();
  const place = (team: Team, depth: number) => {
    if (placed.has(team.id) || depth > teams.length) return;
    const parent = team.parentId !== null ? byId.get(team.parentId) : undefined;
    if (parent) place(parent, depth + 1);
    placed.add(team.id);
    ordered.push(team);
  };
  teams.forEach((t) => place(t, 0));
  return ordered;
}

// --- Row writers shared by both paths -----------------------------------------

async function upsertTeams(tx: Tx, teams: Team[], now: number): Promise<void> {
  for (const batch of chunks(teams)) {
    await tx
      .insertInto('teams')
      .values(
        batch.map((t) => ({
          id: t.id,
          name: t.name,
          parent_id: t.parentId,
          description: t.description,
          source: t.source,
          created_at: now,
          updated_at: now,
        })),
      )
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          parent_id: eb.ref('excluded.parent_id'),
          description: eb.ref('excluded.description'),
          source: eb.ref('excluded.source'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}

async function upsertRepositories(tx: Tx, repositories: Repository[], now: number): Promise<void> {
  for (const batch of chunks(repositories)) {
    await tx
      .insertInto('repositories')
      .values(
        batch.map((r) => ({
          id: r.id,
          name: r.name,
          path: r.path,
          url: r.url,
          default_branch: r.defaultBranch,
          source: r.source,
          created_at: now,
          updated_at: now,
        })),
      )
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          path: eb.ref('excluded.path'),
          url: eb.ref('excluded.url'),
          default_branch: eb.ref('excluded.default_branch'),
          source: eb.ref('excluded.source'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}

async function upsertServices(tx: Tx, services: Service[], now: number): Promise<void> {
  for (const batch of chunks(services)) {
    await tx
      .insertInto('services')
      .values(
        batch.map((s) => ({
          id: s.id,
          name: s.name,
          owner_team_id: s.ownerTeamId,
          description: s.description,
          source: s.source,
          created_at: now,
          updated_at: now,
        })),
      )
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          owner_team_id: eb.ref('excluded.owner_team_id'),
          description: eb.ref('excluded.description'),
          source: eb.ref('excluded.source'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
    const ids = batch.map((s) => s.id);
    await tx.deleteFrom('service_repositories').where('service_id', 'in', ids).execute();
    await tx.deleteFrom('service_environments').where('service_id', 'in', ids).execute();
  }
  const links = services.flatMap((s) =>
    s.repositories.map((link) => ({
      service_id: s.id,
      repository_id: link.repositoryId,
      path_filters: JSON.stringify(link.paths),
    })),
  );
  for (const batch of chunks(links)) await tx.insertInto('service_repositories').values(batch).execute();
  const environments = services.flatMap((s) =>
    s.environments.map((env) => ({ service_id: s.id, name: env.name, production: env.production ? 1 : 0 })),
  );
  for (const batch of chunks(environments)) await tx.insertInto('service_environments').values(batch).execute();
}

async function upsertPeople(tx: Tx, people: Person[], now: number): Promise<void> {
  for (const batch of chunks(people)) {
    await tx
      .insertInto('people')
      .values(
        batch.map((p) => ({
          id: p.id,
          name: p.name,
          team_id: p.teamId,
          is_bot: p.bot ? 1 : 0,
          source: p.source,
          created_at: now,
          updated_at: now,
        })),
      )
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          team_id: eb.ref('excluded.team_id'),
          is_bot: eb.ref('excluded.is_bot'),
          source: eb.ref('excluded.source'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
    await tx
      .deleteFrom('person_identities')
      .where(
        'person_id',
        'in',
        batch.map((p) => p.id),
      )
      .execute();
  }
  const identities = people.flatMap((p) => identityRows(p));
  for (const batch of chunks(identities)) await tx.insertInto('person_identities').values(batch).execute();
}

function identityRows(person: Person) {
  const rows = new Map<string, { person_id: string; kind: 'email' | 'name' | 'login'; value: string }>();
  const add = (kind: 'email' | 'name' | 'login', raw: string) => {
    const value = normaliseIdentity(raw);
    rows.set(`${kind}:${value}`, { person_id: person.id, kind, value });
  };
  person.emails.forEach((e) => add('email', e));
  [person.name, ...person.aliases].forEach((n) => add('name', n));
  person.logins.forEach((l) => add('login', l));
  return [...rows.values()];
}

/** Identities compare case-insensitively with surrounding space ignored. */
export function normaliseIdentity(value: string): string {
  return value.trim().toLowerCase();
}

// --- Row mapping ---------------------------------------------------------------

/** Ids strictly after the cursor's, in id order, one more than the page to know if more follow. */
function after(page: PageRequest): string | undefined {
  return page.cursor === undefined ? undefined : decodeCursor(page.cursor);
}

function toTeam(row: TeamRow): Team {
  return { id: row.id, name: row.name, parentId: row.parent_id, description: row.description, source: row.source };
}

function toRepository(row: RepositoryRow): Repository {
  return {
    id: row.id,
    name: row.name,
    path: row.path,
    url: row.url,
    defaultBranch: row.default_branch,
    source: row.source,
  };
}

async function withServiceChildren(db: Db, rows: ServiceRow[]): Promise<Service[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const links = new Map<string, ServiceRepository[]>();
  const environments = new Map<string, Environment[]>();
  for (const batch of chunks(ids)) {
    const linkRows = await db
      .selectFrom('service_repositories')
      .selectAll()
      .where('service_id', 'in', batch)
      .orderBy('repository_id')
      .execute();
    for (const link of linkRows) {
      const list = links.get(link.service_id) ?? [];
      list.push({ repositoryId: link.repository_id, paths: JSON.parse(link.path_filters) as string[] });
      links.set(link.service_id, list);
    }
    const envRows = await db.selectFrom('service_environments').selectAll().where('service_id', 'in', batch).orderBy('name').execute();
    for (const env of envRows) {
      const list = environments.get(env.service_id) ?? [];
      list.push({ name: env.name, production: env.production === 1 });
      environments.set(env.service_id, list);
    }
  }
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    ownerTeamId: row.owner_team_id,
    description: row.description,
    repositories: links.get(row.id) ?? [],
    environments: environments.get(row.id) ?? [],
    source: row.source,
  }));
}

async function withIdentities(db: Db, rows: PersonRow[]): Promise<Person[]> {
  const byPerson = new Map<string, { emails: string[]; aliases: string[]; logins: string[] }>();
  for (const batch of chunks(rows.map((r) => r.id))) {
    const identities = await db.selectFrom('person_identities').selectAll().where('person_id', 'in', batch).orderBy('value').execute();
    for (const identity of identities) {
      const entry = byPerson.get(identity.person_id) ?? { emails: [], aliases: [], logins: [] };
      if (identity.kind === 'email') entry.emails.push(identity.value);
      else if (identity.kind === 'login') entry.logins.push(identity.value);
      else entry.aliases.push(identity.value);
      byPerson.set(identity.person_id, entry);
    }
  }
  return rows.map((row) => {
    const ids = byPerson.get(row.id) ?? { emails: [], aliases: [], logins: [] };
    return {
      id: row.id,
      name: row.name,
      teamId: row.team_id,
      bot: row.is_bot === 1,
      emails: ids.emails,
      aliases: ids.aliases.filter((alias) => alias !== normaliseIdentity(row.name)),
      logins: ids.logins,
      source: row.source,
    };
  });
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
