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
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface SettingsFlags {
  workspace?: string | undefined;
  databaseUrl?: string | undefined;
  host?: string | undefined;
  port?: string | number | undefined;
  logLevel?: string | undefined;
}

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 4680;
export const CONFIG_FILE_NAME = 'sextant.yaml';
export const DATA_DIR_NAME = '.sextant';
const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;
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
  };
}

/** Loopback binds are reachable only from this machine, so reads may skip tokens there. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
