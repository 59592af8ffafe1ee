import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../auth/store.js';
import { saveService, saveTeam } from '../org/index.js';
import type { Store } from '../store/database.js';
import { buildTestApp } from '../test-support/app.js';
import { ALERTMANAGER_BINARY, alertmanagerAvailable } from '../test-support/external-tools.js';
import { freePort } from '../test-support/free-port.js';
import { makeTempDir, TEST_DIALECTS } from '../test-support/stores.js';
import { countWebhookDeliveries, listEvents, loadIncidents } from './store.js';

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * A real Alertmanager (Debian's prometheus-alertmanager) routes an alert to
 * Sextant's webhook on 127.0.0.1: the firing group opens an incident for the
 * service its label names; once the alert is resolved (endsAt in the past),
 * Alertmanager's resolved notification sets the incident's resolved milestone.
 */
describe.skipIf(!alertmanagerAvailable())('Prometheus Alertmanager webhooks', () => {
  let dir: string;
  let store: Store;
  let app: FastifyInstance;
  let alertmanager: ChildProcess | undefined;
  let alertmanagerUrl: string;
  let logs = '';

  beforeAll(async () => {
    dir = makeTempDir('sextant-alertmanager-');
    store = await (TEST_DIALECTS[0] as (typeof TEST_DIALECTS)[number]).open();
    await saveTeam(store.db, { id: 'shop', name: 'Shop', parentId: null, description: null });
    await saveService(store.db, {
      id: 'checkout',
      name: 'Checkout',
      ownerTeamId: 'shop',
      description: null,
      repositories: [],
      environments: [{ name: 'production', production: true }],
    });
    const { token } = await createToken(store.db, 'alertmanager');
    app = await buildTestApp(store);
    const sextantUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    // Short group timings so the test sees both notifications within seconds.
    fs.writeFileSync(
      path.join(dir, 'alertmanager.yml'),
      `route:
  receiver: sextant
  group_by: [alertname, service]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: sextant
    webhook_configs:
      - url: ${sextantUrl}/api/v1/incidents/webhooks/alertmanager
        send_resolved: true
        http_config:
          authorization:
            credentials: ${token}
`,
    );
    const port = await freePort();
    alertmanagerUrl = `http://127.0.0.1:${port}`;
    alertmanager = spawn(
      ALERTMANAGER_BINARY,
      [
        `--config.file=${path.join(dir, 'alertmanager.yml')}`,
        `--storage.path=${path.join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        // A single instance: no gossip port to bind.
        '--cluster.listen-address=',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    alertmanager.stderr?.on('data', (chunk: Buffer) => (logs += chunk.toString()));
    await waitFor('Alertmanager to be ready', async () =>
      fetch(`${alertmanagerUrl}/-/ready`).then(
        (r) => (r.ok ? true : undefined),
        () => undefined,
      ),
    );
  }, 90_000);

  afterAll(async () => {
    if (alertmanager && alertmanager.exitCode === null) {
      const exited = new Promise((resolve) => alertmanager?.once('exit', resolve));
      alertmanager.kill('SIGTERM');
      await exited;
    }
    await app?.close();
    await store?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('opens an incident for a firing alert and sets the resolved milestone when it resolves', async () => {
    const startsAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 120_000).toISOString();
    const alert = {
      labels: { alertname: 'CheckoutErrors', service: 'checkout', severity: 'critical' },
      annotations: { summary: 'Checkout 5xx above 5%' },
      startsAt,
      generatorURL: 'http://prometheus.example/graph',
    };
    const post = (body: unknown) =>
      fetch(`${alertmanagerUrl}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post([alert])).status).toBe(200);

    const opened = await waitFor('the incident to open', async () => {
      const [incident] = await loadIncidents(store.db);
      return incident;
    }).catch((error: Error) => {
      throw new Error(`${error.message}\nalertmanager log:\n${logs}`);
    });
    expect(opened).toMatchObject({
      title: 'Checkout 5xx above 5%',
      serviceId: 'checkout',
      // `critical` is the second level of the default scale (see webhooks.ts).
      severity: 'SEV2',
      source: 'alertmanager',
      milestones: { impactStartedAt: Date.parse(startsAt), detectedAt: Date.parse(startsAt), resolvedAt: null },
    });
    expect(opened.id).toMatch(/^alertmanager:[0-9a-f]{16}:\d+$/);

    // Resolving: the same alert with an end time in the past.
    const endsAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 5_000).toISOString();
    expect((await post([{ ...alert, endsAt }])).status).toBe(200);
    const resolved = await waitFor('the resolved milestone', async () => {
      const [incident] = await loadIncidents(store.db);
      return incident?.milestones.resolvedAt != null ? incident : undefined;
    });
    expect(resolved.id).toBe(opened.id);
    expect(resolved.milestones.resolvedAt).toBe(Date.parse(endsAt));
    expect(resolved.status).toBe('resolved');
    expect(await loadIncidents(store.db)).toHaveLength(1);
    const events = await listEvents(store.db, opened.id);
    expect(events.map((e) => e.text)).toEqual(['CheckoutErrors firing', 'CheckoutErrors resolved']);
    expect(await countWebhookDeliveries(store.db)).toBeGreaterThanOrEqual(2);
  }, 90_000);

  it('refuses a malformed or unauthenticated payload without storing it', async () => {
    const before = await countWebhookDeliveries(store.db);
    const url = '/api/v1/incidents/webhooks/alertmanager';
    const { token } = await createToken(store.db, 'manual');
    const noToken = await app.inject({ method: 'POST', url, payload: {} });
    expect(noToken.statusCode).toBe(401);
    const malformed = await app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${token}` },
      payload: {
        version: '4',
        groupKey: 'g',
        status: 'firing',
        receiver: 'r',
        groupLabels: {},
        commonLabels: {},
        commonAnnotations: {},
        externalURL: '',
        alerts: [],
      },
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().errors).toEqual([expect.objectContaining({ field: 'body.alerts' })]);
    const alert = {
      status: 'firing',
      labels: { alertname: 'X' },
      annotations: {},
      startsAt: '2024-06-03T10:00:00Z',
      endsAt: '0001-01-01T00:00:00Z',
      fingerprint: 'f1',
    };
    const noService = await app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${token}` },
      payload: {
        version: '4',
        groupKey: 'g',
        status: 'firing',
        receiver: 'r',
        groupLabels: {},
        commonLabels: { alertname: 'X' },
        commonAnnotations: {},
        externalURL: '',
        alerts: [alert],
      },
    });
    expect(noService.statusCode).toBe(400);
    expect(noService.json().errors).toEqual([expect.objectContaining({ field: 'body.commonLabels.service' })]);
    expect(await countWebhookDeliveries(store.db)).toBe(before);
  });
});
