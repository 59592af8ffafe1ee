import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { createToken } from '../auth/store.js';
import type { DialectName, Store } from '../store/database.js';
import { migrateModules } from '../workspace/workspace.js';
import { runCli, startCliServer } from './cli.js';
import type { ServeTarget } from './serve-targets.js';

/**
 * One round of issue 9's SIGKILL consistency check against a real
 * `sextant serve`: concurrent writers send service PUTs (a service and its
 * environments in one transaction) and deployment batches (all or nothing,
 * each re-deriving the changes of the shared services it touches), the
 * process is killed mid-stream, and the store is then checked: every
 * acknowledged write present, no partial one, SQLite's integrity and
 * foreign-key checks clean, and the server starts again on it.
 */
export interface CrashRoundOptions {
  writers: number;
  /** The kill comes once this many writes were acknowledged. */
  acknowledgedBeforeKill: number;
}

export interface CrashRoundResult {
  dialect: DialectName;
  requests: number;
  /** Responses by HTTP status; `'no response'` counts requests cut by the kill. */
  statuses: Record<string, number>;
  acknowledged: { services: number; deploymentBatches: number };
  stored: { services: number; deployments: number };
  /** Inconsistencies found after the kill; empty when the round is consistent. */
  problems: string[];
  /** A few bodies of 5xx responses, to say why. */
  serverErrors: string[];
  seconds: number;
}

export const ENVIRONMENTS_PER_SERVICE = 6;
export const DEPLOYMENTS_PER_BATCH = 4;
/** Every batch deploys to both, so batches contend for the same per-service series. */
const SHARED_SERVICES = ['shared-a', 'shared-b'];
const SERVER_ERRORS_KEPT = 5;
/** A round whose writes are refused (or a server that stopped) ends here instead of hanging. */
const WRITE_DEADLINE_MS = 60_000;

export async function runCrashRound(target: ServeTarget, options: CrashRoundOptions): Promise<CrashRoundResult> {
  const started = performance.now();
  const token = await seed(await target.open());
  const server = await startCliServer(target.args);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const api = (method: string, path: string, body: unknown) =>
    fetch(`${server.baseUrl}${path}`, { method, headers, body: JSON.stringify(body) });
  for (const id of SHARED_SERVICES) {
    const response = await api('PUT', `/api/v1/org/services/${id}`, { name: id, team: 'core', environments: ['production', 'staging'] });
    if (response.status !== 200) throw new Error(`seeding ${id} answered ${response.status}: ${await response.text()}`);
  }

  const statuses: Record<string, number> = {};
  const serverErrors: string[] = [];
  const acknowledgedServices: string[] = [];
  const acknowledgedBatches: string[] = [];
  let requests = 0;
  let killed = false;
  const send = async (method: string, path: string, body: unknown): Promise<boolean> => {
    requests++;
    try {
      const response = await api(method, path, body);
      const text = await response.text();
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      if (response.status >= 500 && serverErrors.length < SERVER_ERRORS_KEPT)
        serverErrors.push(`${method} ${path} ${response.status}: ${text}`);
      return response.ok;
    } catch {
      // The connection dies with the process.
      statuses['no response'] = (statuses['no response'] ?? 0) + 1;
      return false;
    }
  };
  const writer = async (w: number) => {
    for (let n = 0; !killed; n++) {
      if (n % 2 === 0) {
        const id = `svc-${w}-${n}`;
        const environments = Array.from({ length: ENVIRONMENTS_PER_SERVICE }, (_, i) => `env-${i}`);
        if (await send('PUT', `/api/v1/org/services/${id}`, { name: id, team: 'core', environments })) acknowledgedServices.push(id);
      } else {
        const batch = `w${w}-b${n}`;
        // Odd writers list the services in the other order: locks must not depend on it.
        const services = w % 2 === 0 ? SHARED_SERVICES : [...SHARED_SERVICES].reverse();
        const deployments = Array.from({ length: DEPLOYMENTS_PER_BATCH }, (_, i) => ({
          id: `${batch}-d${i}`,
          service: services[i % services.length],
          environment: 'production',
          finishedAt: new Date(Date.UTC(2026, 0, 1) + (w * 100_000 + n * 10 + i) * 1000).toISOString(),
        }));
        if (await send('POST', '/api/v1/deployments', { deployments })) acknowledgedBatches.push(batch);
      }
    }
  };
  const writers = Array.from({ length: options.writers }, (_, w) => writer(w));
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  const acknowledged = () => acknowledgedServices.length + acknowledgedBatches.length;
  const deadline = Date.now() + WRITE_DEADLINE_MS;
  while (acknowledged() < options.acknowledgedBeforeKill && server.child.exitCode === null && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const shortOfTarget = acknowledged() < options.acknowledgedBeforeKill;
  server.child.kill('SIGKILL');
  killed = true;
  await exited;
  await Promise.all(writers);

  const store = await target.open();
  const problems: string[] = [];
  if (shortOfTarget) problems.push(`only ${acknowledged()} of ${options.acknowledgedBeforeKill} writes were acknowledged before the kill`);
  let stored: CrashRoundResult['stored'];
  try {
    const checked = await checkStore(store, acknowledgedServices, acknowledgedBatches);
    problems.push(...checked.problems);
    stored = checked.stored;
  } finally {
    await store.close();
  }
  const again = runCli(['org', 'list', '--json', ...target.args]);
  if (again.status !== 0) problems.push(`the server's store does not open again: ${again.stderr}`);
  else {
    const listed = (JSON.parse(again.stdout) as { services: unknown[] }).services.length;
    if (listed !== stored.services) problems.push(`org list shows ${listed} services, the store holds ${stored.services}`);
  }
  return {
    dialect: target.dialect,
    requests,
    statuses,
    acknowledged: { services: acknowledgedServices.length, deploymentBatches: acknowledgedBatches.length },
    stored,
    problems,
    serverErrors,
    seconds: (performance.now() - started) / 1000,
  };
}

/** Migrates the store and adds a write token and the team services belong to; closes the store. */
async function seed(store: Store): Promise<string> {
  try {
    await migrateModules(store);
    const { token } = await createToken(store.db, 'crash-round');
    await store.db
      .insertInto('teams')
      .values({ id: 'core', name: 'Core', parent_id: null, description: null, source: 'api', created_at: 0, updated_at: 0 })
      .execute();
    return token;
  } finally {
    await store.close();
  }
}

async function checkStore(
  store: Store,
  acknowledgedServices: readonly string[],
  acknowledgedBatches: readonly string[],
): Promise<{ problems: string[]; stored: CrashRoundResult['stored'] }> {
  const problems: string[] = [];
  if (store.dialect === 'sqlite') {
    // Opening the file has recovered the WAL the kill left behind.
    const integrity = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(store.db);
    const verdict = integrity.rows.map((row) => row.integrity_check).join('; ');
    if (verdict !== 'ok') problems.push(`integrity_check: ${verdict}`);
    const foreignKeys = await sql<Record<string, unknown>>`pragma foreign_key_check`.execute(store.db);
    for (const row of foreignKeys.rows) problems.push(`foreign_key_check: ${JSON.stringify(row)}`);
  }

  const services = await store.db
    .selectFrom('services as s')
    .leftJoin('service_environments as e', 'e.service_id', 's.id')
    .select(['s.id', (eb) => eb.fn.count<number | string>('e.name').as('environments')])
    .groupBy('s.id')
    .execute();
  const storedServices = new Set(services.map((row) => row.id));
  for (const row of services) {
    if (SHARED_SERVICES.includes(row.id)) continue;
    if (Number(row.environments) !== ENVIRONMENTS_PER_SERVICE)
      problems.push(`service ${row.id} is partial: ${row.environments} environments`);
  }
  for (const id of acknowledgedServices) if (!storedServices.has(id)) problems.push(`acknowledged service ${id} is missing`);

  const deployments = await store.db.selectFrom('delivery_deployments').select('id').execute();
  const perBatch = new Map<string, number>();
  for (const { id } of deployments) {
    const batch = id.replace(/-d\d+$/, '');
    perBatch.set(batch, (perBatch.get(batch) ?? 0) + 1);
  }
  for (const [batch, count] of perBatch) {
    if (count !== DEPLOYMENTS_PER_BATCH) problems.push(`deployment batch ${batch} is partial: ${count} of ${DEPLOYMENTS_PER_BATCH}`);
  }
  for (const batch of acknowledgedBatches) if (!perBatch.has(batch)) problems.push(`acknowledged deployment batch ${batch} is missing`);

  return { problems, stored: { services: storedServices.size, deployments: deployments.length } };
}
