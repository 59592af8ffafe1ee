export interface ApiTokenRow {
  id: string;
  name: string;
  /** SHA-256 of the token, hex. The token itself is shown once and never stored. */
  token_hash: string;
  /** First characters of the token, kept so a user can tell tokens apart in `token list`. */
  token_prefix: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface AuthTables {
  api_tokens: ApiTokenRow;
}

// Adds these tables to the store's Database type (declaration merging): the
// store knows no module, each module declares its own tables.
declare module '../store/database.js' {
  interface Database extends AuthTables {}
}
