import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { ValidationError } from '../shared/errors.js';
import type { Database } from '../store/database.js';

/**
 * Where repositories written through the API may live. Sextant reads the
 * history of every repository it knows and serves it to whoever may read, so
 * a path set over HTTP must not point at `/etc`, at `../../..` or at another
 * project on the host: it must resolve, with `..` and symlinks followed,
 * inside the workspace folder, inside a root named in SEXTANT_REPOSITORY_ROOTS,
 * or inside a repository that sextant.yaml lists (the file is the operator's).
 */
export interface RepositoryRoots {
  /** Relative paths are resolved against it; it is a root itself. */
  workspaceDir: string;
  /** Further roots (SEXTANT_REPOSITORY_ROOTS). */
  extraRoots: readonly string[];
}

/**
 * Where `sextant sync` reads a repository: a path from sextant.yaml as written
 * (resolved against the workspace folder), a path set through the API checked
 * again (it may predate the check, or a symlink may have moved since).
 */
export async function repositoryReadPath(
  db: Kysely<Database>,
  repository: { id: string; path: string | null; source: string },
  roots: RepositoryRoots,
): Promise<string> {
  const field = `repositories.${repository.id}.path`;
  if (repository.path === null)
    throw new ValidationError(`Repository "${repository.id}" has no local path`, [
      { field, message: 'git history needs a local clone: set path' },
    ]);
  if (repository.source !== 'api') return path.resolve(roots.workspaceDir, repository.path);
  return confineRepositoryPath(db, repository.path, roots, field);
}

/**
 * The canonical path (absolute, symlinks resolved) of a repository path given
 * through the API, or a ValidationError naming `field` when it is a URL, does
 * not exist, lies outside every allowed root, or is not a git repository.
 */
export async function confineRepositoryPath(db: Kysely<Database>, given: string, roots: RepositoryRoots, field: string): Promise<string> {
  const reject = (message: string) => new ValidationError(`Repository path refused: ${message}`, [{ field, message }]);
  if (/^[a-z][a-z0-9+.-]*:/i.test(given) && !/^[a-z]:[\\/]/i.test(given))
    throw reject(`"${given}" is a URL; give a local clone's path here and the URL in "url"`);
  const real = realPath(path.resolve(roots.workspaceDir, given));
  if (real === null) throw reject(`no such folder: ${path.resolve(roots.workspaceDir, given)}`);
  const allowed = await allowedRoots(db, roots);
  if (!allowed.some((root) => real === root || real.startsWith(root.endsWith(path.sep) ? root : root + path.sep)))
    throw reject(
      `"${given}" resolves to ${real}, outside the folders repositories may be read from ` +
        '(the workspace folder, SEXTANT_REPOSITORY_ROOTS, and the repositories listed in sextant.yaml)',
    );
  if (!fs.statSync(real).isDirectory()) throw reject(`not a folder: ${real}`);
  if (!isGitRepository(real)) throw reject(`${real} is not a git repository`);
  return real;
}

/** The roots, canonicalised; roots that do not exist are left out. */
async function allowedRoots(db: Kysely<Database>, roots: RepositoryRoots): Promise<string[]> {
  const configured = await db
    .selectFrom('repositories')
    .select('path')
    .where('source', '=', 'config')
    .where('path', 'is not', null)
    .execute();
  return [roots.workspaceDir, ...roots.extraRoots, ...configured.map((r) => path.resolve(roots.workspaceDir, r.path as string))]
    .map(realPath)
    .filter((root): root is string => root !== null);
}

function realPath(file: string): string | null {
  try {
    return fs.realpathSync.native(file);
  } catch {
    return null;
  }
}

/**
 * As git decides: a folder inside a work tree (`.git` here or in a parent: a
 * folder, or a file for worktrees and submodules), or a bare repository
 * (HEAD, objects/ and refs/).
 */
export function isGitRepository(dir: string): boolean {
  if (['HEAD', 'objects', 'refs'].every((entry) => fs.existsSync(path.join(dir, entry)))) return true;
  for (let cursor = dir; ; cursor = path.dirname(cursor)) {
    if (fs.existsSync(path.join(cursor, '.git'))) return true;
    if (path.dirname(cursor) === cursor) return false;
  }
}
