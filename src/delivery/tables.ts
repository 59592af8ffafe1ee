/** Row shapes of the delivery tables (src/delivery). */

export interface DeploymentRow {
  id: string;
  service_id: string;
  environment: string;
  commit_sha: string | null;
  started_at: number | null;
  finished_at: number;
  status: 'success' | 'failure';
  rollback_of: string | null;
  /** JSON array of deployment ids this one fixes forward. */
  fixes: string;
  /** 0/1 */
  unplanned: number;
  version: string | null;
  /** git (a release tag), api, cli or demo. */
  source: string;
  updated_at: number;
  /** Derived from delivery_changes (see migration 0101). */
  change_count: number;
  /** Comma-separated epoch ms of the shipped changes' author times. */
  change_author_times: string;
  change_committer_times: string;
}

export interface DeliveryChangeRow {
  deployment_id: string;
  sha: string;
  author_time: number;
  committer_time: number;
  reverts_sha: string | null;
  fixes_sha: string | null;
}

/**
 * Incidents before the incidents module (migration 0401 copied them into its
 * `incidents` table); nothing reads or writes this table any more.
 */
export interface IncidentRow {
  id: string;
  service_id: string;
  severity: string;
  started_at: number;
  detected_at: number | null;
  resolved_at: number | null;
  caused_by_deployment: string | null;
  caused_by_sha: string | null;
  source: string;
  updated_at: number;
}

export interface DeliverySettingRow {
  name: string;
  /** JSON value. */
  value: string;
}

export interface DeliveryTables {
  delivery_deployments: DeploymentRow;
  delivery_changes: DeliveryChangeRow;
  delivery_incidents: IncidentRow;
  delivery_settings: DeliverySettingRow;
}

// Adds these tables to the store's Database type (declaration merging): the
// store knows no module, each module declares its own tables.
declare module '../store/database.js' {
  interface Database extends DeliveryTables {}
}
