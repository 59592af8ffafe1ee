import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, ValidationError } from '../shared/errors.js';
import type { Store } from '../store/database.js';
import { TEST_DIALECTS } from '../test-support/stores.js';
import type { Org, Person, Service, Team } from './model.js';
import { countOrg, getService, loadOrg, replaceOrg, savePerson, saveService, saveTeam } from './store.js';

const team = (id: string, parentId: string | null = null): Team => ({
  id,
  name: id.toUpperCase(),
  parentId,
  description: null,
  source: 'config',
});
const service = (id: string, ownerTeamId: string, repositoryId?: string): Service => ({
  id,
  name: id,
  ownerTeamId,
  description: null,
  repositories: repositoryId ? [{ repositoryId, paths: [`services/${id}/**`] }] : [],
  environments: [{ name: 'production', production: true }],
  source: 'config',
});
const person = (id: string, email: string, teamId: string | null = null): Person => ({
  id,
  name: id,
  teamId,
  bot: false,
  emails: [email],
  aliases: [],
  logins: [],
  source: 'config',
});

function withoutSource<T extends { source: unknown }>(entity: T): Omit<T, 'source'> {
  const { source: _source, ...rest } = entity;
  return rest;
}

function buildOrg(overrides: Partial<Org> = {}): Org {
  return {
    // Child listed before its parent: the store must order inserts itself.
    teams: [team('web', 'eng'), team('eng')],
    repositories: [{ id: 'mono', name: 'mono', path: '/srv/mono', url: null, defaultBranch: 'main', source: 'config' }],
    services: [service('shop', 'web', 'mono'), service('cart', 'web', 'mono')],
    people: [person('ada', 'ada@x.example', 'web')],
    ...overrides,
  };
}

for (const dialect of TEST_DIALECTS) {
  describe(`org store on ${dialect.name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await dialect.open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('writes a whole organisation and reads it back', async () => {
      const report = await replaceOrg(store.db, buildOrg(), 'config');
      expect(report.upserted).toEqual({ teams: 2, services: 2, repositories: 1, people: 1 });
      const org = await loadOrg(store.db);
      expect(org.teams.map((t) => [t.id, t.parentId])).toEqual([
        ['eng', null],
        ['web', 'eng'],
      ]);
      expect(await getService(store.db, 'shop')).toEqual(service('shop', 'web', 'mono'));
      expect(org.people[0]).toEqual(person('ada', 'ada@x.example', 'web'));
    });

    it('re-applying removes what the file no longer lists and leaves API rows alone', async () => {
      await replaceOrg(store.db, buildOrg(), 'config');
      await saveTeam(store.db, { id: 'api-team', name: 'API team', parentId: 'eng', description: null });
      await replaceOrg(store.db, buildOrg({ services: [service('shop', 'web', 'mono')], people: [] }), 'config');
      const org = await loadOrg(store.db);
      expect(org.services.map((s) => s.id)).toEqual(['shop']);
      expect(org.people).toEqual([]);
      expect(org.teams.map((t) => `${t.id}:${t.source}`)).toEqual(['api-team:api', 'eng:config', 'web:config']);
      // Applying the same file again is a no-op on the contents.
      await replaceOrg(store.db, buildOrg({ services: [service('shop', 'web', 'mono')], people: [] }), 'config');
      expect(await loadOrg(store.db)).toEqual(org);
    });

    it('rolls back the whole replacement when one part fails', async () => {
      await replaceOrg(store.db, buildOrg(), 'config');
      await saveService(store.db, withoutSource(service('api-svc', 'web')));
      const before = await loadOrg(store.db);
      // Dropping team "web" is impossible while the API-created service uses it:
      // nothing of this replacement may stick, including the new team "ops".
      const attempt = replaceOrg(store.db, buildOrg({ teams: [team('eng'), team('ops')], services: [], people: [] }), 'config');
      await expect(attempt).rejects.toBeInstanceOf(ConflictError);
      expect(await loadOrg(store.db)).toEqual(before);
    });

    it('refuses API edits of entities the configuration file owns', async () => {
      await replaceOrg(store.db, buildOrg(), 'config');
      await expect(saveTeam(store.db, { id: 'web', name: 'Renamed', parentId: null, description: null })).rejects.toBeInstanceOf(
        ConflictError,
      );
      expect((await loadOrg(store.db)).teams.find((t) => t.id === 'web')?.name).toBe('WEB');
    });

    it('rejects a team parent that would make a cycle', async () => {
      await saveTeam(store.db, { id: 'a', name: 'A', parentId: null, description: null });
      await saveTeam(store.db, { id: 'b', name: 'B', parentId: 'a', description: null });
      const cycle = saveTeam(store.db, { id: 'a', name: 'A', parentId: 'b', description: null });
      await expect(cycle).rejects.toBeInstanceOf(ValidationError);
      expect((await loadOrg(store.db)).teams.find((t) => t.id === 'a')?.parentId).toBeNull();
    });

    it('refuses an email already claimed by another person, case-insensitively', async () => {
      await savePerson(store.db, withoutSource(person('ada', 'ada@x.example')));
      const clash = savePerson(store.db, withoutSource(person('eve', 'ADA@x.example')));
      await expect(clash).rejects.toBeInstanceOf(ConflictError);
      expect(await countOrg(store.db)).toEqual({ teams: 0, services: 0, repositories: 0, people: 1 });
    });
  });
}
