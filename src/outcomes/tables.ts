export interface MetricRow {
  id: string;
  name: string;
  unit: string;
  direction: string;
  owner: string | null;
  aggregation: string;
  numerator: string | null;
  denominator: string | null;
  description: string;
  target_week: number | null;
  target_month: number | null;
  baseline_points: number;
  baseline_from: string | null;
  source: string;
  updated_at: number;
}

/** One value per metric and local calendar day; `day` counts days since 1970-01-01. */
export interface MetricPointRow {
  metric_id: string;
  day: number;
  value: number;
}

export interface AnnotationRow {
  id: string;
  metric_id: string;
  day: number;
  text: string;
  author: string;
  created_at: number;
}

/** The owner's note on a metric for a review week. */
export interface ReviewNoteRow {
  metric_id: string;
  week_ending: number;
  text: string;
  author: string;
  updated_at: number;
}

/** A published week: frozen data and its two exports, never updated. */
export interface ReadoutRow {
  week_ending: string;
  published_at: number;
  published_by: string;
  snapshot: string;
  markdown: string;
  html: string;
}

/** The tree and the deck, one JSON document each. */
export interface OutcomesDocumentRow {
  name: string;
  body: string;
  updated_at: number;
}

export interface OutcomesTables {
  outcomes_metrics: MetricRow;
  outcomes_points: MetricPointRow;
  outcomes_annotations: AnnotationRow;
  outcomes_notes: ReviewNoteRow;
  outcomes_readouts: ReadoutRow;
  outcomes_documents: OutcomesDocumentRow;
}

declare module '../store/database.js' {
  interface Database extends OutcomesTables {}
}
