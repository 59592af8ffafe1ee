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
