/** Row shapes of the reliability tables. Only src/reliability/store.ts sees these. */
import type { RowSource } from '../org/index.js';

export interface SloDefinitionRow {
  name: string;
  service: string;
  display_name: string;
  target: number;
  /** The validated SloDefinition as JSON. */
  definition: string;
  source: RowSource;
  created_at: number;
  updated_at: number;
}

export interface SloPolicyRow {
  name: string;
  /** null: the default policy. */
  service: string | null;
  /** The ErrorBudgetPolicy as JSON. */
  definition: string;
  source: RowSource;
  updated_at: number;
}

export interface SloMaintenanceWindowRow {
  name: string;
  service: string;
  /** The MaintenanceWindow as JSON. */
  definition: string;
  source: RowSource;
  updated_at: number;
}

export interface SloSamplesHourRow {
  slo: string;
  /** UTC hour start, epoch ms. */
  hour_start: number;
  good: number;
  total: number;
  /** 60 good then 60 total values, float64 little-endian (960 bytes). */
  minutes: Buffer;
}

export interface SloSamplesDayRow {
  slo: string;
  /** UTC day start, epoch ms. */
  day_start: number;
  good: number;
  total: number;
}

export interface SloAlertEventRow {
  slo: string;
  tier: string;
  at: number;
  state: 'firing' | 'resolved';
}

export interface SloSourceCursorRow {
  slo: string;
  /** The first minute not yet read from the data source. */
  next_minute: number;
  updated_at: number;
}

export interface ReliabilityTables {
  slo_definitions: SloDefinitionRow;
  slo_policies: SloPolicyRow;
  slo_maintenance_windows: SloMaintenanceWindowRow;
  slo_samples_hour: SloSamplesHourRow;
  slo_samples_day: SloSamplesDayRow;
  slo_alert_events: SloAlertEventRow;
  slo_source_cursors: SloSourceCursorRow;
}

// Adds these tables to the store's Database type (declaration merging): the
// store knows no module, each module declares its own tables.
declare module '../store/database.js' {
  interface Database extends ReliabilityTables {}
}
