import { defineModule } from '../../kit/module.js';
import { gitMigration } from './migrations/0100-git.js';
import { gitChangesMigration } from './migrations/0100-git-changes.js';
import { gitGenerationMigration } from './migrations/0100-git-generation.js';

/**
 * The git source: the one place Sextant runs git. One process wrapper
 * (git-process.ts) and one incremental reader (ingest.ts) whose commits,
 * parents, tags, touched paths and per-file changes the delivery and codebase
 * modules read from the store. `sextant sync` reads each repository once:
 * whichever module asks first (syncRepository) reads everything both need.
 * Declared like a module so its tables migrate with the rest; it imports no
 * module.
 */
export const gitSource = defineModule({
  name: 'git',
  migrations: { '0100-git': gitMigration, '0100-git-changes': gitChangesMigration, '0100-git-generation': gitGenerationMigration },
});

export { fileHistoryArguments, readFileHistory, type FileDetail } from './file-history.js';
export {
  assertGitRepository,
  GIT_MISSING_MESSAGE,
  GitCommandError,
  gitEnv,
  resolveCommit,
  runGit,
  startGit,
  tryGit,
  type GitProcess,
} from './git-process.js';
export { ingestRepository, syncRepository, type IngestReport, type IngestRequest } from './ingest.js';
export type { CommitHistory, FileChange, FileHistoryCommit, GitCommit, GitTag, ReadDetail } from './model.js';
export { readCommits } from './read-commits.js';
export { readTags } from './read-tags.js';
export { computeGenerations, newCommitsSince, type NewCommits } from './generations.js';
export {
  getSyncState,
  loadCommitGraph,
  loadCommitLinks,
  loadCommits,
  loadCommitsBySha,
  loadFileHistory,
  loadGraphCommits,
  loadTags,
  shasWithPrefix,
  shasWithSubject,
  type CommitLink,
  type StoredCommit,
} from './store.js';
export { reachable, walkOrder, walkOrderSince, type CommitGraph, type GraphCommit } from './walk-order.js';
