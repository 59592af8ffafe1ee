import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import type { PageRequest } from '../store/pagination.js';
import type { AnalysisName, AnalysisOptions } from './model.js';
import { analyseScope, type Scope } from './scopes.js';
import { pageHistoryStates } from './store.js';

/** The codebase read side of the API, one function per view; instants as ISO 8601 strings. */

type Db = Kysely<Database>;

/** Repositories whose history has been analysed, by id. */
export async function historiesView(db: Db, page: PageRequest) {
  const { items, nextCursor } = await pageHistoryStates(db, page);
  return {
    items: items.map(({ repositoryId, head, commits, analysedAt }) => ({
      repositoryId,
      head,
      commits,
      analysedAt: new Date(analysedAt).toISOString(),
    })),
    nextCursor,
  };
}

/** One analysis over a repository or a service (each of its repositories, narrowed to its path globs). */
export async function analysisView(db: Db, analysis: AnalysisName, scope: Scope, options: AnalysisOptions) {
  const results = await analyseScope(db, scope, [analysis], options, Date.now(), (option) => `query.${option}`);
  return { analysis, results: results.get(analysis) ?? [] };
}
