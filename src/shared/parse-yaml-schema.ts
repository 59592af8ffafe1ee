import type { z } from 'zod';
import type { FieldIssue } from './errors.js';
import type { FieldPath, YamlObject } from './yaml-documents.js';

/** Unknown keys reported as warnings (with `note` saying why) instead of errors, and dropped. */
export interface LenientKeys {
  warnings: FieldIssue[];
  note: string;
}

/**
 * Validates `value` (found at `at` inside `object`) with a zod schema; each
 * problem becomes an issue located in the file. An unknown key is reported at
 * the key itself, where the typo is — as an error, or with `lenient` as a
 * warning, the key being ignored. Returns undefined when invalid.
 */
export function parseAt<T>(
  schema: z.ZodType<T>,
  object: YamlObject,
  value: unknown,
  at: FieldPath,
  issues: FieldIssue[],
  lenient?: LenientKeys,
): T | undefined {
  let result = schema.safeParse(value);
  if (!result.success && lenient) {
    const unknown = result.error.issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys' ? issue.keys.map((key) => [...(issue.path as FieldPath), key]) : [],
    );
    if (unknown.length > 0) {
      for (const keyPath of unknown) {
        const key = String(keyPath[keyPath.length - 1]);
        lenient.warnings.push(object.issue([...at, ...keyPath], `unknown field "${key}" ignored: ${lenient.note}`, { atKey: true }));
      }
      value = withoutKeys(value, unknown);
      result = schema.safeParse(value);
    }
  }
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const issuePath = [...at, ...(issue.path as FieldPath)];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) issues.push(object.issue([...issuePath, key], `unknown field "${key}"`, { atKey: true }));
    } else if (issue.code === 'invalid_type' && valueAt(value, issue.path as FieldPath) === undefined) {
      issues.push(object.issue(issuePath, `required (${issue.expected})`));
    } else {
      issues.push(object.issue(issuePath, issue.message));
    }
  }
  return undefined;
}

/** A copy of `value` without the keys at `paths`. */
function withoutKeys(value: unknown, paths: FieldPath[]): unknown {
  const copy = structuredClone(value);
  for (const keyPath of paths) {
    const parent = valueAt(copy, keyPath.slice(0, -1));
    if (parent !== null && typeof parent === 'object')
      delete (parent as Record<string | number, unknown>)[keyPath[keyPath.length - 1] as string];
  }
  return copy;
}

function valueAt(value: unknown, fieldPath: FieldPath): unknown {
  let cursor = value;
  for (const key of fieldPath) {
    if (cursor === null || typeof cursor !== 'object') return undefined;
    cursor = (cursor as Record<string | number, unknown>)[key];
  }
  return cursor;
}
