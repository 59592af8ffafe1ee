import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSettings } from '../config/settings.js';
import { saveService, saveTeam } from '../org/index.js';
import { savePerson } from '../org/store.js';
import { runCommandsInProcess } from '../test-support/cli-in-process.js';
import { makeTempDir } from '../test-support/stores.js';
import { openWorkspaceStore } from '../workspace/workspace.js';
import { registerIncidentCommands } from './cli.js';
import { patchFromInput, recordIncidents, recordRemediation, writePostmortem } from './record.js';
import { incidentInput, remediationInput } from './model.js';

const run = (args: string[]) => runCommandsInProcess(registerIncidentCommands, args);

/**
 * A workspace with two teams. Items of incident INC-1 (due dates by hand, `--at` 2024-06-20):
 *   shop-late    shop, due 06-10, open        -> overdue
 *   shop-done    shop, due 06-10, done        -> closed, not overdue
 *   shop-future  shop, due 06-30, open        -> not due yet
 *   data-late    data, due 06-15, in-progress -> overdue
 *   data-wontdo  data, due 06-01, wont-do     -> closed
 */
describe('sextant incident actions', () => {
  const dir = makeTempDir('sextant-incident-cli-');
  beforeAll(async () => {
    const { store } = await openWorkspaceStore(resolveSettings({ workspace: dir }, {}));
    try {
      await saveTeam(store.db, { id: 'shop', name: 'Shop', parentId: null, description: null });
      await saveTeam(store.db, { id: 'data', name: 'Data', parentId: null, description: null });
      await saveService(store.db, {
        id: 'checkout',
        name: 'Checkout',
        ownerTeamId: 'shop',
        description: null,
        repositories: [],
        environments: [{ name: 'production', production: true }],
      });
      await savePerson(store.db, { id: 'dana', name: 'Dana Scully', teamId: 'data', bot: false, emails: [], aliases: [], logins: [] });
      const incident = incidentInput.parse({
        id: 'INC-1',
        service: 'checkout',
        severity: 'SEV2',
        impactStartedAt: '2024-06-03T10:00:00Z',
        resolvedAt: '2024-06-03T11:00:00Z',
      });
      await recordIncidents(store.db, [patchFromInput(incident)], 'cli', (_i, field) => ({ field }));
      await writePostmortem(store.db, 'INC-1', { status: 'in-review', reviewedAt: Date.parse('2024-06-05T00:00:00Z') });
      const item = (id: string, owner: string, due: string, status: string) =>
        remediationInput.parse({ id, description: `Fix ${id}`, type: 'repair', owner, dueAt: `${due}T00:00:00Z`, status });
      await recordRemediation(
        store.db,
        'INC-1',
        [
          item('shop-late', 'shop', '2024-06-10', 'open'),
          item('shop-done', 'shop', '2024-06-10', 'done'),
          item('shop-future', 'shop', '2024-06-30', 'open'),
          item('data-late', 'dana', '2024-06-15', 'in-progress'),
          item('data-wontdo', 'data', '2024-06-01', 'wont-do'),
        ],
        (_i, field) => ({ field }),
      );
    } finally {
      await store.close();
    }
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lists exactly the overdue items and exits 1, so a scheduled job can nag', async () => {
    const result = await run(['--workspace', dir, 'incident', 'actions', '--overdue', '--at', '2024-06-20T00:00:00Z', '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    const body = JSON.parse(result.stdout) as { at: string; items: Array<{ id: string; teamId: string; overdue: boolean }> };
    expect(body.items.map((i) => [i.id, i.teamId, i.overdue])).toEqual([
      ['shop-late', 'shop', true],
      ['data-late', 'data', true],
    ]);

    // One team's: dana is on data, so her item is data's.
    const data = await run([
      '--workspace',
      dir,
      'incident',
      'actions',
      '--overdue',
      '--team',
      'data',
      '--at',
      '2024-06-20T00:00:00Z',
      '--json',
    ]);
    expect(JSON.parse(data.stdout).items.map((i: { id: string }) => i.id)).toEqual(['data-late']);

    // Before any due date passed: nothing overdue, exit 0.
    const early = await run(['--workspace', dir, 'incident', 'actions', '--overdue', '--at', '2024-06-09T00:00:00Z', '--json']);
    expect(early.code).toBe(0);
    expect(JSON.parse(early.stdout).items).toEqual([]);

    const unknownTeam = await run(['--workspace', dir, 'incident', 'actions', '--overdue', '--team', 'nope']);
    expect(unknownTeam.code).toBe(2);
    expect(unknownTeam.stderr).toContain('--team: team "nope" does not exist');
  });

  it('prints the postmortem as Markdown with every section of the template', async () => {
    const result = await run(['--workspace', dir, 'incident', 'postmortem', 'INC-1']);
    expect(result.code).toBe(0);
    for (const heading of [
      '## Summary',
      '## Impact',
      '## Root causes',
      '## Trigger',
      '## Resolution',
      '## Detection',
      '## Lessons learned',
      '### What went well',
      '### What went wrong',
      '### Where we got lucky',
      '## Action items',
      '## Timeline',
    ])
      expect(result.stdout).toContain(`${heading}\n`);
    expect(result.stdout).toContain('| Fix shop-late | repair | P2 | shop | 2024-06-10 | open |');
  });
});
