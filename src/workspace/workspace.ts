import fs from 'node:fs';
import path from 'node:path';
import type { Settings } from '../config/settings.js';
import { loadWorkspaceConfig } from '../config/workspace-file.js';
import type { WorkspaceConfig } from '../config/workspace-config.js';
import { DEFAULT_DEMO_OPTIONS, type DemoOptions } from '../demo/demo-org.js';
import { loadDemoWorkspace } from '../demo/load-demo.js';
import { orgFromConfig } from '../org/org-config.js';
import { replaceOrg } from '../org/store.js';
import { openStore, type Store } from '../store/database.js';
import { migrateToLatest, type MigrationReport } from '../store/migrate.js';

/** What the server and dashboard say about the workspace they show. */
export interface WorkspaceInfo {
  name: string;
  timezone: string;
  /** configured: from sextant.yaml; demo: generated; empty: no configuration yet. */
  mode: 'configured' | 'demo' | 'empty';
  store: string;
}

export interface OpenedWorkspace {
  store: Store;
  info: WorkspaceInfo;
  migrations: MigrationReport;
}

/** Opens the workspace's store (SQLite under .sextant/ or PostgreSQL) and migrates it. */
export async function openWorkspaceStore(
  settings: Settings,
  sqliteFile = settings.sqlitePath,
): Promise<{ store: Store; migrations: MigrationReport }> {
  const store = await openStore(
    settings.databaseUrl ? { kind: 'postgres', url: settings.databaseUrl } : { kind: 'sqlite', path: sqliteFile },
  );
  try {
    return { store, migrations: await migrateToLatest(store) };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/**
 * Opens the workspace for serving or syncing. The configuration is validated
 * completely before the store is touched, so an invalid sextant.yaml changes
 * nothing and the server does not start on half of it.
 */
export async function openConfiguredWorkspace(settings: Settings): Promise<OpenedWorkspace> {
  const config = fs.existsSync(settings.configFile) ? loadWorkspaceConfig(settings.configFile) : undefined;
  const { store, migrations } = await openWorkspaceStore(settings);
  try {
    if (config) await applyWorkspaceConfig(store, config);
    return { store, migrations, info: describeWorkspace(settings, store, config) };
  } catch (error) {
    await store.close();
    throw error;
  }
}

export async function applyWorkspaceConfig(store: Store, config: WorkspaceConfig) {
  return replaceOrg(store.db, orgFromConfig(config), 'config');
}

/**
 * The demo workspace lives in its own SQLite file, rebuilt on every start so it
 * is always the generator's exact output. It never touches the workspace's
 * database — not even a configured PostgreSQL, which may be a shared one.
 */
export async function openDemoWorkspace(settings: Settings, options: DemoOptions = DEFAULT_DEMO_OPTIONS): Promise<OpenedWorkspace> {
  const demoFile = path.join(settings.dataDir, 'demo.db');
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(demoFile + suffix, { force: true });
  const { store, migrations } = await openWorkspaceStore({ ...settings, databaseUrl: undefined }, demoFile);
  try {
    await loadDemoWorkspace(store, options);
    return {
      store,
      migrations,
      info: { name: 'Acme (demo workspace)', timezone: 'Europe/London', mode: 'demo', store: store.location },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}

function describeWorkspace(settings: Settings, store: Store, config: WorkspaceConfig | undefined): WorkspaceInfo {
  return {
    name: config?.workspace.name ?? path.basename(settings.workspaceDir),
    timezone: config?.workspace.timezone ?? 'UTC',
    mode: config ? 'configured' : 'empty',
    store: store.location,
  };
}
