import type { Kysely } from 'kysely';
import { getRepository, getService, loadOrg } from '../org/index.js';
import { ValidationError } from '../shared/errors.js';
import type { Database } from '../store/database.js';
import { analyseCachedHistory } from './history-cache.js';
import { optionKey, type AnalysisName, type AnalysisOptions, type FieldNamer } from './model.js';

type Db = Kysely<Database>;

/**
 * What the dashboard and API analyse: a whole repository, or a service, which
 * is one or more repositories each narrowed to the service's path globs (a
 * service in a monorepo). A service's globs become `include` filters.
 */
export type Scope = { kind: 'repository'; id: string } | { kind: 'service'; id: string };

export interface ScopedRepository {
  repositoryId: string;
  /** Globs selecting the scope inside the repository; empty = all of it. */
  paths: string[];
}

export async function repositoriesOf(db: Db, scope: Scope): Promise<ScopedRepository[]> {
  if (scope.kind === 'repository') {
    await getRepository(db, scope.id);
    return [{ repositoryId: scope.id, paths: [] }];
  }
  const service = await getService(db, scope.id);
  return service.repositories.map((link) => ({ repositoryId: link.repositoryId, paths: link.paths }));
}

export interface ScopedResult {
  repositoryId: string;
  paths: string[];
  rev: string;
  commits: number;
  result: unknown;
}

/** Runs analyses for every repository of the scope from the history cache (see history-cache.ts). */
export async function analyseScope(
  db: Db,
  scope: Scope,
  names: readonly AnalysisName[],
  options: AnalysisOptions,
  now = Date.now(),
  fieldOf: FieldNamer = optionKey,
): Promise<Map<AnalysisName, ScopedResult[]>> {
  const repositories = await repositoriesOf(db, scope);
  if (scope.kind === 'service' && options.include.length > 0 && repositories.some((r) => r.paths.length > 0)) {
    throw new ValidationError('Conflicting filters', [
      { field: fieldOf('include'), message: 'this service already selects its files with path globs; leave include out' },
    ]);
  }
  const { people } = await loadOrg(db);
  const results = new Map<AnalysisName, ScopedResult[]>(names.map((name) => [name, []]));
  for (const { repositoryId, paths } of repositories) {
    const scoped = paths.length > 0 ? { ...options, include: paths } : options;
    const analysed = await analyseCachedHistory(db, repositoryId, names, scoped, people, now, fieldOf);
    for (const name of names) {
      const run = analysed.get(name);
      if (run) results.get(name)?.push({ repositoryId, paths, rev: run.rev, commits: run.commits, result: run.result });
    }
  }
  return results;
}
