import type { ChildProcess } from 'node:child_process';
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../store/database.js';
import { startCliServer } from '../test-support/cli.js';
import { makeServeTarget, SERVE_DIALECTS } from '../test-support/serve-targets.js';
import { migrateModules } from '../workspace/workspace.js';

/**
 * SIGTERM against a real `sextant serve` child process (issue 9, item 8).
 *
 * Responses are made large (teams with 30,000-character descriptions, written
 * straight into the store) and the test's clients pause reading them, so the
 * requests are provably still in flight when the signal arrives: the server is
 * blocked on the socket, not racing the test. Each team serialises to
 * 30,000 + ~150 bytes, so a page of 50 is ~1.5 MB and the page of 1,000 ~30 MB,
 * far beyond the loopback socket buffers.
 */
const TEAMS = 1000;
const DESCRIPTION = 'x'.repeat(30_000);

async function seed(store: Store): Promise<void> {
  await migrateModules(store);
  const rows = Array.from({ length: TEAMS }, (_, i) => ({
    id: `team-${String(i).padStart(4, '0')}`,
    name: `Team ${i}`,
    parent_id: null,
    description: DESCRIPTION,
    source: 'api' as const,
    created_at: 0,
    updated_at: 0,
  }));
  for (let i = 0; i < rows.length; i += 100)
    await store.db
      .insertInto('teams')
      .values(rows.slice(i, i + 100))
      .execute();
  await store.close();
}

/** A GET whose body the caller reads only when `release()` is called. */
function pausedGet(url: string, agent: http.Agent) {
  let release!: () => void;
  let markStarted!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  const done = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const request = http.get(url, { agent }, (response) => {
      response.pause();
      markStarted();
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
      void released.then(() => response.resume());
    });
    request.on('error', reject);
  });
  return { done, started, release };
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; at: number }> {
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, at: Date.now() })));
}

describe.each(SERVE_DIALECTS)('graceful shutdown on %s', (dialect) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('finishes 20 in-flight requests and a 30 MB response, closes idle keep-alive at once, and exits 0', async () => {
    const target = await makeServeTarget(dialect, 'sextant-shutdown-');
    cleanups.push(target.cleanup);
    await seed(await target.open());
    const server = await startCliServer(target.args);
    cleanups.push(async () => void server.child.kill('SIGKILL'));

    // An idle keep-alive connection: one finished request, socket kept open.
    const idleAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const warm = pausedGet(`${server.baseUrl}/healthz`, idleAgent);
    warm.release();
    expect((await warm.done).status).toBe(200);

    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    const small = Array.from({ length: 20 }, (_, i) => pausedGet(`${server.baseUrl}/api/v1/org/teams?limit=50&i=${i}`, agent));
    const large = pausedGet(`${server.baseUrl}/api/v1/org/teams?limit=1000`, agent);
    // Wait until every response has started (headers received): all 21 are in flight.
    await Promise.race([Promise.all([...small, large].map((r) => r.started)), new Promise((r) => setTimeout(r, 30_000))]);

    const exited = exitOf(server.child);
    server.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 500));
    // The listener is closed: a new connection is refused while the old ones finish.
    await expect(fetch(`${server.baseUrl}/healthz`)).rejects.toThrow();

    for (const request of [...small, large]) request.release();
    const results = await Promise.all(small.map((r) => r.done));
    const finishedAt = Date.now();
    for (const result of results) {
      expect(result.status).toBe(200);
      expect(JSON.parse(result.body).items).toHaveLength(50);
    }
    const whole = await large.done;
    expect(whole.status).toBe(200);
    const page = JSON.parse(whole.body) as { items: Array<{ description: string }> };
    expect(page.items).toHaveLength(TEAMS);
    expect(page.items.every((team) => team.description === DESCRIPTION)).toBe(true);

    const { code, at } = await exited;
    expect(code).toBe(0);
    // Idle keep-alive sockets (idleAgent's, and agent's after their responses) do not hold the exit:
    // Fastify keeps connections alive for 72 s, the exit must come well within the 25 s grace.
    expect(at - finishedAt).toBeLessThan(10_000);
    idleAgent.destroy();
    agent.destroy();
  }, 120_000);

  it('cuts what is unfinished when the grace period runs out, logs it and exits 1', async () => {
    const target = await makeServeTarget(dialect, 'sextant-shutdown-');
    cleanups.push(target.cleanup);
    await seed(await target.open());
    const server = await startCliServer([...target.args, '--shutdown-grace', '1']);
    cleanups.push(async () => void server.child.kill('SIGKILL'));

    const agent = new http.Agent({ keepAlive: true });
    const stuck = pausedGet(`${server.baseUrl}/api/v1/org/teams?limit=1000`, agent);
    await stuck.started;
    const sentAt = Date.now();
    const exited = exitOf(server.child);
    server.child.kill('SIGTERM');
    const { code, at } = await exited;
    expect(code).toBe(1);
    // 1 s of grace, plus closing the store: well under the 25 s default.
    expect(at - sentAt).toBeGreaterThanOrEqual(900);
    expect(at - sentAt).toBeLessThan(10_000);
    expect(server.stdout()).toMatch(
      /grace period of 1000 ms ran out: cutting 1 unfinished request\(s\): GET \/api\/v1\/org\/teams\?limit=1000/,
    );
    stuck.release();
    await expect(stuck.done).rejects.toThrow();
    agent.destroy();
  }, 120_000);
});
