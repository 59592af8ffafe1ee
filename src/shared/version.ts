import { createRequire } from 'node:module';

// package.json is one level above both src/ and dist/, so this path works from either.
const require = createRequire(import.meta.url);
export const VERSION: string = (require('../../package.json') as { version: string }).version;
