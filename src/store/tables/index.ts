import type { AuthTables } from './auth.js';
import type { CodebaseTables } from './codebase.js';
import type { DeliveryTables } from './delivery.js';
import type { GitTables } from './git.js';
import type { OrgTables } from './org.js';
import type { ReliabilityTables } from './reliability.js';

/** Every table Sextant stores, for Kysely's typing. One interface per module file. */
export interface Database extends OrgTables, AuthTables, GitTables, DeliveryTables, ReliabilityTables, CodebaseTables {}

export type { AuthTables, CodebaseTables, DeliveryTables, GitTables, OrgTables, ReliabilityTables };
