import { z } from 'zod';

/**
 * What a batch write answers (deployments, incidents): how many records came,
 * and how many were created, updated or already stored as sent. One schema,
 * declared once, so the OpenAPI document has one `RecordReport`.
 */
export const recordReportSchema = z
  .object({ received: z.number(), created: z.number(), updated: z.number(), unchanged: z.number() })
  .meta({ id: 'RecordReport' });
