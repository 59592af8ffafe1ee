import type { Kysely } from 'kysely';
import type { Service } from '../org/index.js';
import { getService } from '../org/index.js';
import { NotFoundError, ValidationError, type FieldIssue } from '../shared/errors.js';
import type { Database } from '../store/database.js';
import { lockKeys, retryConflicts } from '../store/serialise.js';
import { appendDeployments } from './append-deployments.js';
import { rebuildService, serviceLock } from './attribution.js';
import type { Deployment } from './model.js';
import { getDeployments, upsertDeployments, type RecordSource } from './store.js';

type Db = Kysely<Database>;

/** Where row `index`'s `field` is in the input: `body.deployments[3].service`, or a CSV file and line. */
export type Locate = (index: number, field: string) => Omit<FieldIssue, 'message'>;

export interface RecordReport {
  received: number;
  created: number;
  updated: number;
  unchanged: number;
}

/**
 * Records a batch of deployments: all of it or nothing. Rows are checked
 * against each other and the store (known service and environment, rollback
 * and fix targets that exist, no id twice); any problem rejects the batch with
 * every issue named by row and field. Sending a deployment again with the same
 * values writes nothing; with new values it replaces the old ones. The
 * changes of every affected service are derived in the same transaction:
 * for new deployments at the end of their series from where each series
 * stood (appendDeployments), otherwise from the whole history.
 */
export async function recordDeployments(
  db: Db,
  deployments: readonly Deployment[],
  source: RecordSource,
  locate: Locate,
): Promise<RecordReport> {
  // One writer at a time per service (PostgreSQL): rebuilding a service's changes from two
  // transactions at once deadlocked. A conflict that remains is retried, then 503.
  return retryConflicts(() =>
    db.transaction().execute(async (tx) => {
      await lockKeys(
        tx,
        deployments.map((d) => serviceLock(d.serviceId)),
      );
      const issues: FieldIssue[] = [];
      const services = await knownServices(
        tx,
        deployments.map((d) => d.serviceId),
      );
      const batchIds = new Map<string, number>();
      const referenced = deployments.flatMap((d) => [...(d.rollbackOf ? [d.rollbackOf] : []), ...d.fixes]);
      const storedTargets = await getDeployments(tx, referenced);
      deployments.forEach((d, i) => {
        const issue = (field: string, message: string) => issues.push({ ...locate(i, field), message });
        const earlier = batchIds.get(d.id);
        if (earlier !== undefined) issue('id', `"${d.id}" is also row ${earlier + 1} of this batch`);
        batchIds.set(d.id, i);
        const service = services.get(d.serviceId);
        if (!service) issue('service', `unknown service "${d.serviceId}"`);
        else if (!service.environments.some((e) => e.name === d.environment)) {
          issue(
            'environment',
            `service "${d.serviceId}" has no environment "${d.environment}" (it has: ${service.environments.map((e) => e.name).join(', ') || 'none'})`,
          );
        }
        const targets: Array<[string, string]> = [
          ...(d.rollbackOf ? [['rollbackOf', d.rollbackOf] as [string, string]] : []),
          ...d.fixes.map((id, j): [string, string] => [`fixes[${j}]`, id]),
        ];
        for (const [field, target] of targets) {
          if (target === d.id) issue(field, 'a deployment cannot roll back or fix itself');
          else if (!storedTargets.has(target) && !deployments.some((other) => other.id === target))
            issue(field, `deployment "${target}" is not recorded`);
        }
      });
      if (issues.length > 0)
        throw new ValidationError(`The batch was not recorded: ${issues.length} problem${issues.length > 1 ? 's' : ''}`, issues);

      const existing = await getDeployments(
        tx,
        deployments.map((d) => d.id),
      );
      const { changed, report } = compare(deployments, existing);
      await upsertDeployments(tx, changed, source, Date.now());
      // A deployment moved to another service leaves its old series to re-derive too.
      const affected = new Set(changed.flatMap((d) => [d.serviceId, existing.get(d.id)?.serviceId ?? d.serviceId]));
      await lockKeys(tx, [...affected].map(serviceLock));
      for (const serviceId of affected) {
        const service = await getService(tx, serviceId);
        // New deployments at the end of their series are attributed from where the series stood; anything else re-derives the service.
        const ofService = changed.filter((d) => d.serviceId === serviceId);
        const appended =
          ofService.length > 0 && ofService.every((d) => !existing.has(d.id)) ? await appendDeployments(tx, service, ofService) : undefined;
        if (appended === undefined) await rebuildService(tx, service);
      }
      return report;
    }),
  );
}

async function knownServices(db: Db, ids: readonly string[]): Promise<Map<string, Service>> {
  const found = new Map<string, Service>();
  for (const id of new Set(ids)) {
    try {
      found.set(id, await getService(db, id));
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
  return found;
}

/** Splits a batch into rows to write (new or changed) and the count of each kind. */
function compare<T extends { id: string }>(incoming: readonly T[], existing: Map<string, T>): { changed: T[]; report: RecordReport } {
  const changed: T[] = [];
  const report = { received: incoming.length, created: 0, updated: 0, unchanged: 0 };
  for (const item of incoming) {
    const before = existing.get(item.id);
    if (!before) report.created++;
    else if (canonical(before) === canonical(item)) {
      report.unchanged++;
      continue;
    } else report.updated++;
    changed.push(item);
  }
  return { changed, report };
}

function canonical(value: object): string {
  return JSON.stringify(value, Object.keys(value).sort());
}
