import type { LeadTimeStart } from './model.js';

/**
 * Lead time for changes, the one rule every surface uses: from the change's
 * start (its author time by default, its committer time with
 * `leadTimeStart: committer`) to the finish of the deployment that shipped it
 * first. A commit dated after that deployment is clock skew: its lead time is
 * 0, never negative. See docs/metrics/delivery.md.
 */
export function leadTimeMs(deployedAt: number, startedAt: number): number {
  return Math.max(0, deployedAt - startedAt);
}

/** Where a change's lead time starts. */
export function changeStart(change: { authorTime: number; committerTime: number }, start: LeadTimeStart): number {
  return start === 'committer' ? change.committerTime : change.authorTime;
}
