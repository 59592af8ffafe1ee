import { z } from 'zod';
import { entityId } from '../org/index.js';
import { defineRoute, type RouteSpec } from '../kit/routes.js';
import { ValidationError } from '../shared/errors.js';
import type { Store } from '../store/database.js';
import { ANALYSIS_NAMES, analysisOptionsSchema } from './model.js';
import { analyseScope } from './scopes.js';
import { listHistoryStates } from './store.js';

const BASE = '/api/v1/codebase';
const TAG = 'codebase';

// A query string repeats a key for a list (?include=a&include=b) and says booleans as text.
const listParam = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]));
const booleanParam = z
  .enum(['true', 'false'])
  .optional()
  .transform((value) => value !== 'false');

const analysisQuery = analysisOptionsSchema
  .extend({
    repository: entityId.optional().describe('Analyse this repository'),
    service: entityId.optional().describe("Analyse this service: its repositories, narrowed to the service's path globs"),
    include: listParam.describe('Globs: analyse only matching files (repeat the parameter for several)'),
    exclude: listParam.describe('Globs: leave matching files out'),
    without: listParam.describe('knowledge-risk: simulate these authors leaving'),
    defaultExcludes: booleanParam.describe(
      'false keeps every file; by default hotspots, coupling, soc and age analyse code only, truck-factor and knowledge-risk leave out vendored files',
    ),
    excludeDocumentation: z
      .enum(['true', 'false'])
      .optional()
      .transform((value) => value === 'true')
      .describe('truck-factor, knowledge-risk: true also leaves out documentation (the paper keeps it)'),
  })
  .superRefine((query, ctx) => {
    if ((query.repository === undefined) === (query.service === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['repository'], message: 'give exactly one of repository or service' });
    }
  });

const historySchema = z.object({
  repositoryId: z.string(),
  head: z.string().describe('The latest commit read'),
  commits: z.number().describe('Commits stored (those changing at least one file)'),
  analysedAt: z.number().describe('Epoch milliseconds of the last refresh'),
});

const analysisResultSchema = z.object({
  analysis: z.enum(ANALYSIS_NAMES),
  results: z.array(
    z.object({
      repositoryId: z.string(),
      paths: z.array(z.string()).describe("The service's path globs in this repository; empty = the whole repository"),
      rev: z.string().describe('The analysed commit'),
      commits: z.number().describe('Commits analysed'),
      result: z.unknown().describe('The rows (or report) `sextant code ANALYSIS --json` prints; see docs/metrics/codebase.md'),
    }),
  ),
});

/** The codebase module's HTTP surface: which repositories are analysed, and each analysis per repository or service. */
export function codebaseRoutes(store: Store): RouteSpec[] {
  const { db } = store;
  return [
    defineRoute({
      method: 'GET',
      url: `${BASE}/repositories`,
      operationId: 'listCodebaseHistories',
      summary: 'Repositories whose history has been analysed (by `sextant sync`)',
      tag: TAG,
      access: 'read',
      response: z.object({ items: z.array(historySchema) }),
      handler: async () => ({
        items: (await listHistoryStates(db)).map(({ repositoryId, head, commits, analysedAt }) => ({
          repositoryId,
          head,
          commits,
          analysedAt,
        })),
      }),
    }),
    defineRoute({
      method: 'GET',
      url: `${BASE}/analyses/:analysis`,
      operationId: 'getCodebaseAnalysis',
      summary: 'Run one analysis (hotspots, coupling, truck-factor, ...) over a repository or service, from the history cache',
      tag: TAG,
      access: 'read',
      params: z.object({ analysis: z.enum(ANALYSIS_NAMES) }),
      query: analysisQuery,
      response: analysisResultSchema,
      handler: async ({ params, query }) => {
        const { repository, service, ...options } = query;
        const scope =
          repository !== undefined ? { kind: 'repository' as const, id: repository } : { kind: 'service' as const, id: service as string };
        try {
          const results = await analyseScope(db, scope, [params.analysis], options);
          return { analysis: params.analysis, results: results.get(params.analysis) ?? [] };
        } catch (error) {
          // Pure computations name their own inputs (`without[0]`); over HTTP those are query parameters.
          if (error instanceof ValidationError) {
            throw new ValidationError(
              error.message,
              error.issues.map((issue) => ({ ...issue, field: issue.field.startsWith('query.') ? issue.field : `query.${issue.field}` })),
            );
          }
          throw error;
        }
      },
    }),
  ];
}
