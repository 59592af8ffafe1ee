/** Row shapes of the incidents tables (src/incidents). Instants are epoch ms; booleans 0/1; lists JSON text. */

export interface IncidentRow {
  id: string;
  title: string;
  /** The primary service (the first of `services`): what delivery counts the incident against. */
  service_id: string;
  /** JSON array of every service affected, the primary first. */
  services: string;
  severity: string | null;
  priority: string | null;
  status: string;
  impact_started_at: number;
  detected_at: number | null;
  acknowledged_at: number | null;
  mitigated_at: number | null;
  resolved_at: number | null;
  closed_at: number | null;
  commander: string | null;
  communications: string | null;
  scribe: string | null;
  /** JSON array of person ids or names. */
  responders: string;
  customer_impact: string | null;
  caused_by_deployment: string | null;
  caused_by_sha: string | null;
  /** JSON array. */
  tags: string;
  /** 0/1: a game-day exercise, kept and shown, excluded from metrics. */
  drill: number;
  /** 0/1: data was lost (a postmortem trigger). */
  data_loss: number;
  /** api, cli, alertmanager, pagerduty, demo, delivery (copied by migration 0401). */
  source: string;
  created_at: number;
  updated_at: number;
}

export interface IncidentEventRow {
  id: string;
  incident_id: string;
  at: number;
  kind: string;
  text: string;
  author: string | null;
  /** 0/1 */
  pinned: number;
}

export interface PostmortemRow {
  incident_id: string;
  status: string;
  /** JSON object: the Google template's sections (see postmortem.ts). */
  sections: string;
  internal_notes: string | null;
  /** JSON array. */
  reviewers: string;
  due_at: number | null;
  reviewed_at: number | null;
  published_at: number | null;
  /** JSON array of reasons, computed when the incident resolved; null before. */
  required_because: string | null;
  updated_at: number;
}

export interface RemediationRow {
  id: string;
  incident_id: string;
  description: string;
  type: string;
  priority: string;
  owner: string;
  /** The team accountable: the owner if a team, else the owner's team, else the service's team. */
  team_id: string | null;
  due_at: number;
  status: string;
  ticket_url: string | null;
  resolved_at: number | null;
  created_at: number;
}

export interface RunbookRow {
  service_id: string;
  url: string;
  last_reviewed_at: number | null;
  /** Who manages the row: config (sextant.yaml), api or demo. */
  source: string;
}

export interface IncidentSettingRow {
  name: string;
  /** JSON value. */
  value: string;
}

/** Accepted webhook deliveries (raw body kept for audit); a rejected one is never stored. */
export interface WebhookDeliveryRow {
  id: string;
  source: string;
  received_at: number;
  incident_id: string | null;
  body: string;
}

export interface IncidentsTables {
  incidents: IncidentRow;
  incident_events: IncidentEventRow;
  incident_postmortems: PostmortemRow;
  incident_remediations: RemediationRow;
  incident_runbooks: RunbookRow;
  incident_settings: IncidentSettingRow;
  incident_webhook_deliveries: WebhookDeliveryRow;
}

declare module '../store/database.js' {
  interface Database extends IncidentsTables {}
}
