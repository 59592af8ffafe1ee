import type { z } from 'zod';
import { parseBatchRows, readBatchFile } from '../../shared/batch-file.js';
import { ValidationError, type FieldIssue } from '../../shared/errors.js';
import { printJson, type OutputStreams } from './output.js';

/** Where row `index`'s `field` is in the input: a file and line, or the flag the user typed. */
export type Locate = (index: number, field: string) => Omit<FieldIssue, 'message'>;

/**
 * Input of a `<noun> record` command: a batch from `--file` (JSON or CSV,
 * shared/batch-file.ts) or one record from flags. Schema errors name the file
 * and line, or the flag.
 */
export function recordsFromFile<T>(file: string, listKey: string, schema: z.ZodType<T>): { items: T[]; locate: Locate } {
  const { rows, display } = readBatchFile(file, listKey);
  const values = parseBatchRows(rows, schema, listKey, display);
  const locate: Locate = (i, field) => {
    const line = rows[i]?.line;
    return line === undefined ? { field: `${listKey}[${i}].${field}`, file: display } : { field, file: display, line };
  };
  return { items: values, locate };
}

/** One record from flags; schema errors are re-labelled with the flag names (`flagOf` maps field paths to flags). */
export function recordFromFlags<T>(parse: () => T, flagOf: Readonly<Record<string, string>>): { items: T[]; locate: Locate } {
  let value: T;
  try {
    value = parse();
  } catch (error) {
    const issues = (error as { issues?: Array<{ path: PropertyKey[]; message: string }> }).issues;
    if (!issues) throw error;
    throw new ValidationError(
      'Invalid options',
      issues.map((issue) => {
        const key = issue.path.map(String).join('.');
        return { field: flagOf[key] ?? flagOf[String(issue.path[0])] ?? key, message: issue.message };
      }),
    );
  }
  return { items: [value], locate: (_i, field) => ({ field: flagOf[field] ?? field }) };
}

/** The entries whose value is not undefined (flags not given). */
export function definedValues(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}

export interface RecordReport {
  received: number;
  created: number;
  updated: number;
  unchanged: number;
}

export function printRecordReport(out: OutputStreams, report: RecordReport, noun: string, json: boolean | undefined): void {
  if (json) return printJson(out, report);
  out.stdout.write(
    `${report.received} ${noun}${report.received === 1 ? '' : 's'} received: ${report.created} new, ${report.updated} updated, ${report.unchanged} unchanged\n`,
  );
}
