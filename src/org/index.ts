import { defineModule } from '../kit/module.js';
import { registerOrgCommands } from './cli.js';
import { generateDemoOrg } from './demo-org.js';
import { orgMigration } from './migrations/0001-org.js';
import { checkOrgReferences, checkRepositoryPaths, orgConfig, orgFromConfig, type OrgConfig } from './org-config.js';
import { orgTemplate } from './org-template.js';
import { orgRoutes } from './routes.js';
import { replaceOrg } from './store.js';

/**
 * The organisation every other module shares: teams, services, repositories
 * and people (with their commit identities). Its section of sextant.yaml is
 * applied before any sync task runs; its demo loads first.
 */
export const orgModule = defineModule<OrgConfig>({
  name: 'org',
  migrations: { '0001-org': orgMigration },
  routes: orgRoutes,
  commands: registerOrgCommands,
  config: {
    shape: orgConfig.shape,
    check: (section, { baseDir }) => [
      ...checkOrgReferences(section),
      ...(baseDir === undefined ? [] : checkRepositoryPaths(section, baseDir)),
    ],
    apply: async (store, section) => {
      const report = await replaceOrg(store.db, orgFromConfig(section), 'config');
      const { teams, services, repositories, people } = report.upserted;
      return { summary: `${teams} teams, ${services} services, ${repositories} repositories, ${people} people`, report };
    },
    knownIds: (section) => ({
      teams: new Set(section.teams.map((t) => t.id)),
      services: new Set(section.services.map((s) => s.id)),
      repositories: new Set(section.repositories.map((r) => r.id)),
    }),
    template: orgTemplate,
  },
  demo: async ({ store, options }) => ({ ...(await replaceOrg(store.db, generateDemoOrg(options), 'demo')).upserted }),
});

/** The org part of a validated workspace configuration, as domain objects. */
export function orgFromWorkspaceConfig(config: Readonly<Record<string, unknown>>) {
  return orgFromConfig(orgConfig.parse(config));
}

export type { Org, Person, Repository, Service, ServiceRepository, Team, Environment, EntitySource } from './model.js';
export { entityId, environmentName, slugify } from './model.js';
export type { OrgConfig } from './org-config.js';
export { confineRepositoryPath, repositoryReadPath, type RepositoryRoots } from './repository-path.js';
export { generateDemoOrg } from './demo-org.js';
export { createIdentityResolver, type AuthorSignature, type IdentityResolver } from './identity.js';
export { getRepository, getService, loadOrg, replaceOrg, saveRepository, saveService, saveTeam, type ApplyReport } from './store.js';
export type { OrgTables, RowSource } from './tables.js';
