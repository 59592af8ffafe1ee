/** Row shapes of the ML module. Only src/ml/store.ts sees these. */

export interface MlProjectRow {
  id: string;
  name: string;
  product_owner: string | null;
  business_sponsor: string | null;
  business_metric: string | null;
  business_metric_id: string | null;
  quality_metric: string;
  quality_threshold: number;
  quality_direction: string;
  production_path: string | null;
  /** JSON array of team ids. */
  teams: string;
  key_result: string | null;
  started_at: number;
  status: string;
  learning: string | null;
  /** JSON: the planned phase ranges. */
  plan: string;
  /** JSON: the go/no-go checklist items. */
  checklist: string;
  source: string;
  created_at: number;
}

export interface MlPhaseEntryRow {
  project_id: string;
  seq: number;
  phase: string;
  started_at: number;
  ended_at: number | null;
}

export interface MlGateRow {
  project_id: string;
  seq: number;
  phase: string;
  decision: string;
  decided_by: string;
  decided_at: number;
  /** JSON array of strings. */
  evidence: string;
  /** JSON object: checklist item id -> boolean. */
  checklist: string;
  note: string | null;
  pivot_to: string | null;
}

export interface MlKillCriterionRow {
  project_id: string;
  id: string;
  position: number;
  description: string;
  /** JSON of the condition (dates as epoch ms). */
  condition: string;
}

export interface MlKillFlagRow {
  project_id: string;
  criterion_id: string;
  /** When an evaluation first found the criterion met. */
  met_at: number;
  evidence: string;
  /** The gate decision recorded after it (the flag stays open until then). */
  resolved_at: number | null;
  resolved_by: string | null;
}

export interface MlReadingRow {
  project_id: string;
  at: number;
  value: number;
}

export interface MlConfidenceRow extends MlReadingRow {
  note: string | null;
  stated_by: string | null;
}

export interface MlExperimentRow {
  id: string;
  hypothesis: string;
  metric: string;
  direction: string;
  success_threshold: number;
  kill_threshold: number | null;
  owner: string;
  team_id: string;
  project_id: string | null;
  key_result: string | null;
  ticket_url: string | null;
  started_at: number;
  ended_at: number | null;
  result: number | null;
  decision: string | null;
  learning: string | null;
  decided_at: number | null;
  source: string;
}

export interface MlTables {
  ml_projects: MlProjectRow;
  ml_phase_entries: MlPhaseEntryRow;
  ml_gates: MlGateRow;
  ml_kill_criteria: MlKillCriterionRow;
  ml_kill_flags: MlKillFlagRow;
  ml_quality: MlReadingRow;
  ml_confidence: MlConfidenceRow;
  ml_experiments: MlExperimentRow;
}

// Adds these tables to the store's Database type (declaration merging).
declare module '../store/database.js' {
  interface Database extends MlTables {}
}
