import { z } from 'zod';
import { deliveryConfig } from '../delivery/delivery-config.js';
import { orgConfig } from '../org/org-config.js';
import { isTimeZone } from '../shared/time-zone.js';

/** An IANA zone name such as `Europe/Berlin`; calendar logic (weeks, months) uses it. */
export const ianaTimeZone = z.string().refine(isTimeZone, { message: 'must be an IANA time zone such as "Europe/Berlin" or "UTC"' });

/**
 * The schema of `sextant.yaml`. Each module contributes its section; unknown
 * top-level keys are rejected so a typo ("servcies") is reported, not ignored.
 */
export const workspaceConfigSchema = z.strictObject({
  version: z.literal(1, { error: 'must be 1 (the only configuration version so far)' }),
  workspace: z
    .strictObject({
      name: z.string().trim().min(1).default('My organisation'),
      timezone: ianaTimeZone.default('UTC'),
    })
    .default({ name: 'My organisation', timezone: 'UTC' }),
  ...orgConfig.shape,
  delivery: deliveryConfig,
});

export type WorkspaceConfig = z.infer<typeof workspaceConfigSchema>;
