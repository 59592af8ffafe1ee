/**
 * Terminal output: aligned tables for people, JSON for machines. Colour only
 * on a TTY and never when NO_COLOR is set (https://no-color.org).
 */
export interface OutputStreams {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  noColor: boolean;
}

export function processStreams(env: Record<string, string | undefined>): OutputStreams {
  return { stdout: process.stdout, stderr: process.stderr, noColor: env.NO_COLOR !== undefined && env.NO_COLOR !== '' };
}

export interface Column<T> {
  header: string;
  value: (row: T) => string | number | null | undefined;
  align?: 'left' | 'right';
}

export function formatTable<T>(rows: readonly T[], columns: ReadonlyArray<Column<T>>, options: { bold?: boolean } = {}): string {
  const cells = rows.map((row) => columns.map((c) => stringify(c.value(row))));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => (columns[i]?.align === 'right' ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const header = line(columns.map((c) => c.header));
  return [options.bold ? `\u001b[1m${header}\u001b[22m` : header, ...cells.map(line)].join('\n') + '\n';
}

export function printTable<T>(out: OutputStreams, rows: readonly T[], columns: ReadonlyArray<Column<T>>): void {
  out.stdout.write(formatTable(rows, columns, { bold: Boolean(out.stdout.isTTY) && !out.noColor }));
}

export function printJson(out: OutputStreams, value: unknown): void {
  out.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

function stringify(value: string | number | null | undefined): string {
  return value === null || value === undefined ? '-' : String(value);
}
