import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../store/database.js';
import { makeTempDir } from '../test-support/stores.js';
import { buildApp } from './app.js';

/** `sextant serve` at its default level (info) is quiet while the dashboard reads; writes and errors still show. */
describe('request logging', () => {
  it('logs successful reads at debug, failures and writes at info', async () => {
    const store = await openStore({ kind: 'sqlite', path: path.join(makeTempDir(), 'x.db') });
    const lines: Array<{ level: number; msg: string; req?: { method: string; url: string }; res?: { statusCode: number } }> = [];
    const app = await buildApp({
      store,
      readsNeedToken: false,
      bodyLimitBytes: 1024,
      logLevel: 'info',
      logStream: { write: (line: string) => void lines.push(JSON.parse(line)) },
      webRoot: null,
      workspace: { name: 'T', timezone: 'UTC', mode: 'configured', store: store.location },
      workspaceDir: makeTempDir(),
    });
    try {
      expect((await app.inject('/api/v1/workspace')).statusCode).toBe(200);
      expect((await app.inject('/healthz')).statusCode).toBe(200);
      expect(lines).toEqual([]);
      expect((await app.inject('/api/v1/nothing-here')).statusCode).toBe(404);
      expect((await app.inject({ method: 'POST', url: '/api/v1/workspace', payload: {} })).statusCode).toBeGreaterThanOrEqual(400);
      const completed = lines.filter((l) => l.msg === 'request completed');
      expect(completed.map((l) => l.res?.statusCode)).toEqual([404, expect.any(Number)]);
      expect(completed.every((l) => l.level === 30)).toBe(true);
      expect(lines.some((l) => l.msg === 'incoming request')).toBe(false);
    } finally {
      await app.close();
      await store.close();
    }
  });
});
