import { z } from 'zod';
import { entityId } from '../org/index.js';
import { defineRoute, type RouteSpec } from '../kit/routes.js';
import type { Store } from '../store/database.js';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from '../store/pagination.js';
import { analysisResult } from './api-schemas.js';
import { ANALYSIS_NAMES, analysisOptionsSchema } from './model.js';
import { analysisView, historiesView } from './views.js';

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
      'false keeps every file; by default every analysis reads code only (truck-factor and knowledge-risk keep documentation with excludeDocumentation=false)',
    ),
    excludeDocumentation: z
      .enum(['true', 'false'])
      .optional()
      .transform((value) => value !== 'false')
      .describe('truck-factor, knowledge-risk: false keeps documentation (by default left out, as in the paper)'),
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
  analysedAt: z.string().describe('When the history was last refreshed (ISO 8601)'),
});
const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_LIMIT).default(DEFAULT_PAGE_LIMIT),
  cursor: z.string().optional().describe('The nextCursor of the previous page'),
});

const analysisResultSchema = z.object({
  analysis: z.enum(ANALYSIS_NAMES),
  results: z.array(
    z.object({
      repositoryId: z.string(),
      paths: z.array(z.string()).describe("The service's path globs in this repository; empty = the whole repository"),
      rev: z.string().describe('The analysed commit'),
      commits: z.number().describe('Commits analysed'),
      result: analysisResult.describe('The rows (or report) `sextant code ANALYSIS --json` prints; see docs/metrics/codebase.md'),
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
      query: pageQuery,
      response: z.object({ items: z.array(historySchema), nextCursor: z.string().nullable() }),
      handler: ({ query }) => historiesView(db, query),
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
      handler: ({ params, query }) => {
        const { repository, service, ...options } = query;
        const scope =
          repository !== undefined ? { kind: 'repository' as const, id: repository } : { kind: 'service' as const, id: service as string };
        return analysisView(db, params.analysis, scope, options);
      },
    }),
  ];
}
