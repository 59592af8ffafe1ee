import fs from 'node:fs';
import path from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { z } from 'zod';
import { ValidationError, type FieldIssue } from '../shared/errors.js';
import { formatFieldPath } from '../shared/field-path.js';
import { daySchema } from './days.js';
import { DEFAULT_FORECAST_SEED, type ForecastInput } from './forecast.js';

/**
 * The zero-config plan file of `sextant ml forecast --file`: the phases in
 * order with their planned range in days and, once they happened, their
 * start and end dates; `go` is the go decision's date when there is one.
 *
 *     phases:
 *       - { name: data-assessment, min: 7, max: 14, start: 2026-01-05, end: 2026-01-16 }
 *       - { name: poc, min: 14, max: 28, start: 2026-01-16 }
 *       - { name: go-no-go, min: 3, max: 10 }
 *       - { name: productionisation, min: 28, max: 56 }
 *       - { name: iteration, min: 14, max: 28 }
 *     go: 2026-02-20        # optional
 */
export const forecastFileSchema = z
  .object({
    phases: z
      .array(
        z
          .object({
            name: z.string().min(1),
            min: z.number().nonnegative(),
            max: z.number().positive(),
            start: daySchema.optional(),
            end: daySchema.optional(),
          })
          .strict()
          .refine((p) => p.min <= p.max, { path: ['min'], message: 'is greater than max (min > max)' }),
      )
      .min(1, 'name at least one phase'),
    go: daySchema.optional(),
  })
  .strict();
export type ForecastFile = z.infer<typeof forecastFileSchema>;

export function forecastFromFile(file: ForecastFile, at: number, seed?: number): ForecastInput {
  return {
    phases: file.phases.map((p) => ({ name: p.name, min: p.min, max: p.max, start: p.start ?? null, end: p.end ?? null })),
    at,
    go: file.go ?? null,
    seed: seed ?? DEFAULT_FORECAST_SEED,
  };
}

/** Reads and validates a YAML file against `schema`; every issue carries the file, line and column of its field. */
export function readYamlFile<T>(file: string, schema: z.ZodType<T>, what: string): { data: T; locate: (issue: FieldIssue) => FieldIssue } {
  const relative = path.relative(process.cwd(), file);
  const shown = relative && !relative.startsWith('..') ? relative : file;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new ValidationError(`Cannot read ${shown}`, [{ field: '--file', message: 'file not found or not readable', file: shown }]);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ValidationError(
      `${shown} is not valid YAML`,
      doc.errors.map((e) => ({
        field: '(yaml)',
        message: e.message.split('\n')[0] ?? e.message,
        file: shown,
        ...(e.linePos ? { line: e.linePos[0].line, column: e.linePos[0].col } : {}),
      })),
    );
  }
  const locate = (issue: FieldIssue): FieldIssue => {
    const fieldPath = issue.field.match(/[^.[\]]+/g)?.map((part) => (/^\d+$/.test(part) ? Number(part) : part)) ?? [];
    const node = deepestNode(doc, fieldPath);
    const pos = node?.range ? lineCounter.linePos(node.range[0]) : undefined;
    return { ...issue, file: shown, ...(pos ? { line: pos.line, column: pos.col } : {}) };
  };
  const parsed = schema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.flatMap((issue) => {
      const base = issue.path as Array<string | number>;
      const paths = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...base, k]) : [base];
      return paths.map((p) =>
        locate({
          field: formatFieldPath(p),
          message: issue.code === 'unrecognized_keys' ? `unknown field "${String(p.at(-1))}"` : issue.message,
        }),
      );
    });
    throw new ValidationError(`${shown} is not a valid ${what}`, issues);
  }
  return { data: parsed.data, locate };
}

function deepestNode(doc: Document, fieldPath: Array<string | number>): Node | undefined {
  let node = doc.contents as Node | null;
  let found: Node | undefined = node ?? undefined;
  for (const key of fieldPath) {
    if (isMap(node)) {
      const pair = node.items.find((item) => (item.key as { value?: unknown } | null)?.value === key);
      node = (pair?.value as Node | null) ?? null;
      if (!pair) break;
      found = (pair.value as Node | null) ?? (pair.key as Node);
    } else if (isSeq(node) && typeof key === 'number') {
      node = (node.items[key] as Node | null) ?? null;
      if (!node) break;
      found = node;
    } else break;
  }
  return found;
}
