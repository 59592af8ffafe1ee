import { defineModule } from '../../kit/module.js';
import { gitMigration } from './migrations/0100-git.js';

/**
 * The git source: one process wrapper and an incremental reader whose
 * commits, parents, tags and touched paths the delivery and codebase modules
 * read. Declared like a module so its tables migrate with the rest.
 */
export const gitSource = defineModule({
  name: 'git',
  migrations: { '0100-git': gitMigration },
});

export { assertGitRepository, gitEnv } from './git-process.js';
export { ingestRepository, type IngestReport, type IngestRequest } from './ingest.js';
export type { CommitHistory, GitCommit, GitTag } from './model.js';
export { readCommits } from './read-commits.js';
export { readTags } from './read-tags.js';
export { getSyncState, loadCommits, loadTags, type StoredCommit } from './store.js';
