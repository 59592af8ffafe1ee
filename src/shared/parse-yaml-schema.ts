import type { z } from 'zod';
import type { FieldIssue } from './errors.js';
import type { FieldPath, YamlObject } from './yaml-documents.js';

/**
 * Validates `value` (found at `at` inside `object`) with a zod schema; each
 * problem becomes an issue located in the file. An unknown key is reported at
 * the key itself, where the typo is. Returns undefined when invalid.
 */
export function parseAt<T>(schema: z.ZodType<T>, object: YamlObject, value: unknown, at: FieldPath, issues: FieldIssue[]): T | undefined {
  const result = schema.safeParse(value);
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

function valueAt(value: unknown, fieldPath: FieldPath): unknown {
  let cursor = value;
  for (const key of fieldPath) {
    if (cursor === null || typeof cursor !== 'object') return undefined;
    cursor = (cursor as Record<string | number, unknown>)[key];
  }
  return cursor;
}
