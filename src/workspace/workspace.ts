import fs from 'node:fs';
import path from 'node:path';
import type { Settings } from '../config/settings.js';
import type { AppliedSection } from '../kit/config.js';
import { DEFAULT_DEMO_OPTIONS, type DemoOptions, type DemoReport } from '../kit/demo.js';
import { modulePeers, type AnyModule } from '../kit/module.js';
import { LOOKUPS, MODULES } from '../modules.js';
import { openStore, type Store } from '../store/database.js';
import { collectMigrations, migrateToLatest, type MigrationReport } from '../store/migrate.js';
import type { WorkspaceConfig } from './workspace-config.js';
import { loadWorkspaceConfig } from './workspace-file.js';

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

/** Migrates a store to every module's latest schema. */
export async function migrateModules(store: Store, modules: readonly AnyModule[] = MODULES): Promise<MigrationReport> {
  return migrateToLatest(store, collectMigrations(modules));
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
    return { store, migrations: await migrateModules(store) };
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

/** Stores what each module's section defines, in module order (the org first). */
export async function applyWorkspaceConfig(store: Store, config: WorkspaceConfig): Promise<Record<string, AppliedSection>> {
  const applied: Record<string, AppliedSection> = {};
  for (const module of MODULES) {
    if (module.config?.apply) applied[module.name] = await module.config.apply(store, config);
  }
  return applied;
}

/** Writes every module's demo data into a migrated store, in module order, replacing earlier demo rows. */
export async function loadDemoWorkspace(store: Store, options: DemoOptions): Promise<Record<string, DemoReport>> {
  const reports: Record<string, DemoReport> = {};
  const peers = modulePeers(MODULES);
  for (const module of MODULES) {
    if (module.demo) reports[module.name] = (await module.demo({ store, options, peers, lookups: LOOKUPS })) ?? {};
  }
  return reports;
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
