/** Row shapes of the OKR tables. Only src/okrs/store.ts sees these. */
import type { RowSource } from '../org/index.js';

export interface ObjectiveRow {
  id: string;
  title: string;
  description: string | null;
  /** Owner team; null for a company objective. */
  team_id: string | null;
  period: string;
  period_start: string;
  period_end: string;
  parent_id: string | null;
  kind: string;
  weight: number;
  position: number;
  source: RowSource;
  updated_at: number;
}

export interface KeyResultRow {
  id: string;
  objective_id: string;
  title: string;
  kind: string;
  metric_id: string | null;
  start_value: number | null;
  target_value: number | null;
  unit: string | null;
  aggregation: string | null;
  /** JSON: the words of each milestone zone. */
  zones: string | null;
  weight: number;
  position: number;
}

export interface CheckinRow {
  id: string;
  key_result_id: string;
  at: number;
  value: number | null;
  zone: string | null;
  confidence: number | null;
  comment: string | null;
  author: string | null;
  /** Set on a correction: the check-in it corrects (kept, never overwritten). */
  corrects_id: string | null;
  recorded_at: number;
}

export interface OkrSettingRow {
  name: string;
  value: string;
}

export interface OkrTables {
  okr_settings: OkrSettingRow;
  okr_objectives: ObjectiveRow;
  okr_key_results: KeyResultRow;
  okr_checkins: CheckinRow;
}

// Adds these tables to the store's Database type (declaration merging): the
// store knows no module, each module declares its own tables.
declare module '../store/database.js' {
  interface Database extends OkrTables {}
}
