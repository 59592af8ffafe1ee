import type { FastifyInstance } from 'fastify';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createToken } from '../auth/store.js';
import type { LogLevel } from '../config/settings.js';
import { buildApp } from '../server/app.js';
import type { ResponseCacheOptions } from '../server/response-cache.js';
import type { Store } from '../store/database.js';

const EMPTY_WORKSPACE = fs.mkdtempSync(path.join(os.tmpdir(), 'sextant-test-workspace-'));

/** An in-process app on a test store, for `inject()` tests. No dashboard, no logs. */
export async function buildTestApp(
  store: Store,
  options: {
    readsNeedToken?: boolean;
    bodyLimitBytes?: number;
    publicHosts?: string[];
    workspaceDir?: string;
    repositoryRoots?: string[];
    responseCache?: ResponseCacheOptions;
    logLevel?: LogLevel;
    logStream?: { write(line: string): void };
  } = {},
): Promise<FastifyInstance> {
  return buildApp({
    store,
    readsNeedToken: options.readsNeedToken ?? false,
    bodyLimitBytes: options.bodyLimitBytes ?? 1024 * 1024,
    logLevel: options.logLevel ?? 'silent',
    ...(options.logStream ? { logStream: options.logStream } : {}),
    webRoot: null,
    workspace: { name: 'Test', timezone: 'UTC', mode: 'configured', store: store.location },
    publicHosts: options.publicHosts ?? [],
    // No repository path is allowed unless a test names where: a folder that holds nothing.
    workspaceDir: options.workspaceDir ?? EMPTY_WORKSPACE,
    repositoryRoots: options.repositoryRoots ?? [],
    ...(options.responseCache ? { responseCache: options.responseCache } : {}),
  });
}

export async function bearer(store: Store, name = 'test'): Promise<{ authorization: string }> {
  const { token } = await createToken(store.db, name);
  return { authorization: `Bearer ${token}` };
}
