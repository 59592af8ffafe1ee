import { z } from 'zod';
import type { FieldIssue } from '../../shared/errors.js';
import { parseAt } from '../../shared/parse-yaml-schema.js';
import type { YamlObject } from '../../shared/yaml-documents.js';
import { DEFAULT_MIN_EVENTS, roundFactor, workbookConditions } from '../alert-conditions.js';
import { nominalMs, parseDuration, type Duration } from '../duration.js';
import type { BurnRateCondition, SloAlerting } from '../model.js';
import type { Catalog } from './catalog.js';

/**
 * Sloth's `AlertWindows` (apiVersion sloth.slok.dev/v1): the multiwindow
 * alert windows for one SLO period, which Sloth reads from
 * `--slo-period-windows-path` to support periods other than its built-in 28
 * and 30 days. Each of page/ticket × quick/slow names the share of the error
 * budget (percent) and the short and long windows; the burn-rate factor is
 * that share of the period over the long window (Sloth's getBurnRateFactor).
 * A Sloth spec whose period has windows here uses them; otherwise the SRE
 * Workbook's tiers scaled to the period (Sloth's built-in windows for 28 and
 * 30 days are those).
 */
const duration = z.string().transform((text, ctx) => {
  const parsed = parseDuration(text);
  if ('error' in parsed) {
    ctx.addIssue({ code: 'custom', message: parsed.error });
    return z.NEVER;
  }
  return nominalMs(parsed);
});

const window = z
  .strictObject({
    errorBudgetPercent: z.number().gt(0, 'must be a percentage above 0').max(100, 'must be at most 100'),
    shortWindow: duration,
    longWindow: duration,
  })
  .refine((w) => w.shortWindow < w.longWindow, { message: 'shortWindow must be shorter than longWindow', path: ['shortWindow'] });

const severity = z.strictObject({ quick: window, slow: window });

export const alertWindowsSchema = z.strictObject({
  apiVersion: z.literal('sloth.slok.dev/v1'),
  kind: z.literal('AlertWindows'),
  spec: z.strictObject({ sloPeriod: duration, page: severity, ticket: severity }),
});

/** Alert windows by the period they are for (nominal milliseconds). */
export type AlertWindowSets = Map<number, { conditions: BurnRateCondition[]; file: string }>;

/** Reads one AlertWindows object into `windows`; a second set for the same period is an error naming both files. */
export function addAlertWindows(object: YamlObject, windows: AlertWindowSets, issues: FieldIssue[]): void {
  const parsed = parseAt(alertWindowsSchema, object, object.value, [], issues);
  if (!parsed) return;
  const { sloPeriod, page, ticket } = parsed.spec;
  const earlier = windows.get(sloPeriod);
  if (earlier) {
    issues.push(object.issue(['spec', 'sloPeriod'], `a second AlertWindows for this period (the first is in ${earlier.file})`));
    return;
  }
  const hours = sloPeriod / 3_600_000;
  const condition = (tier: string, w: z.infer<typeof window>): BurnRateCondition => ({
    tier,
    longWindowMs: w.longWindow,
    shortWindowMs: w.shortWindow,
    factor: roundFactor(((w.errorBudgetPercent / 100) * hours) / (w.longWindow / 3_600_000)),
    budgetShare: w.errorBudgetPercent / 100,
    forMs: 0,
  });
  windows.set(sloPeriod, {
    file: object.file,
    conditions: [
      condition('page', page.quick),
      condition('page', page.slow),
      condition('ticket', ticket.quick),
      condition('ticket', ticket.slow),
    ],
  });
}

/** A Sloth spec's alerting: the AlertWindows given for its period, else the Workbook's tiers scaled to it. */
export function slothAlerting(catalog: Pick<Catalog, 'alertWindows'>, period: Duration): SloAlerting {
  const given = catalog.alertWindows.get(nominalMs(period));
  return given
    ? { conditions: given.conditions, source: 'alert-windows', minEvents: DEFAULT_MIN_EVENTS }
    : { conditions: workbookConditions(nominalMs(period)), source: 'workbook', minEvents: DEFAULT_MIN_EVENTS };
}
