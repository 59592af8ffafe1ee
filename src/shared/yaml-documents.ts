import fs from 'node:fs';
import path from 'node:path';
import { isMap, isNode, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import type { FieldIssue } from './errors.js';
import { yamlValue } from './yaml.js';
import { formatFieldPath } from './field-path.js';

export type FieldPath = Array<string | number>;

/**
 * One object from a definitions file: a YAML document, or one item of a
 * document that is a list of objects (OpenSLO allows both). `issue()` turns a
 * path inside the object into a FieldIssue with the file, line and column of
 * the deepest node that exists along that path.
 */
export interface YamlObject {
  value: unknown;
  file: string;
  /** Path of the object inside its document: [] or [index]. */
  prefix: FieldPath;
  issue(fieldPath: FieldPath, message: string, options?: { atKey?: boolean }): FieldIssue;
  /** File, line and field of a path, for locations kept with the definitions. */
  locate(fieldPath: FieldPath): { file: string; line?: number; column?: number; field: string };
}

const DEFINITION_EXTENSIONS = new Set(['.yaml', '.yml']);

/** Expands files and directories (recursively, `.yaml`/`.yml`, sorted) into files; a missing path is an issue. */
export function listDefinitionFiles(inputs: readonly string[], issues: FieldIssue[]): string[] {
  const files: string[] = [];
  for (const input of inputs) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(input);
    } catch {
      issues.push({ field: '(file)', file: displayPath(input), message: 'no such file or directory' });
      continue;
    }
    if (stat.isDirectory()) {
      const found = walk(input);
      if (found.length === 0)
        issues.push({ field: '(file)', file: displayPath(input), message: 'the directory holds no .yaml or .yml files' });
      files.push(...found);
    } else {
      files.push(input);
    }
  }
  return [...new Set(files)];
}

function walk(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return entry.name.startsWith('.') ? [] : walk(full);
      return DEFINITION_EXTENSIONS.has(path.extname(entry.name)) ? [full] : [];
    });
}

export function displayPath(file: string): string {
  return path.relative(process.cwd(), file) || file;
}

/** Reads every YAML document of a file; syntax errors become issues with their position. */
export function readYamlObjects(text: string, file: string, issues: FieldIssue[]): YamlObject[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const shown = displayPath(file);
  const list = Array.isArray(docs) ? docs : [docs];
  const objects: YamlObject[] = [];
  for (const doc of list) {
    if (doc.errors.length > 0) {
      for (const error of doc.errors) {
        const pos = error.linePos?.[0];
        issues.push({
          field: '(yaml)',
          message: (error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, ''),
          file: shown,
          ...(pos ? { line: pos.line, column: pos.col } : {}),
        });
      }
      continue;
    }
    const expanded = yamlValue(doc);
    if ('error' in expanded) {
      issues.push({ field: '(yaml)', message: expanded.error, file: shown });
      continue;
    }
    // A key written with no value (`alertPolicies:` in OpenSLO's own examples) is null: read it as omitted,
    // as the Go decoders of OpenSLO's and Sloth's tools do.
    const value: unknown = withoutNullKeys(expanded.value);
    if (value === null || value === undefined) continue; // an empty document, e.g. after a trailing `---`
    if (Array.isArray(value)) {
      value.forEach((item, index) => objects.push(makeObject(doc, lineCounter, shown, item, [index])));
    } else {
      objects.push(makeObject(doc, lineCounter, shown, value, []));
    }
  }
  if (objects.length === 0 && list.every((doc) => doc.errors.length === 0) && !issues.some((issue) => issue.file === shown)) {
    issues.push({ field: '(file)', message: 'holds no definitions (the file is empty)', file: shown });
  }
  return objects;
}

function makeObject(doc: Document, lineCounter: LineCounter, file: string, value: unknown, prefix: FieldPath): YamlObject {
  const position = (fieldPath: FieldPath, atKey: boolean) => {
    const full = [...prefix, ...fieldPath];
    const node = atKey ? keyNode(doc, full) : valueNode(doc, full);
    const offset = node?.range?.[0];
    return offset === undefined ? undefined : lineCounter.linePos(offset);
  };
  return {
    value,
    file,
    prefix,
    issue(fieldPath, message, options = {}) {
      const pos = position(fieldPath, options.atKey ?? false);
      return {
        field: formatFieldPath([...prefix, ...fieldPath]),
        message,
        file,
        ...(pos ? { line: pos.line, column: pos.col } : {}),
      };
    },
    locate(fieldPath) {
      const pos = position(fieldPath, false);
      return { file, field: formatFieldPath([...prefix, ...fieldPath]), ...(pos ? { line: pos.line, column: pos.col } : {}) };
    },
  };
}

/** The key node of the last path element (where an unknown field is written), else the deepest node. */
function keyNode(doc: Document, fieldPath: FieldPath): Node | undefined {
  const parent = doc.getIn(fieldPath.slice(0, -1), true);
  const key = fieldPath[fieldPath.length - 1];
  if (isMap(parent)) {
    const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === key);
    if (pair && isNode(pair.key)) return pair.key;
  }
  return deepestNode(doc, fieldPath);
}

/** The value's node; for a map or list value, its key (`plugin:` rather than the first line inside it). */
function valueNode(doc: Document, fieldPath: FieldPath): Node | undefined {
  const node = deepestNode(doc, fieldPath);
  const exact = fieldPath.length > 0 && doc.getIn(fieldPath, true) === node;
  return exact && (isMap(node) || isSeq(node)) ? keyNode(doc, fieldPath) : node;
}

function deepestNode(doc: Document, fieldPath: FieldPath): Node | undefined {
  for (let depth = fieldPath.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(fieldPath.slice(0, depth), true);
    if (isNode(node) && node.range && (isMap(node) || isSeq(node) || isScalar(node))) return node;
  }
  return undefined;
}

/** `value` with every mapping key whose value is null removed (list items are kept). */
export function withoutNullKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNullKeys);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== null)
      .map(([key, item]) => [key, withoutNullKeys(item)]),
  );
}
