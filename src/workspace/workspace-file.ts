import fs from 'node:fs';
import path from 'node:path';
import { yamlValue } from '../shared/yaml.js';
import { isMap, isNode, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { KnownIds, PathIssue } from '../kit/config.js';
import type { AnyModule } from '../kit/module.js';
import { MODULES } from '../modules.js';
import { formatFieldPath } from '../shared/field-path.js';
import { ValidationError, type FieldIssue } from '../shared/errors.js';
import { workspaceConfigSchema, type WorkspaceConfig } from './workspace-config.js';

/**
 * Reads and validates a workspace file. Everything is checked before anything is
 * returned — YAML syntax, the schema, then cross-references — so a caller either
 * gets a whole valid configuration or a ValidationError whose issues name the
 * file, line, column and field; it never acts on half a file.
 */
/**
 * `T` names the module sections the caller reads (e.g. `OrgConfig &
 * DeliverySection`): the schema checked them, the type only says so.
 */
export function loadWorkspaceConfig<T extends object = object>(file: string, modules: readonly AnyModule[] = MODULES): WorkspaceConfig & T {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(error);
    throw new ValidationError(`Cannot read ${file}`, [{ field: '(file)', message: reason, file }]);
  }
  return parseWorkspaceConfig<T>(text, file, modules, { baseDir: path.dirname(path.resolve(file)) });
}

/**
 * `options.baseDir`: the file's folder, for checks of what it names on disk
 * (repository paths); text that is not from a file on disk skips those.
 */
export function parseWorkspaceConfig<T extends object = object>(
  text: string,
  file: string,
  modules: readonly AnyModule[] = MODULES,
  options: { baseDir?: string } = {},
): WorkspaceConfig & T {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const relative = path.relative(process.cwd(), file);
  const displayFile = relative && !relative.startsWith('..') ? relative : file;

  if (doc.errors.length > 0) {
    const lines = text.split('\n');
    const issues = doc.errors.map((error): FieldIssue => {
      const pos = error.linePos?.[0];
      const lineText = pos ? (lines[pos.line - 1] ?? '') : '';
      return {
        field: nearestKey(lineText) ?? '(yaml)',
        message: firstLine(error.message) + indentationHint(error.code),
        file: displayFile,
        ...(pos ? { line: pos.line, column: pos.col } : {}),
      };
    });
    throw new ValidationError(`${displayFile} is not valid YAML`, issues);
  }

  const expanded = yamlValue(doc);
  if ('error' in expanded) {
    throw new ValidationError(`${displayFile} is not valid YAML`, [{ field: '(yaml)', message: expanded.error, file: displayFile }]);
  }
  // A missing field says "required" rather than zod's "expected string, received undefined".
  const parsed = workspaceConfigSchema(modules).safeParse(expanded.value ?? {}, {
    error: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'required' : undefined),
  });
  if (!parsed.success) {
    const issues = parsed.error.issues.flatMap((issue) => {
      const path = issue.path as Array<string | number>;
      // Name each unknown key at its own position: that is where the typo is.
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((key) =>
          locate(doc, lineCounter, displayFile, { path: [...path, key], message: `unknown field "${key}"` }, { atKey: true }),
        );
      }
      return [locate(doc, lineCounter, displayFile, { path, message: issue.message })];
    });
    throw new ValidationError(`${displayFile} does not match the configuration schema`, issues);
  }

  const config = parsed.data as WorkspaceConfig & T;
  const referenceIssues = checkReferences(modules, config, options.baseDir);
  if (referenceIssues.length > 0) {
    throw new ValidationError(
      `${displayFile} refers to things it does not define`,
      referenceIssues.map((issue) => locate(doc, lineCounter, displayFile, issue)),
    );
  }
  return config;
}

/** Each module's cross-reference checks, given the ids the file defines (from the org section). */
function checkReferences(modules: readonly AnyModule[], config: WorkspaceConfig, baseDir: string | undefined): PathIssue[] {
  const known: KnownIds = { teams: new Set(), services: new Set(), repositories: new Set(), people: new Set() };
  for (const module of modules) Object.assign(known, module.config?.knownIds?.(config) ?? {});
  const context = baseDir === undefined ? { known } : { known, baseDir };
  return modules.flatMap((module) => module.config?.check?.(config, context) ?? []);
}

/**
 * Finds the deepest node that exists along `issue.path` and reports its
 * position; with `atKey`, the position of the last path element's key.
 */
function locate(doc: Document, lineCounter: LineCounter, file: string, issue: PathIssue, options: { atKey?: boolean } = {}): FieldIssue {
  let node: unknown;
  if (options.atKey) {
    const parent = doc.getIn(issue.path.slice(0, -1), true);
    const key = issue.path[issue.path.length - 1];
    if (isMap(parent)) node = parent.items.find((pair) => isScalar(pair.key) && pair.key.value === key)?.key;
  }
  for (let depth = issue.path.length; depth >= 0 && !(isNode(node) && node.range); depth--) {
    node = depth === 0 ? doc.contents : doc.getIn(issue.path.slice(0, depth), true);
    if (isNode(node) && node.range) break;
    node = undefined;
  }
  const offset = isNode(node) ? node.range?.[0] : undefined;
  const pos = offset !== undefined ? lineCounter.linePos(offset) : undefined;
  return {
    field: formatFieldPath(issue.path),
    message: issue.message,
    file,
    ...(pos ? { line: pos.line, column: pos.col } : {}),
  };
}

function nearestKey(lineText: string): string | undefined {
  return /^\s*(?:-\s+)?([A-Za-z_][\w.-]*)\s*:/.exec(lineText)?.[1];
}

/** The parser reports a mis-indented line at the key before it; say where to look. */
function indentationHint(code: string): string {
  return code === 'MULTILINE_IMPLICIT_KEY' || code === 'BLOCK_AS_IMPLICIT_KEY' || code === 'BAD_INDENT'
    ? ' (check the indentation of this line and the lines after it)'
    : '';
}

/** The yaml library's pretty message repeats the position and quotes the source; keep the reason. */
function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}
