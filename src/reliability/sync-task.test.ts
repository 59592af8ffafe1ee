import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { ValidationError } from '../shared/errors.js';
import { loadDefinitionSet } from './store.js';
import { makeTempDir, TEST_DIALECTS } from '../test-support/stores.js';
import { sloSyncTask } from './sync-task.js';

const progress = { start: () => undefined, update: () => undefined, finish: () => undefined };

describe('sextant sync: slos/', () => {
  it('stores the definitions of the slos/ folder; a broken file changes nothing', async () => {
    const workspaceDir = makeTempDir();
    const store = await (TEST_DIALECTS[0] as (typeof TEST_DIALECTS)[number]).open();
    try {
      const context = { store, config: {}, workspaceDir, progress };
      expect(await sloSyncTask.run(context)).toBe('no slos/ folder: nothing to apply');
      fs.mkdirSync(path.join(workspaceDir, 'slos'));
      fs.cpSync(
        path.join(import.meta.dirname, '..', 'test-support', 'testdata', 'reliability', 'openslo'),
        path.join(workspaceDir, 'slos'),
        {
          recursive: true,
        },
      );
      // checkout-availability reads Prometheus through the DataSource at 127.0.0.1:1, where nothing listens;
      // checkout-latency names no DataSource with a URL and is not read.
      expect(await sloSyncTask.run(context)).toBe('2 SLOs from slos/; Prometheus did not answer for checkout-availability');
      fs.writeFileSync(path.join(workspaceDir, 'slos', 'broken.yaml'), 'apiVersion: openslo/v1\nkind: Nope\n');
      await expect(sloSyncTask.run(context)).rejects.toBeInstanceOf(ValidationError);
      expect((await loadDefinitionSet(store.db)).slos.map((s) => s.name)).toEqual(['checkout-availability', 'checkout-latency']);
    } finally {
      await store.close();
      fs.rmSync(workspaceDir, { recursive: true, force: true });
    }
  });
});
