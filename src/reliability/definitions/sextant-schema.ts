import { z } from 'zod';

/**
 * Sextant's own kinds, written beside OpenSLO objects with
 * `apiVersion: sextant/v1`: the error-budget policy (what happens when a
 * budget runs low) and declared maintenance windows (minutes that count
 * neither for nor against a budget). See docs/metrics/reliability.md.
 */

const fraction = (what: string) => z.number().min(0, `${what} must be at least 0`);

export const policyRuleSchema = z
  .strictObject({
    name: z.string().min(1),
    description: z.string().optional(),
    when: z.strictObject({
      budgetRemainingAtMost: z.number().max(1, 'a remaining budget is at most 1 (untouched)').optional(),
      alertFiring: z.string().min(1).optional(),
      incidentBudgetConsumedAbove: fraction('incidentBudgetConsumedAbove').optional(),
    }),
    action: z.enum(['freeze', 'warn', 'requirePostmortem']),
    exceptLabels: z.array(z.string().min(1)).default([]),
  })
  .superRefine((rule, ctx) => {
    const conditions = Object.values(rule.when).filter((v) => v !== undefined).length;
    if (conditions !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['when'],
        message: 'needs exactly one of budgetRemainingAtMost, alertFiring, incidentBudgetConsumedAbove',
      });
    }
    if (rule.action === 'requirePostmortem' && rule.when.incidentBudgetConsumedAbove === undefined) {
      ctx.addIssue({ code: 'custom', path: ['action'], message: 'requirePostmortem goes with when.incidentBudgetConsumedAbove' });
    }
    if (rule.when.incidentBudgetConsumedAbove !== undefined && rule.action !== 'requirePostmortem') {
      ctx.addIssue({ code: 'custom', path: ['action'], message: 'an incident condition takes the action requirePostmortem' });
    }
  });

export const errorBudgetPolicySpecSchema = z.strictObject({
  description: z.string().optional(),
  service: z.string().min(1).optional(),
  rules: z.array(policyRuleSchema).min(1, 'needs at least one rule'),
});

const instant = z.union([z.string(), z.date()]);

export const maintenanceWindowSpecSchema = z.strictObject({
  description: z.string().optional(),
  service: z.string().min(1),
  slos: z.array(z.string().min(1)).default([]),
  start: instant,
  end: instant,
});

export type ErrorBudgetPolicySpec = z.infer<typeof errorBudgetPolicySpecSchema>;
export type MaintenanceWindowSpec = z.infer<typeof maintenanceWindowSpecSchema>;
