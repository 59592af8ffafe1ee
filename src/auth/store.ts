import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import { NotFoundError } from '../shared/errors.js';
import { DISPLAY_PREFIX_LENGTH, generateToken, hashToken } from './api-token.js';

export interface ApiToken {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

type Db = Kysely<Database>;

/** Creates a token and returns it in clear exactly once; the store keeps its hash. */
export async function createToken(db: Db, name: string): Promise<{ token: string; record: ApiToken }> {
  const token = generateToken();
  const now = Date.now();
  const row = {
    id: randomUUID(),
    name,
    token_hash: hashToken(token),
    token_prefix: token.slice(0, DISPLAY_PREFIX_LENGTH),
    created_at: now,
    last_used_at: null,
    revoked_at: null,
  };
  await db.insertInto('api_tokens').values(row).execute();
  return { token, record: toApiToken(row) };
}

export async function listTokens(db: Db): Promise<ApiToken[]> {
  const rows = await db.selectFrom('api_tokens').selectAll().orderBy('created_at').orderBy('id').execute();
  return rows.map(toApiToken);
}

/** Revokes by id, or by name when exactly one active token has that name. */
export async function revokeToken(db: Db, idOrName: string): Promise<ApiToken> {
  const row = await db
    .selectFrom('api_tokens')
    .selectAll()
    .where((eb) => eb.or([eb('id', '=', idOrName), eb.and([eb('name', '=', idOrName), eb('revoked_at', 'is', null)])]))
    .execute();
  if (row.length !== 1 || !row[0]) {
    throw new NotFoundError(
      row.length === 0 ? `No token with id or name "${idOrName}"` : `Several active tokens are named "${idOrName}"; revoke by id`,
    );
  }
  const revokedAt = row[0].revoked_at ?? Date.now();
  await db.updateTable('api_tokens').set({ revoked_at: revokedAt }).where('id', '=', row[0].id).execute();
  return toApiToken({ ...row[0], revoked_at: revokedAt });
}

/** The active token matching a presented secret, recording its use; undefined when none. */
export async function verifyToken(db: Db, presented: string): Promise<ApiToken | undefined> {
  const row = await db
    .selectFrom('api_tokens')
    .selectAll()
    .where('token_hash', '=', hashToken(presented))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  const now = Date.now();
  // Record use at most once a minute per token so reads do not turn into writes.
  if (row.last_used_at === null || now - row.last_used_at > 60_000) {
    await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.id).execute();
  }
  return toApiToken(row);
}

function toApiToken(row: {
  id: string;
  name: string;
  token_prefix: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}): ApiToken {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    id: row.id,
    name: row.name,
    prefix: row.token_prefix,
    createdAt: new Date(row.created_at).toISOString(),
    lastUsedAt: iso(row.last_used_at),
    revokedAt: iso(row.revoked_at),
  };
}
