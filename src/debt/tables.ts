/** Row shapes of the debt module. Only src/debt/store.ts sees these. */

export interface WorkItemRow {
  id: string;
  team_id: string;
  title: string;
  type: string;
  /** JSON array of strings. */
  labels: string;
  state: string;
  created_at: number;
  started_at: number | null;
  completed_at: number | null;
  points: number | null;
  parent_id: string | null;
  sprint: string | null;
  /** JSON array of strings. */
  links: string;
  source: string;
  imported_at: number;
  /** The Balance category under the applied rules, the 1-based rule that gave it (0: none) and that rule in words. */
  category: string | null;
  category_rule: number | null;
  category_because: string | null;
}

export interface DebtItemRow {
  id: string;
  title: string;
  category: string;
  quadrant: string | null;
  repository_id: string | null;
  /** JSON array of paths. */
  paths: string;
  service_id: string | null;
  team_id: string | null;
  status: string;
  impact: string;
  principal_days: number | null;
  candidate_key: string | null;
  created_at: number;
  updated_at: number;
}

export interface DebtDismissalRow {
  candidate_key: string;
  dismissed_at: number;
  reason: string;
}

/** The applied `debt:` section of sextant.yaml (one row), so routes and commands read the same rules. */
export interface DebtSettingsRow {
  id: string;
  config: string;
}

export interface DebtTables {
  work_items: WorkItemRow;
  debt_items: DebtItemRow;
  debt_dismissals: DebtDismissalRow;
  debt_settings: DebtSettingsRow;
}

declare module '../store/database.js' {
  interface Database extends DebtTables {}
}
