import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import { velocity } from './experiments.js';
import { listKillFlags, type KillFlag } from './store.js';
import type { VelocityWeek } from './velocity.js';

/** For the weekly review (outcomes module): kill criteria met and not yet answered by a gate decision. */
export async function openKillFlags(db: Kysely<Database>): Promise<KillFlag[]> {
  return listKillFlags(db, { open: true });
}

/** For the metric store (outcomes module): the weekly experiment-velocity series per team. */
export async function experimentVelocitySeries(db: Kysely<Database>, timeZone: string): Promise<VelocityWeek[]> {
  return velocity({ db }, {}, timeZone);
}
