import type { ModulePeers } from '../kit/module.js';
import type { Store } from '../store/database.js';
import { ConflictError } from '../shared/errors.js';
import { dateOf } from './dates.js';
import { readoutHtml, readoutMarkdown, type ReadoutSnapshot } from './readout.js';
import { weeklyReview } from './review.js';
import { getReadout, insertReadout, isPublished } from './store.js';

/**
 * Publishing freezes the week: the review as it stands (numbers, chart data,
 * signals, notes) becomes an immutable snapshot and its Markdown and HTML are
 * rendered once and stored. Later data, notes or definitions never change it.
 */
export async function publishReadout(
  store: Store,
  weekEnding: number,
  by: string,
  peers: ModulePeers,
  options: { now?: number; timeZone?: string } = {},
): Promise<ReadoutSnapshot> {
  const week = dateOf(weekEnding);
  if (await isPublished(store.db, week))
    throw new ConflictError(`The week ending ${week} is already published; a readout cannot be changed`);
  const review = await weeklyReview(store, weekEnding, peers, options.timeZone);
  const snapshot: ReadoutSnapshot = {
    review: { ...review, published: true },
    publishedAt: new Date(options.now ?? Date.now()).toISOString(),
    publishedBy: by,
  };
  await insertReadout(store.db, {
    weekEnding: week,
    publishedAt: options.now ?? Date.now(),
    publishedBy: by,
    snapshot: JSON.stringify(snapshot),
    markdown: readoutMarkdown(snapshot),
    html: readoutHtml(snapshot),
  });
  return snapshot;
}

export async function readoutSnapshot(store: Store, week: string): Promise<ReadoutSnapshot> {
  return JSON.parse((await getReadout(store.db, week)).snapshot) as ReadoutSnapshot;
}
