import type { SyncTask } from '../kit/sync.js';
import { mlContext, type MlLinks } from './links.js';
import { evaluateKillCriteria } from './projects.js';

/** `sextant sync` step: evaluates every active ML project's kill criteria and flags the newly met ones. */
export function killCriteriaSyncTask(links: MlLinks, clock: () => number = Date.now): SyncTask {
  return {
    name: 'ml kill criteria',
    async run({ store }) {
      const { evaluated, flagged, open } = await evaluateKillCriteria(mlContext(store.db, links), clock());
      return `${evaluated} kill criteria evaluated, ${flagged} newly met, ${open} open flags`;
    },
  };
}
