/** Row shapes of the org tables. Only store code sees these; modules return domain objects. */

/** Who owns a row: the workspace file, the HTTP API, or the demo generator. */
export type RowSource = 'config' | 'api' | 'demo';

export interface TeamRow {
  id: string;
  name: string;
  parent_id: string | null;
  description: string | null;
  source: RowSource;
  created_at: number;
  updated_at: number;
}

export interface RepositoryRow {
  id: string;
  name: string;
  path: string | null;
  url: string | null;
  default_branch: string | null;
  source: RowSource;
  created_at: number;
  updated_at: number;
}

export interface ServiceRow {
  id: string;
  name: string;
  owner_team_id: string;
  description: string | null;
  source: RowSource;
  created_at: number;
  updated_at: number;
}

export interface ServiceRepositoryRow {
  service_id: string;
  repository_id: string;
  /** JSON array of glob patterns; `[]` means the whole repository. */
  path_filters: string;
}

export interface ServiceEnvironmentRow {
  service_id: string;
  name: string;
  /** 0/1: whether deployments here count as production (DORA counts production). */
  production: number;
}

export interface PersonRow {
  id: string;
  name: string;
  team_id: string | null;
  /** 0/1 */
  is_bot: number;
  source: RowSource;
  created_at: number;
  updated_at: number;
}

export interface PersonIdentityRow {
  person_id: string;
  kind: 'email' | 'name' | 'login';
  /** Normalised (trimmed, lower-cased) so lookups are exact. */
  value: string;
}

export interface OrgTables {
  teams: TeamRow;
  repositories: RepositoryRow;
  services: ServiceRow;
  service_repositories: ServiceRepositoryRow;
  service_environments: ServiceEnvironmentRow;
  people: PersonRow;
  person_identities: PersonIdentityRow;
}

// Adds these tables to the store's Database type (declaration merging): the
// store knows no module, each module declares its own tables.
declare module '../store/database.js' {
  interface Database extends OrgTables {}
}
