import type { FieldIssue } from './errors.js';
import { formatFieldPath } from './field-path.js';

/**
 * Limits on text from outside (API bodies, query strings, configuration), the
 * same on SQLite and PostgreSQL. PostgreSQL refuses a NUL byte in text and a
 * btree index entry over ~2,700 bytes, SQLite accepts both: without these
 * limits the same request succeeded on one store and failed with 500 on the
 * other. Lone UTF-16 surrogates cannot be encoded as UTF-8 at all.
 */
/** Names, labels, emails, logins: indexed columns. 200 characters of at most 4 UTF-8 bytes stay under 1 KB. */
export const MAX_NAME_LENGTH = 200;
/** Free text (descriptions, notes), and any string the API receives. */
export const MAX_TEXT_LENGTH = 10_000;

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be stored, or null. */
export function textProblem(value: string, maxLength = MAX_TEXT_LENGTH): string | null {
  if (value.includes('\u0000')) return 'must not contain a NUL character (\\u0000)';
  if (LONE_SURROGATE.test(value)) return 'must be valid Unicode (it holds a lone UTF-16 surrogate)';
  if (value.length > maxLength) return `must be at most ${maxLength} characters (got ${value.length})`;
  return null;
}

/**
 * Checks every string (and object key) in a parsed JSON value, naming each bad
 * one by its path under `root` (`body.people[2].name`). At most `limit` issues.
 */
export function findTextProblems(value: unknown, root: string, limit = 20): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const visit = (node: unknown, path: Array<string | number>) => {
    if (issues.length >= limit) return;
    if (typeof node === 'string') {
      const problem = textProblem(node);
      if (problem) issues.push({ field: formatFieldPath(path), message: problem });
    } else if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, [...path, index]));
    } else if (node !== null && typeof node === 'object') {
      for (const [key, item] of Object.entries(node)) {
        const keyProblem = textProblem(key, MAX_NAME_LENGTH);
        if (keyProblem) issues.push({ field: formatFieldPath([...path, '(key)']), message: `a field name ${keyProblem}` });
        else visit(item, [...path, key]);
      }
    }
  };
  visit(value, [root]);
  return issues;
}
