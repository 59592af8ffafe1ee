import type { FastifyInstance } from 'fastify';
import { createToken } from '../auth/store.js';
import { buildApp } from '../server/app.js';
import type { Store } from '../store/database.js';

/** An in-process app on a test store, for `inject()` tests. No dashboard, no logs. */
export async function buildTestApp(
  store: Store,
  options: { readsNeedToken?: boolean; bodyLimitBytes?: number; publicHosts?: string[] } = {},
): Promise<FastifyInstance> {
  return buildApp({
    store,
    readsNeedToken: options.readsNeedToken ?? false,
    bodyLimitBytes: options.bodyLimitBytes ?? 1024 * 1024,
    logLevel: 'silent',
    webRoot: null,
    workspace: { name: 'Test', timezone: 'UTC', mode: 'configured', store: store.location },
    publicHosts: options.publicHosts ?? [],
  });
}

export async function bearer(store: Store, name = 'test'): Promise<{ authorization: string }> {
  const { token } = await createToken(store.db, name);
  return { authorization: `Bearer ${token}` };
}
