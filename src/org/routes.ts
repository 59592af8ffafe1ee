import { z } from 'zod';
import type { Store } from '../store/database.js';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from '../store/pagination.js';
import type { ModulePeers, RouteHost } from '../kit/module.js';
import { defineRoute, type RouteSpec } from '../kit/routes.js';
import { confineRepositoryPath } from './repository-path.js';
import {
  entityId,
  personInput,
  personSchema,
  repositoryInput,
  repositorySchema,
  serviceInput,
  serviceSchema,
  teamInput,
  teamSchema,
} from './model.js';
import * as orgStore from './store.js';

const idParams = z.object({ id: entityId });
const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_LIMIT).default(DEFAULT_PAGE_LIMIT),
  cursor: z.string().optional().describe('The nextCursor of the previous page'),
});
const pageOf = (item: z.ZodType) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });
const countsSchema = z.object({ teams: z.number(), services: z.number(), repositories: z.number(), people: z.number() });

const BASE = '/api/v1/org';
const TAG = 'org';

/** The org module's HTTP surface: list, read, create-or-replace (PUT) and delete for each entity. */
export function orgRoutes(store: Store, _peers: ModulePeers, host: RouteHost): RouteSpec[] {
  const { db } = store;
  return [
    defineRoute({
      method: 'GET',
      url: BASE,
      operationId: 'getOrgSummary',
      summary: 'Counts of teams, services, repositories and people',
      tag: TAG,
      access: 'read',
      response: countsSchema,
      handler: () => orgStore.countOrg(db),
    }),

    defineRoute({
      method: 'GET',
      url: `${BASE}/teams`,
      operationId: 'listTeams',
      summary: 'List teams',
      tag: TAG,
      access: 'read',
      query: pageQuery,
      response: pageOf(teamSchema),
      handler: ({ query }) => orgStore.listTeams(db, query),
    }),
    defineRoute({
      method: 'GET',
      url: `${BASE}/teams/:id`,
      operationId: 'getTeam',
      summary: 'Get a team',
      tag: TAG,
      access: 'read',
      params: idParams,
      response: teamSchema,
      handler: ({ params }) => orgStore.getTeam(db, params.id),
    }),
    defineRoute({
      method: 'PUT',
      url: `${BASE}/teams/:id`,
      operationId: 'putTeam',
      summary: 'Create or replace a team',
      tag: TAG,
      access: 'write',
      params: idParams,
      body: teamInput,
      response: teamSchema,
      handler: ({ params, body }) =>
        orgStore.saveTeam(db, { id: params.id, name: body.name, parentId: body.parent ?? null, description: body.description ?? null }),
    }),
    deleteRoute(store, 'teams', 'deleteTeam', 'Delete a team (not while services belong to it)'),

    defineRoute({
      method: 'GET',
      url: `${BASE}/services`,
      operationId: 'listServices',
      summary: 'List services, optionally of one team',
      tag: TAG,
      access: 'read',
      query: pageQuery.extend({ team: entityId.optional().describe('Only services owned by this team') }),
      response: pageOf(serviceSchema),
      handler: ({ query }) => orgStore.listServices(db, { limit: query.limit, cursor: query.cursor, teamId: query.team }),
    }),
    defineRoute({
      method: 'GET',
      url: `${BASE}/services/:id`,
      operationId: 'getService',
      summary: 'Get a service',
      tag: TAG,
      access: 'read',
      params: idParams,
      response: serviceSchema,
      handler: ({ params }) => orgStore.getService(db, params.id),
    }),
    defineRoute({
      method: 'PUT',
      url: `${BASE}/services/:id`,
      operationId: 'putService',
      summary: 'Create or replace a service',
      tag: TAG,
      access: 'write',
      params: idParams,
      body: serviceInput,
      response: serviceSchema,
      handler: ({ params, body }) =>
        orgStore.saveService(db, {
          id: params.id,
          name: body.name,
          ownerTeamId: body.team,
          description: body.description ?? null,
          repositories: body.repositories.map((link) => ({ repositoryId: link.repo, paths: link.paths })),
          environments: body.environments,
        }),
    }),
    deleteRoute(store, 'services', 'deleteService', 'Delete a service'),

    defineRoute({
      method: 'GET',
      url: `${BASE}/repositories`,
      operationId: 'listRepositories',
      summary: 'List repositories',
      tag: TAG,
      access: 'read',
      query: pageQuery,
      response: pageOf(repositorySchema),
      handler: ({ query }) => orgStore.listRepositories(db, query),
    }),
    defineRoute({
      method: 'GET',
      url: `${BASE}/repositories/:id`,
      operationId: 'getRepository',
      summary: 'Get a repository',
      tag: TAG,
      access: 'read',
      params: idParams,
      response: repositorySchema,
      handler: ({ params }) => orgStore.getRepository(db, params.id),
    }),
    defineRoute({
      method: 'PUT',
      url: `${BASE}/repositories/:id`,
      operationId: 'putRepository',
      summary: 'Create or replace a repository',
      tag: TAG,
      access: 'write',
      params: idParams,
      body: repositoryInput,
      response: repositorySchema,
      handler: async ({ params, body }) =>
        orgStore.saveRepository(db, {
          id: params.id,
          name: body.name ?? params.id,
          path:
            body.path == null
              ? null
              : await confineRepositoryPath(
                  db,
                  body.path,
                  { workspaceDir: host.workspaceDir, extraRoots: host.repositoryRoots },
                  'body.path',
                ),
          url: body.url ?? null,
          defaultBranch: body.defaultBranch ?? null,
        }),
    }),
    deleteRoute(store, 'repositories', 'deleteRepository', 'Delete a repository (not while a service uses it)'),

    defineRoute({
      method: 'GET',
      url: `${BASE}/people`,
      operationId: 'listPeople',
      summary: 'List people and their identities',
      tag: TAG,
      access: 'read',
      query: pageQuery,
      response: pageOf(personSchema),
      handler: ({ query }) => orgStore.listPeople(db, query),
    }),
    defineRoute({
      method: 'GET',
      url: `${BASE}/people/:id`,
      operationId: 'getPerson',
      summary: 'Get a person',
      tag: TAG,
      access: 'read',
      params: idParams,
      response: personSchema,
      handler: ({ params }) => orgStore.getPerson(db, params.id),
    }),
    defineRoute({
      method: 'PUT',
      url: `${BASE}/people/:id`,
      operationId: 'putPerson',
      summary: 'Create or replace a person (identities are replaced as a whole)',
      tag: TAG,
      access: 'write',
      params: idParams,
      body: personInput,
      response: personSchema,
      handler: ({ params, body }) =>
        orgStore.savePerson(db, {
          id: params.id,
          name: body.name,
          teamId: body.team ?? null,
          bot: body.bot,
          emails: body.emails,
          aliases: body.aliases,
          logins: body.logins,
        }),
    }),
    deleteRoute(store, 'people', 'deletePerson', 'Delete a person and their identities'),
  ];
}

function deleteRoute(
  store: Store,
  table: 'teams' | 'services' | 'repositories' | 'people',
  operationId: string,
  summary: string,
): RouteSpec {
  return defineRoute({
    method: 'DELETE',
    url: `${BASE}/${table}/:id`,
    operationId,
    summary,
    tag: TAG,
    access: 'write',
    params: idParams,
    successStatus: 204,
    responseDescription: 'Deleted',
    handler: ({ params }) => orgStore.deleteEntity(store.db, table, params.id),
  });
}
