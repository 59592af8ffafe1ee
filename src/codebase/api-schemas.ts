import { z } from 'zod';
import type { AgeRow } from './age.js';
import type { KnowledgeRiskReport, TruckFactorReport } from './analyses.js';
import type { CouplingRow } from './coupling.js';
import type { SummaryRow } from './entities.js';
import type { HotspotRow } from './hotspots.js';

/**
 * What `GET /api/v1/codebase/analyses/{analysis}` returns in `result`, for the
 * OpenAPI document and the dashboard's generated types. The analyses the
 * dashboard draws have their own schema; the others are rows of the columns
 * `sextant code ANALYSIS --json` prints. routes.test.ts parses real results
 * with these schemas (strictly), and the type checks below tie each schema to
 * the computation's own type.
 */

const exclusion = z.object({ path: z.string(), reason: z.enum(['vendored', 'generated', 'lockfile', 'documentation', 'binary']) });

export const summaryResult = z
  .array(
    z.object({
      statistic: z.enum(['number-of-commits', 'number-of-entities', 'number-of-entities-changed', 'number-of-authors']),
      value: z.number(),
    }),
  )
  .meta({ id: 'CodebaseSummary' });

export const hotspotsResult = z
  .array(
    z.object({
      entity: z.string(),
      nRevs: z.number(),
      lines: z.number(),
      complexityTotal: z.number(),
      complexityMean: z.number(),
      complexityMax: z.number(),
      score: z.number().describe('revisions × lines'),
      trend: z
        .array(z.object({ month: z.string(), revisions: z.number() }))
        .optional()
        .describe('Present for the top hotspots only'),
    }),
  )
  .meta({ id: 'CodebaseHotspots' });

export const couplingResult = z
  .array(z.object({ entity: z.string(), coupled: z.string(), degree: z.number(), averageRevs: z.number(), sharedRevs: z.number() }))
  .meta({ id: 'CodebaseCoupling' });

export const truckFactorResult = z
  .object({
    truckFactor: z.number(),
    developers: z.array(
      z.object({ name: z.string(), authoredFiles: z.number(), soleFiles: z.array(z.string()), coverageAfter: z.number() }),
    ),
    coverage: z.number(),
    files: z.array(z.object({ path: z.string(), authors: z.array(z.string()) })),
    excluded: z.array(exclusion),
  })
  .meta({ id: 'CodebaseTruckFactor' });

export const knowledgeRiskResult = z
  .object({
    asOf: z.string().describe('Calendar date (YYYY-MM-DD)'),
    inactiveDays: z.number(),
    authors: z.array(z.object({ name: z.string(), lastCommit: z.string(), active: z.boolean(), leaving: z.boolean() })),
    files: z.array(z.object({ entity: z.string(), authors: z.array(z.string()), cause: z.enum(['inactive', 'leaving']) })),
    modules: z.array(z.object({ module: z.string(), files: z.number(), inactive: z.number(), leaving: z.number() })),
    excluded: z.array(exclusion),
  })
  .meta({ id: 'CodebaseKnowledgeRisk' });

export const ageResult = z
  .array(z.object({ entity: z.string(), ageMonths: z.number(), lastChange: z.string().describe('Calendar date (YYYY-MM-DD)') }))
  .meta({ id: 'CodebaseAge' });

export const rowsResult = z
  .array(z.record(z.string(), z.union([z.string(), z.number()])))
  .describe('Rows of the columns `sextant code ANALYSIS --json` prints')
  .meta({ id: 'CodebaseRows' });

/** The schema of each analysis' result, by name. */
export const RESULT_SCHEMAS = {
  summary: summaryResult,
  hotspots: hotspotsResult,
  coupling: couplingResult,
  'truck-factor': truckFactorResult,
  'knowledge-risk': knowledgeRiskResult,
  age: ageResult,
} as const;

export const analysisResult = z.union([
  summaryResult,
  hotspotsResult,
  couplingResult,
  truckFactorResult,
  knowledgeRiskResult,
  ageResult,
  rowsResult,
]);

// Compile-time ties: each computation's type is assignable to its schema's, and back.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const typesAgree: [
  Same<z.infer<typeof summaryResult>, SummaryRow[]>,
  Same<z.infer<typeof hotspotsResult>, HotspotRow[]>,
  Same<z.infer<typeof couplingResult>, CouplingRow[]>,
  Same<z.infer<typeof truckFactorResult>, TruckFactorReport>,
  Same<z.infer<typeof knowledgeRiskResult>, KnowledgeRiskReport>,
  Same<z.infer<typeof ageResult>, AgeRow[]>,
] = [true, true, true, true, true, true];
void typesAgree;
