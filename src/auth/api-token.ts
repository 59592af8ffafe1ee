import { createHash, randomBytes } from 'node:crypto';

/**
 * API tokens are 32 random bytes, base64url-encoded, behind a recognisable
 * prefix so secret scanners and people can spot them. Only a SHA-256 digest is
 * stored: with 256 bits of entropy a fast hash is enough (no password-style
 * stretching needed), and lookups stay a single indexed equality.
 */
export const TOKEN_PREFIX = 'sxt_';
const TOKEN_BYTES = 32;
/** Characters of the token kept in clear for `token list`: the prefix and 4 more. */
export const DISPLAY_PREFIX_LENGTH = TOKEN_PREFIX.length + 4;

export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(TOKEN_BYTES).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function looksLikeToken(value: string): boolean {
  return value.startsWith(TOKEN_PREFIX) && value.length > TOKEN_PREFIX.length + 20;
}
