import { ValidationError } from '../../shared/errors.js';
import type { MetricSource, SloDefinition } from '../model.js';

/**
 * PromQL built from an SLO's queries. Two query forms are accepted:
 * - a template with Sloth's `{{.window}}` placeholder, already a per-second
 *   rate: `sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))`;
 * - for a counter (`counter: true`), a series selector or `sum(selector)`
 *   (the form OpenSLO's examples use), turned into `sum(rate(selector[w]))`
 *   so the rate is taken before aggregation, as PromQL requires.
 */
export const WINDOW_PLACEHOLDER = /\{\{\s*\.window\s*\}\}/g;
const SELECTOR = /^[A-Za-z_:][A-Za-z0-9_:]*\s*(\{[^{}]*\})?$|^\{[^{}]+\}$/s;
const SUM_OF_SELECTOR = /^sum\s*(?:(?:by|without)\s*\([^)]*\)\s*)?\(\s*([^()]+?)\s*\)$/s;

/** What the rules need per window: per-second rates of bad and of all events (null: a precomputed ratio without counts). */
export interface WindowedQueries {
  /** Error ratio over the window, as PromQL. */
  errorRatio(window: string): string;
  /** Bad events per second over the window; null when the SLI has no event counts (raw ratios, thresholds). */
  errorRate(window: string): string | null;
  /** All events per second over the window; null likewise. */
  eventRate(window: string): string | null;
}

export function windowedQueries(slo: SloDefinition): WindowedQueries {
  const indicator = slo.indicator;
  if (indicator.kind === 'ratio') {
    const total = rateOf(slo, indicator.total, indicator.counter);
    const bad = indicator.bad ? rateOf(slo, indicator.bad, indicator.counter) : null;
    const good = indicator.good ? rateOf(slo, indicator.good, indicator.counter) : null;
    const errorRate = (w: string) => (bad ? bad(w) : `(${total(w)} - ${(good as (w: string) => string)(w)})`);
    return {
      errorRatio: (w) => `(${errorRate(w)})\n/\n(${total(w)})`,
      errorRate,
      eventRate: total,
    };
  }
  if (indicator.kind === 'raw-ratio') {
    const raw = indicator.raw;
    const ratio = (w: string) => (hasWindow(raw) ? `(${fill(raw, w)})` : `avg_over_time(${selectorOf(slo, raw)}[${w}])`);
    return {
      errorRatio: (w) => (indicator.rawType === 'failure' ? ratio(w) : `(1 - ${ratio(w)})`),
      errorRate: () => null,
      eventRate: () => null,
    };
  }
  const query = queryOf(slo, indicator.metric);
  const op = { lt: '<', lte: '<=', gt: '>', gte: '>=' }[indicator.op];
  return {
    // The share of one-minute samples failing the threshold: a time-based error ratio.
    errorRatio: (w) => `(1 - avg_over_time(((${query}) ${op} bool ${indicator.threshold})[${w}:1m]))`,
    errorRate: () => null,
    eventRate: () => null,
  };
}

function rateOf(slo: SloDefinition, source: MetricSource, counter: boolean): (window: string) => string {
  if (hasWindow(source)) return (w) => fill(source, w);
  if (!counter) {
    throw cannotRate(slo, source, 'a gauge (counter: false) needs a query with {{.window}} that gives events per second');
  }
  const selector = selectorOf(slo, source);
  return (w) => `sum(rate(${selector}[${w}]))`;
}

function selectorOf(slo: SloDefinition, source: MetricSource): string {
  const query = queryOf(slo, source).trim();
  if (SELECTOR.test(query)) return query;
  const inner = SUM_OF_SELECTOR.exec(query)?.[1];
  if (inner && SELECTOR.test(inner)) return inner;
  throw cannotRate(
    slo,
    source,
    'write a series selector such as http_requests_total{code!~"5.."}, or a rate with {{.window}} for the range',
  );
}

function queryOf(slo: SloDefinition, source: MetricSource): string {
  if (source.type?.toLowerCase() !== 'prometheus') {
    throw cannotRate(slo, source, `Prometheus rules need a Prometheus metric source, not ${source.type ?? 'an untyped one'}`);
  }
  if (source.query === null) throw cannotRate(slo, source, 'needs spec.query');
  return source.query;
}

function hasWindow(source: MetricSource): boolean {
  return source.query !== null && new RegExp(WINDOW_PLACEHOLDER.source).test(source.query);
}

function fill(source: MetricSource, window: string): string {
  return (source.query as string).replace(WINDOW_PLACEHOLDER, window).trim();
}

function cannotRate(slo: SloDefinition, source: MetricSource, message: string): ValidationError {
  return new ValidationError(`Cannot generate Prometheus rules for SLO "${slo.name}"`, [
    {
      field: source.location.field ?? 'query',
      file: source.location.file,
      ...(source.location.line !== undefined ? { line: source.location.line, column: source.location.column } : {}),
      message,
    },
  ]);
}

/** A PromQL string literal. */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** A Prometheus label name from any key: invalid characters become "_". */
export function labelName(key: string): string {
  const name = key.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(name) ? name : `_${name}`;
}

export function selector(labels: Record<string, string>): string {
  return `{${Object.entries(labels)
    .map(([key, value]) => `${key}=${quote(value)}`)
    .join(', ')}}`;
}
