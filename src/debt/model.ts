import { z } from 'zod';
import { entityId } from '../org/index.js';

export const DAY_MS = 86_400_000;

// --- Work items: the unit of capacity ------------------------------------------------------------

/** Where a work item's fields come from; a tracker's own id stays the id. */
export const WORK_SOURCES = ['csv', 'jira', 'github', 'gitlab', 'api', 'demo'] as const;
export type WorkSource = (typeof WORK_SOURCES)[number];

/** A piece of work as the tracker holds it. Instants are epoch ms; Sextant reads work, it does not manage it. */
export interface WorkItem {
  /** The tracker's id (Jira key `PAY-12`, GitHub `owner/repo#12`, GitLab `group/project#12`). */
  id: string;
  team: string;
  title: string;
  /** Lower-case tracker type: feature, story, epic, bug, task, chore, spike, ... */
  type: string;
  labels: string[];
  /** Normalised state. */
  state: WorkState;
  created: number;
  started: number | null;
  completed: number | null;
  points: number | null;
  parent: string | null;
  /** Sprint or iteration name from the tracker; null = placed by the workspace cadence. */
  sprint: string | null;
  /** PR and commit URLs, `service:<id>`, `debt:<id>` (links the item to a register entry). */
  links: string[];
  source: WorkSource;
}

export const WORK_STATES = ['todo', 'in-progress', 'done', 'cancelled'] as const;
export type WorkState = (typeof WORK_STATES)[number];

const instant = z.iso.datetime({ offset: true }).transform((v) => Date.parse(v));

/** One item of `POST /api/v1/work/items`: the same fields, instants as ISO 8601. */
export const workItemInput = z.strictObject({
  id: z.string().trim().min(1).max(200),
  team: entityId,
  title: z.string().trim().min(1).max(1000),
  type: z
    .string()
    .trim()
    .min(1)
    .max(60)
    .transform((v) => v.toLowerCase()),
  labels: z.array(z.string().trim().min(1).max(200)).max(100).default([]),
  state: z.enum(WORK_STATES),
  created: instant,
  started: instant.nullable().default(null),
  completed: instant.nullable().default(null),
  points: z.number().min(0).nullable().default(null),
  parent: z.string().trim().min(1).max(200).nullable().default(null),
  sprint: z.string().trim().min(1).max(200).nullable().default(null),
  links: z.array(z.string().trim().min(1).max(2000)).max(100).default([]),
});
export const MAX_WORK_BATCH = 5000;
export const workItemBatch = z.strictObject({ items: z.array(workItemInput).min(1).max(MAX_WORK_BATCH) });

// --- Balance categories and rules ------------------------------------------------------------------

/** Swarmia's Balance framework: new things, improving what exists, keeping the lights on, and debt (the budgeted part). */
export const BALANCE_CATEGORIES = ['new', 'improve', 'ktlo', 'debt'] as const;
export type BalanceCategory = (typeof BALANCE_CATEGORIES)[number];

const names = z.array(z.string().trim().min(1)).min(1);

/**
 * One rule of `debt.rules`: the category and the conditions (all given ones must
 * hold; a list matches any of its values). `inherit: parent` is the children-inherit step:
 * an item whose parent is known takes the parent's category.
 */
export const categoryRule = z.union([
  z.strictObject({ inherit: z.literal('parent') }),
  z.strictObject({
    category: z.enum(BALANCE_CATEGORIES),
    type: names.optional(),
    label: names.optional(),
    titlePrefix: names.optional(),
    team: z.array(entityId).min(1).optional(),
    parent: names.optional(),
    linkedToDebt: z.boolean().optional(),
  }),
]);
export type CategoryRule = z.infer<typeof categoryRule>;

/** Stated defaults (docs/metrics/debt.md): the first matching rule wins; the last matches everything. */
export const DEFAULT_RULES: CategoryRule[] = [
  { category: 'debt', label: ['tech-debt'] },
  { category: 'debt', linkedToDebt: true },
  { inherit: 'parent' },
  { category: 'new', type: ['feature', 'epic', 'story'] },
  { category: 'ktlo', type: ['bug', 'incident', 'chore', 'remediation'] },
  { category: 'improve' },
];

export const EFFORT_MEASURES = ['count', 'points', 'cycle-time'] as const;
export type EffortMeasure = (typeof EFFORT_MEASURES)[number];

export const DEFAULT_TARGET = 0.2;
export const DEFAULT_WEIGHTS = { interest: 1, risk: 1, change: 1, principal: 1 };
export type ScoreWeights = typeof DEFAULT_WEIGHTS;

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), 'is not a calendar date');
const share = z.number().min(0).max(1);

/**
 * The `debt:` section of sextant.yaml. Everything has a default; the whole
 * section may be left out.
 */
export const debtConfig = z
  .strictObject({
    target: share.default(DEFAULT_TARGET).describe('Share of each sprint budgeted for debt (0-1)'),
    targets: z.record(entityId, share).default({}).describe('Per-team targets overriding `target`'),
    effort: z.enum(EFFORT_MEASURES).default('count').describe('Effort per item: completed count, points or cycle time'),
    cadence: z
      .strictObject({
        days: z.number().int().positive('must be at least 1 day'),
        start: isoDay,
      })
      .optional()
      .describe('Sprints for items the tracker gives none: length in days and the first start date (UTC)'),
    wipLimits: z.record(entityId, z.number().int().positive()).default({}).describe('Items in progress per team before it is flagged'),
    rules: z.array(categoryRule).default(DEFAULT_RULES).describe('Category rules; the first match wins'),
    weights: z
      .strictObject({
        interest: z.number().min(0).default(1),
        risk: z.number().min(0).default(1),
        change: z.number().min(0).default(1),
        principal: z.number().min(0).default(1),
      })
      .default(DEFAULT_WEIGHTS),
  })
  .default({ target: DEFAULT_TARGET, targets: {}, effort: 'count', wipLimits: {}, rules: DEFAULT_RULES, weights: DEFAULT_WEIGHTS });
export type DebtConfig = z.infer<typeof debtConfig>;
export type DebtSection = { debt: DebtConfig };

export const DEFAULT_DEBT_CONFIG: DebtConfig = debtConfig.parse(undefined);

// --- The debt register -------------------------------------------------------------------------------

export const DEBT_STATUSES = ['candidate', 'accepted', 'in-progress', 'paid', 'wont-fix'] as const;
export type DebtStatus = (typeof DEBT_STATUSES)[number];
export const DEBT_KINDS = ['code', 'architecture', 'infrastructure', 'knowledge'] as const;
export const FOWLER_QUADRANTS = ['reckless-deliberate', 'prudent-deliberate', 'reckless-inadvertent', 'prudent-inadvertent'] as const;

export interface DebtLocation {
  repository: string | null;
  /** Files or folders inside the repository (a folder covers everything under it). */
  paths: string[];
  service: string | null;
}

export interface DebtItem {
  id: string;
  title: string;
  /** code, architecture, infrastructure, knowledge, or the user's own. */
  category: string;
  quadrant: (typeof FOWLER_QUADRANTS)[number] | null;
  location: DebtLocation;
  team: string | null;
  status: DebtStatus;
  /** Business impact in words: "reduces outage risk on payments". */
  impact: string;
  /** Estimated principal: days of effort to pay it back. */
  principalDays: number | null;
  /** The candidate it was accepted from. */
  candidateKey: string | null;
  created: number;
  updated: number;
}

export const debtItemInput = z.strictObject({
  id: entityId.optional().describe('Default: a slug of the title'),
  title: z.string().trim().min(1).max(300),
  category: z.string().trim().min(1).max(60).default('code'),
  quadrant: z.enum(FOWLER_QUADRANTS).nullable().default(null),
  repository: entityId.nullable().default(null),
  paths: z.array(z.string().trim().min(1).max(1000)).max(100).default([]),
  service: entityId.nullable().default(null),
  team: entityId.nullable().default(null),
  status: z.enum(DEBT_STATUSES).default('accepted'),
  impact: z.string().trim().max(2000).default(''),
  principalDays: z.number().min(0).nullable().default(null),
});
export type DebtItemInput = z.infer<typeof debtItemInput>;

// --- API responses (the dashboard's types are generated from these: npm run gen:api) -----------------

/** Instants leave the API as ISO 8601 strings. */
const isoInstant = z.string().describe('ISO 8601 instant');
const efforts = z.object({ new: z.number(), improve: z.number(), ktlo: z.number(), debt: z.number() }).meta({ id: 'DebtEfforts' });

export const workItemSchema = z
  .object({
    id: z.string(),
    team: z.string(),
    title: z.string(),
    type: z.string(),
    labels: z.array(z.string()),
    state: z.enum(WORK_STATES),
    created: isoInstant,
    started: isoInstant.nullable(),
    completed: isoInstant.nullable(),
    points: z.number().nullable(),
    parent: z.string().nullable(),
    sprint: z.string().nullable(),
    links: z.array(z.string()),
    source: z.enum(WORK_SOURCES),
    category: z
      .object({
        category: z.enum(BALANCE_CATEGORIES),
        rule: z.number().describe('1-based index into the rules'),
        because: z.string().describe('The rule in words: `#1 label tech-debt`, `#3 inherited from PAY-1`'),
      })
      .optional()
      .describe("With `sprint`: the item's category and the rule that gave it"),
  })
  .meta({ id: 'WorkItem' });

export const capacityReportSchema = z
  .object({
    effort: z.enum(EFFORT_MEASURES),
    cadence: z.object({ days: z.number(), start: z.string().describe('YYYY-MM-DD') }),
    teams: z.array(
      z
        .object({
          team: z.string(),
          target: z.number(),
          sprints: z.array(
            z.object({
              sprint: z.string().describe("The tracker's sprint name, or the cadence sprint's start date (YYYY-MM-DD)"),
              start: isoInstant,
              end: isoInstant,
              items: z.number(),
              effort: efforts,
              total: z.number(),
              shares: efforts.nullable(),
              debtShare: z.number().nullable(),
              target: z.number(),
              below: z.boolean(),
              streak: z.number().describe('Consecutive sprints below target ending with this one'),
              unmeasured: z.number().describe('Items that added no effort under the measure (no points, never started)'),
            }),
          ),
          streak: z.number().describe("The streak at the team's latest sprint"),
          wip: z.object({ count: z.number(), limit: z.number().nullable(), over: z.boolean() }),
        })
        .meta({ id: 'DebtTeamCapacity' }),
    ),
  })
  .meta({ id: 'DebtCapacityReport' });

export const weeklyDebtPointSchema = z
  .object({
    team: z.string(),
    week: z.string().describe('The Monday starting the week, YYYY-MM-DD'),
    debtShare: z.number().nullable(),
    wip: z.number(),
  })
  .meta({ id: 'DebtWeeklyPoint' });

const location = {
  repository: z.string().nullable(),
  paths: z.array(z.string()),
  service: z.string().nullable(),
};
const quadrant = z.enum(FOWLER_QUADRANTS).nullable();

/**
 * A register item in JSON, the one shape every debt route answers with (the
 * ranked register adds rank, score, terms and evidence): location flattened
 * into repository, paths and service; instants as ISO 8601 strings.
 */
const debtItemFields = {
  id: z.string(),
  title: z.string(),
  category: z.string(),
  quadrant,
  team: z.string().nullable(),
  status: z.enum(DEBT_STATUSES),
  impact: z.string(),
  principalDays: z.number().nullable(),
  candidateKey: z.string().nullable(),
  ...location,
  created: isoInstant,
  updated: isoInstant,
};

export const debtItemSchema = z.object(debtItemFields).meta({ id: 'DebtItem' });

export const addedDebtItemSchema = z
  .object({ item: debtItemSchema, warnings: z.array(z.string()).describe('Paths of the item missing from the repository') })
  .meta({ id: 'AddedDebtItem' });

export const debtEvidenceSchema = z
  .object({
    revisions90: z.number().nullable(),
    hotspotRank: z.number().nullable(),
    hotspotCount: z.number().nullable(),
    hotspotFile: z.string().nullable(),
    knowledgeRisk: z.number().nullable(),
    soleAuthorShare: z.number().nullable(),
    leadTimeP50Hours: z.number().nullable(),
    leadTimeMedianHours: z.number().nullable(),
    changeFailureRate: z.number().nullable(),
    changeFailureRateMedian: z.number().nullable(),
    incidents90: z.number().nullable(),
    budgetConsumed: z.number().nullable(),
    warnings: z.array(z.string()),
  })
  .meta({ id: 'DebtEvidence' });

export const scoreTermsSchema = z
  .object({
    change: z.number(),
    interest: z.number(),
    interestParts: z.object({ incidents: z.number(), budget: z.number(), leadTimeExcess: z.number(), changeFailureExcess: z.number() }),
    risk: z.number(),
    riskParts: z.object({ knowledge: z.number(), soleAuthor: z.number(), hotspot: z.number() }),
    principalDays: z.number(),
    principalEstimated: z.boolean(),
    costOfDelay: z.number(),
    score: z.number(),
  })
  .meta({ id: 'DebtScoreTerms' });

export const scoredDebtItemSchema = z
  .object({
    rank: z.number(),
    ...debtItemFields,
    score: z.number(),
    terms: scoreTermsSchema,
    evidence: debtEvidenceSchema,
  })
  .meta({ id: 'ScoredDebtItem' });

export const CANDIDATE_KINDS = ['hotspot', 'knowledge', 'lead-time', 'change-failure', 'slo-budget'] as const;

export const debtCandidateSchema = z
  .object({
    key: z.string(),
    kind: z.enum(CANDIDATE_KINDS),
    category: z.string(),
    title: z.string(),
    location: z.object(location),
    team: z.string().nullable(),
    evidence: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))
      .describe('What the candidate rests on, in numbers'),
    impact: z.string().describe('A proposed business-impact statement to edit'),
    ...location,
  })
  .meta({ id: 'DebtCandidate' });

export const unpaged = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.null() });
