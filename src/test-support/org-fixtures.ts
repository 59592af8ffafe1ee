import { replaceOrg } from '../org/index.js';
import type { Store } from '../store/database.js';

/**
 * The smallest org most route tests need: team `pay` owning service
 * `payments`, deployed to `production`. With `repositoryDir`, the service
 * ships from repository `payments` at that path.
 */
export async function seedPaymentsOrg(db: Store['db'], repositoryDir?: string): Promise<void> {
  await replaceOrg(
    db,
    {
      teams: [{ id: 'pay', name: 'Payments', parentId: null, description: null, source: 'config' }],
      repositories: repositoryDir
        ? [{ id: 'payments', name: 'payments', path: repositoryDir, url: null, defaultBranch: 'main', source: 'config' }]
        : [],
      services: [
        {
          id: 'payments',
          name: 'Payments',
          ownerTeamId: 'pay',
          description: null,
          repositories: repositoryDir ? [{ repositoryId: 'payments', paths: [] }] : [],
          environments: [{ name: 'production', production: true }],
          source: 'config',
        },
      ],
      people: [],
    },
    'config',
  );
}
