import { defineModule } from '../kit/module.js';
import { registerTokenCommands } from './cli.js';
import { apiTokensMigration } from './migrations/0002-api-tokens.js';

/** API tokens: created by `sextant token create`, stored as SHA-256 hashes, checked by the server for writes. */
export const authModule = defineModule({
  name: 'auth',
  migrations: { '0002-api-tokens': apiTokensMigration },
  commands: registerTokenCommands,
});

export { createToken, listTokens, revokeToken, verifyToken, type ApiToken } from './store.js';
