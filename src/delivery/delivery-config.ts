import { z } from 'zod';
import { entityId, environmentName } from '../org/index.js';
import type { CheckContext, PathIssue } from '../kit/config.js';
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
          environment: environmentName.default('production'),
        }),
      )
      .default([]),
  })
  .default({ baselineDays: DEFAULT_BASELINE_DAYS, tagDeployments: [] });

export type DeliveryConfig = z.infer<typeof deliveryConfig>;

/** Delivery's part of sextant.yaml: the `delivery:` key. */
export type DeliverySection = { delivery: DeliveryConfig };

/** Every tag rule names a service the configuration defines (checked with the file's other references). */
export function checkDeliveryReferences(config: DeliverySection, { known }: CheckContext): PathIssue[] {
  const serviceIds = known.services;
  return config.delivery.tagDeployments.flatMap((rule, i) =>
    serviceIds.has(rule.service)
      ? []
      : [{ path: ['delivery', 'tagDeployments', i, 'service'], message: `unknown service "${rule.service}"` }],
  );
}

/** Delivery's lines in `sextant init`'s template. */
export function deliveryTemplate(): string {
  return `# Delivery (DORA). Services deployed by CI post their deployments to the API
# (\`POST /api/v1/deployments\`, \`sextant deploy record\`); services released by git
# tags list their tag pattern here, and \`sextant sync\` turns matching tags into
# production deployments.
delivery:
  # A series' first deployment ships only commits this many days old or newer.
  baselineDays: ${DEFAULT_BASELINE_DAYS}
  tagDeployments: []
  #  - service: app
  #    tags: '^v\\d+\\.\\d+\\.\\d+$'
  #    environment: production
`;
}
