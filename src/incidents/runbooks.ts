import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import { ConflictError, ValidationError, type FieldIssue } from '../shared/errors.js';
import { runbookStale, type Runbook, type RunbookInput } from './model.js';
import { loadRunbook, upsertRunbook } from './store.js';

type Db = Kysely<Database>;

/** How the caller's surface names each input: `body.url` over HTTP, `--url` on the CLI. */
export interface RunbookFieldNames {
  service: string;
  url: string;
  lastReviewed: string;
}

/**
 * Sets a service's runbook through the API or CLI (the row becomes
 * API-managed). Refused, writing nothing: an unknown service, a review day
 * after today (UTC, as of `now`), and a runbook that sextant.yaml defines
 * (409: the next `sextant sync` would undo the edit).
 */
export async function setRunbook(
  db: Db,
  serviceId: string,
  input: RunbookInput,
  now: number,
  fields: RunbookFieldNames,
): Promise<Runbook & { stale: boolean }> {
  const today = new Date(now).toISOString().slice(0, 10);
  const issues: FieldIssue[] = [];
  if (input.lastReviewed > today)
    issues.push({ field: fields.lastReviewed, message: `"${input.lastReviewed}" is in the future (today is ${today} UTC)` });
  return db.transaction().execute(async (tx) => {
    const service = await tx.selectFrom('services').select('id').where('id', '=', serviceId).executeTakeFirst();
    if (!service) issues.unshift({ field: fields.service, message: `unknown service "${serviceId}"` });
    if (issues.length > 0) throw new ValidationError('Invalid runbook', issues);
    const existing = await loadRunbook(tx, serviceId);
    if (existing?.source === 'config')
      throw new ConflictError(
        `The runbook of service "${serviceId}" is defined in sextant.yaml (incidents.runbooks); change it there and run \`sextant sync\``,
      );
    const runbook: Runbook = { serviceId, url: input.url, lastReviewedAt: Date.parse(`${input.lastReviewed}T00:00:00Z`), source: 'api' };
    await upsertRunbook(tx, runbook);
    return { ...runbook, stale: runbookStale(runbook, now) };
  });
}

/** A runbook in JSON: lastReviewedAt as an ISO 8601 instant. */
export function runbookJson(r: Runbook & { stale: boolean }) {
  return {
    serviceId: r.serviceId,
    url: r.url,
    lastReviewedAt: r.lastReviewedAt === null ? null : new Date(r.lastReviewedAt).toISOString(),
    source: r.source,
    stale: r.stale,
  };
}
