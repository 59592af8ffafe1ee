import { ValidationError } from '../shared/errors.js';
import { byName } from './entities.js';
import { DAY_MS, optionKey, type FieldNamer } from './model.js';

/**
 * Knowledge risk: files whose authors (by degree of authorship) have all
 * stopped committing, and what an off-boarding would add.
 *
 * - An author is inactive when their latest commit (to any file) is more than
 *   `inactiveDays` before `now`.
 * - A file is `inactive` (orphaned) when it has authors and all are inactive;
 *   it is `leaving` when it is not orphaned yet but would be once the people
 *   named in `without` leave. Files with no author (knowledge spread thin, no
 *   one above the DOA thresholds) are not counted as at risk.
 * - A module is a folder `depth` levels deep (files at the top level form ".");
 *   it reports how many of its files are orphaned or would be.
 */
export interface KnowledgeRiskOptions {
  /** Epoch milliseconds. */
  now: number;
  inactiveDays: number;
  without: readonly string[];
  depth: number;
  /** How the caller names options in errors; default: by key. */
  fieldOf?: FieldNamer;
}

export const KNOWLEDGE_RISK_DEFAULTS = { inactiveDays: 180, depth: 1 };

export type RiskCause = 'inactive' | 'leaving';

export interface KnowledgeRiskResult {
  asOf: string;
  inactiveDays: number;
  authors: Array<{ name: string; lastCommit: string; active: boolean; leaving: boolean }>;
  files: Array<{ entity: string; authors: string[]; cause: RiskCause }>;
  modules: Array<{ module: string; files: number; inactive: number; leaving: number }>;
}

export function knowledgeRisk(
  authorsByFile: ReadonlyMap<string, readonly string[]>,
  lastActive: ReadonlyMap<string, number>,
  options: KnowledgeRiskOptions,
): KnowledgeRiskResult {
  const byLowerName = new Map([...lastActive.keys()].map((name) => [name.toLowerCase(), name]));
  const leaving = new Set<string>();
  options.without.forEach((name, i) => {
    const author = byLowerName.get(name.trim().toLowerCase());
    if (author === undefined) {
      throw new ValidationError('Unknown author', [
        { field: (options.fieldOf ?? optionKey)(`without[${i}]`), message: `no author named "${name}" in the analysed history` },
      ]);
    }
    leaving.add(author);
  });
  const cutoff = options.now - options.inactiveDays * DAY_MS;
  const active = (author: string) => (lastActive.get(author) ?? -Infinity) >= cutoff;

  const files: KnowledgeRiskResult['files'] = [];
  const modules = new Map<string, { module: string; files: number; inactive: number; leaving: number }>();
  for (const [entity, authors] of authorsByFile) {
    const module = moduleOf(entity, options.depth);
    let totals = modules.get(module);
    if (!totals) modules.set(module, (totals = { module, files: 0, inactive: 0, leaving: 0 }));
    totals.files++;
    if (authors.length === 0) continue;
    const stillActive = authors.filter(active);
    let cause: RiskCause | null = null;
    if (stillActive.length === 0) cause = 'inactive';
    else if (stillActive.every((author) => leaving.has(author))) cause = 'leaving';
    if (cause === null) continue;
    totals[cause]++;
    files.push({ entity, authors: [...authors], cause });
  }
  return {
    asOf: new Date(options.now).toISOString().slice(0, 10),
    inactiveDays: options.inactiveDays,
    authors: [...lastActive]
      .map(([name, time]) => ({
        name,
        lastCommit: new Date(time).toISOString().slice(0, 10),
        active: active(name),
        leaving: leaving.has(name),
      }))
      .sort((a, b) => byName(a.name, b.name)),
    files: files.sort((a, b) => byName(a.cause, b.cause) || byName(a.entity, b.entity)),
    modules: [...modules.values()].sort(
      (a, b) => (b.inactive + b.leaving) / b.files - (a.inactive + a.leaving) / a.files || byName(a.module, b.module),
    ),
  };
}

/** The first `depth` folders of a path; "." for files above that depth's folders. */
export function moduleOf(path: string, depth: number): string {
  const folders = path.split('/').slice(0, -1);
  return folders.length === 0 ? '.' : folders.slice(0, depth).join('/');
}
