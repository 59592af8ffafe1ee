import picomatch from 'picomatch';
import { createIdentityResolver } from '../org/index.js';
import type { Person } from '../org/index.js';
import type { Change, Commit, HistoryFold, RawCommit } from './model.js';

export interface HistoryFilter {
  /** Keep only entities matching one of these globs (matched against the file's latest name). */
  include?: readonly string[];
  exclude?: readonly string[];
  /** Inclusive author dates, YYYY-MM-DD. */
  since?: string;
  until?: string;
}

export interface NormaliseOptions extends HistoryFilter {
  /** The merged identity behind a commit's author; by default the (mailmapped) name. */
  resolveAuthor?: (name: string, email: string) => string;
}

/**
 * Turns raw commits, newest first, into commits ready for analysis:
 *
 * - Renames are followed: once a commit renames `old` to `new`, every older
 *   change to `old` counts for the file's latest name. Because commits arrive
 *   newest first, the latest name is always known when a rename is seen, so
 *   one map lookup per path suffices (no chains to walk).
 * - Authors are merged: git has applied .mailmap (`%aN`/`%aE`); `resolveAuthor`
 *   adds the workspace's people.
 * - include/exclude globs and the date range select what is analysed. Renames
 *   are tracked on every commit, also those outside the date range, so a
 *   rename after `until` still names the file by its latest name.
 * - A commit listing one entity twice (after renames map two paths to one
 *   name) counts it once, with the lines summed. Commits left with no
 *   changes are dropped, as code-maat drops empty change sets.
 */
export function createHistoryNormaliser(options: NormaliseOptions = {}): (raw: RawCommit) => Commit | null {
  const latestName = new Map<string, string>();
  const selected = pathSelector(options);
  // Names in NFC: "José" typed precomposed and with a combining accent is one author, not two.
  const resolveAuthor = options.resolveAuthor ?? ((name: string, email: string) => name.normalize('NFC') || email.trim().toLowerCase());
  const { since, until } = options;
  return (raw) => {
    const entities = raw.changes.map((change) => latestName.get(change.path) ?? change.path);
    raw.changes.forEach((change, i) => {
      if (change.previousPath !== null) latestName.set(change.previousPath, entities[i] as string);
    });
    if ((since !== undefined && raw.date < since) || (until !== undefined && raw.date > until)) return null;
    const byEntity = new Map<string, Change>();
    raw.changes.forEach((change, i) => {
      const entity = entities[i] as string;
      if (!selected(entity)) return;
      const seen = byEntity.get(entity);
      if (seen) {
        seen.added += change.added;
        seen.deleted += change.deleted;
        seen.binary ||= change.binary;
      } else {
        byEntity.set(entity, { entity, added: change.added, deleted: change.deleted, binary: change.binary });
      }
    });
    if (byEntity.size === 0) return null;
    return {
      rev: raw.rev,
      time: raw.time,
      date: raw.date,
      author: resolveAuthor(raw.authorName, raw.authorEmail),
      changes: [...byEntity.values()],
    };
  };
}

/**
 * Merges commit authors into the workspace's people: a commit whose email (or,
 * failing that, unambiguous name) belongs to a person counts for that person's
 * name. Undefined without people: the mailmapped name stands.
 */
export function authorResolver(people: readonly Person[]): ((name: string, email: string) => string) | undefined {
  if (people.length === 0) return undefined;
  const resolver = createIdentityResolver(people);
  return (name, email) => resolver.resolve({ name, email })?.name ?? (name.normalize('NFC') || email.trim().toLowerCase());
}

/** A predicate for include/exclude globs; dot files match like any other (`.github/**`). */
export function pathSelector(filter: Pick<HistoryFilter, 'include' | 'exclude'>): (path: string) => boolean {
  const include = filter.include && filter.include.length > 0 ? picomatch([...filter.include], { dot: true }) : null;
  const exclude = filter.exclude && filter.exclude.length > 0 ? picomatch([...filter.exclude], { dot: true }) : null;
  return (path) => (include === null || include(path)) && (exclude === null || !exclude(path));
}

/** Feeds raw commits through the normaliser into any number of folds. Returns how many commits were analysed. */
export async function foldHistory(
  source: AsyncIterable<RawCommit> | Iterable<RawCommit>,
  normalise: (raw: RawCommit) => Commit | null,
  folds: ReadonlyArray<HistoryFold<unknown>>,
): Promise<number> {
  let analysed = 0;
  for await (const raw of source) {
    const commit = normalise(raw);
    if (commit === null) continue;
    analysed++;
    for (const fold of folds) fold.add(commit);
  }
  return analysed;
}
