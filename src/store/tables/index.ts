import type { AuthTables } from './auth.js';
import type { OrgTables } from './org.js';
import type { ReliabilityTables } from './reliability.js';

/** Every table Sextant stores, for Kysely's typing. One interface per module file. */
export interface Database extends OrgTables, AuthTables, ReliabilityTables {}

export type { AuthTables, OrgTables, ReliabilityTables };
