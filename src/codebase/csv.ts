/**
 * CSV as code-maat writes it: a header of column names, one row per line,
 * fields quoted only when they contain a comma, quote or line break (RFC 4180).
 */
export type CsvValue = string | number;

export interface CsvColumn<Row> {
  header: string;
  value: (row: Row) => CsvValue;
}

export function toCsv<Row>(columns: ReadonlyArray<CsvColumn<Row>>, rows: readonly Row[]): string {
  const lines = [columns.map((c) => c.header).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvField(c.value(row))).join(','));
  return lines.join('\n') + '\n';
}

function csvField(value: CsvValue): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A ratio printed as code-maat prints a double: always with a decimal point (1.0, 0.67, 0.0). */
export function decimal(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}
