import { z } from 'zod';
import { entityId } from '../org/model.js';
import type { PathIssue } from '../org/org-config.js';
import { DEFAULT_TAG_PATTERN } from './model.js';
import { DEFAULT_BASELINE_DAYS } from './ship-changes.js';

const regex = z.string().refine(
  (pattern) => {
    try {
      new RegExp(pattern);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be a regular expression' },
);

/**
 * The `delivery:` section of sextant.yaml. Services deployed by release tags
 * list their tag pattern here; services deployed by CI post their deployments
 * to the API instead.
 *
 *   delivery:
 *     baselineDays: 30
 *     tagDeployments:
 *       - service: cart
 *         tags: '^cart/v\d+\.\d+\.\d+$'
 */
export const deliveryConfig = z
  .strictObject({
    baselineDays: z.number().min(0).default(DEFAULT_BASELINE_DAYS).describe("A series' first deployment ships only commits this recent"),
    tagDeployments: z
      .array(
        z.strictObject({
          service: entityId,
          tags: regex.default(DEFAULT_TAG_PATTERN),
          environment: z.string().trim().min(1).default('production'),
        }),
      )
      .default([]),
  })
  .default({ baselineDays: DEFAULT_BASELINE_DAYS, tagDeployments: [] });

export type DeliveryConfig = z.infer<typeof deliveryConfig>;

/** Every tag rule names a service the configuration defines (checked with the file's other references). */
export function checkDeliveryReferences(config: { services: ReadonlyArray<{ id: string }>; delivery: DeliveryConfig }): PathIssue[] {
  const serviceIds = new Set(config.services.map((s) => s.id));
  return config.delivery.tagDeployments.flatMap((rule, i) =>
    serviceIds.has(rule.service)
      ? []
      : [{ path: ['delivery', 'tagDeployments', i, 'service'], message: `unknown service "${rule.service}"` }],
  );
}
