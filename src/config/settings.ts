import path from 'node:path';
import { ValidationError } from '../shared/errors.js';

/**
 * The process's settings, resolved once from command-line flags and the
 * environment. This is the only module that reads environment variables; the
 * CLI passes `process.env` in, tests pass their own.
 */
export interface Settings {
  /** Folder holding `sextant.yaml` and the embedded store. */
  workspaceDir: string;
  configFile: string;
  /** `.sextant/` inside the workspace: the embedded database and caches. */
  dataDir: string;
  /** Set for a PostgreSQL deployment; otherwise the embedded SQLite file is used. */
  databaseUrl: string | undefined;
  sqlitePath: string;
  host: string;
  port: number;
  logLevel: LogLevel;
  /** Largest accepted request body; larger ones get 413. */
  bodyLimitBytes: number;
  /** On SIGTERM/SIGINT, how long in-flight requests may take before they are cut and the process exits 1. */
  shutdownGraceMs: number;
  /**
   * Host names (without port) the server answers to besides its bound address and loopback names,
   * e.g. the name of a reverse proxy in front of it. Other `Host` headers get 421 (DNS rebinding).
   */
  publicHosts: string[];
  /**
   * Folders besides the workspace in which repositories written through the API may live
   * (SEXTANT_REPOSITORY_ROOTS, separated like PATH); absolute.
   */
  repositoryRoots: string[];
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface SettingsFlags {
  workspace?: string | undefined;
  databaseUrl?: string | undefined;
  host?: string | undefined;
  port?: string | number | undefined;
  logLevel?: string | undefined;
  shutdownGrace?: string | number | undefined;
  publicHost?: string[] | string | undefined;
}

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 4680;
export const CONFIG_FILE_NAME = 'sextant.yaml';
export const DATA_DIR_NAME = '.sextant';
/** Fits the documented largest batch: 50,000 SLO samples of ~120 bytes of JSON each (measured in server/hardening.test.ts). */
export const DEFAULT_BODY_LIMIT_BYTES = 8 * 1024 * 1024;
export const DEFAULT_SHUTDOWN_GRACE_SECONDS = 25;
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function resolveSettings(flags: SettingsFlags, env: Record<string, string | undefined>): Settings {
  const workspaceDir = path.resolve(flags.workspace ?? env.SEXTANT_WORKSPACE ?? '.');
  const dataDir = path.join(workspaceDir, DATA_DIR_NAME);
  const databaseUrl = flags.databaseUrl ?? env.DATABASE_URL ?? undefined;
  if (databaseUrl !== undefined && databaseUrl !== '' && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ValidationError('Unsupported database URL', [
      {
        field: flags.databaseUrl ? '--database-url' : 'DATABASE_URL',
        message: 'must be a postgres:// or postgresql:// URL; leave it unset for the embedded SQLite store',
      },
    ]);
  }
  const portText = String(flags.port ?? env.SEXTANT_PORT ?? DEFAULT_PORT);
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ValidationError('Invalid port', [
      { field: flags.port !== undefined ? '--port' : 'SEXTANT_PORT', message: `"${portText}" is not a port number (0-65535)` },
    ]);
  }
  const logLevel = (flags.logLevel ?? env.SEXTANT_LOG_LEVEL ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ValidationError('Invalid log level', [{ field: '--log-level', message: `must be one of ${LOG_LEVELS.join(', ')}` }]);
  }
  const graceText = String(flags.shutdownGrace ?? env.SEXTANT_SHUTDOWN_GRACE ?? DEFAULT_SHUTDOWN_GRACE_SECONDS);
  const graceSeconds = Number(graceText);
  if (graceText.trim() === '' || !Number.isFinite(graceSeconds) || graceSeconds < 0 || graceSeconds > 3600) {
    throw new ValidationError('Invalid shutdown grace period', [
      {
        field: flags.shutdownGrace !== undefined ? '--shutdown-grace' : 'SEXTANT_SHUTDOWN_GRACE',
        message: `"${graceText}" is not a number of seconds between 0 and 3600`,
      },
    ]);
  }
  const publicHostFlags = flags.publicHost === undefined ? [] : Array.isArray(flags.publicHost) ? flags.publicHost : [flags.publicHost];
  const publicHosts = [...publicHostFlags, ...(env.SEXTANT_PUBLIC_HOSTS ?? '').split(',')]
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
  return {
    workspaceDir,
    configFile: path.join(workspaceDir, CONFIG_FILE_NAME),
    dataDir,
    databaseUrl: databaseUrl === '' ? undefined : databaseUrl,
    sqlitePath: path.join(dataDir, 'sextant.db'),
    host: flags.host ?? env.SEXTANT_HOST ?? DEFAULT_HOST,
    port,
    logLevel,
    bodyLimitBytes: DEFAULT_BODY_LIMIT_BYTES,
    shutdownGraceMs: Math.round(graceSeconds * 1000),
    publicHosts,
    repositoryRoots: (env.SEXTANT_REPOSITORY_ROOTS ?? '')
      .split(path.delimiter)
      .filter((root) => root.trim() !== '')
      .map((root) => path.resolve(workspaceDir, root.trim())),
  };
}

/** Loopback binds are reachable only from this machine, so reads may skip tokens there. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
