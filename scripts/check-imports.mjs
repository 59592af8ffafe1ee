#!/usr/bin/env node
// Checks the direction of imports between folders of src/ (docs/architecture.md):
//   - kit/, shared/, store/, config/ and sources that are not modules import no module and no surface;
//   - a module imports no surface (server/, cli/, workspace/, modules.ts) and reaches
//     another module only through that module's index.ts;
//   - server/, cli/ and workspace/ reach modules only through src/modules.ts;
//   - no import cycle between folders;
//   - in the dashboard (web/src): no import cycle between files, and no import of server code
//     (API types come from the generated web/src/api/types.ts) except the pure helpers in src/shared/display.
// Module folders are the ones src/modules.ts imports. Tests may import anything.
// Exits 1 and lists each violation with file and line.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const src = path.join(root, 'src');
const rel = (file) => path.relative(root, file);

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return walk(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file) {
  const text = fs.readFileSync(file, 'utf8');
  const found = [];
  for (const match of text.matchAll(IMPORT)) {
    const spec = match[1] ?? match[2];
    if (!spec.startsWith('.')) continue;
    const line = text.slice(0, match.index).split('\n').length + (match[0].startsWith('\n') ? 1 : 0);
    const target = path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts');
    found.push({ target: fs.existsSync(target) ? target : target.replace(/\.ts$/, '.tsx'), line });
  }
  return found;
}

const modulesFile = path.join(src, 'modules.ts');
const moduleDirs = importsOf(modulesFile)
  .map(({ target }) => target)
  .filter((target) => path.basename(target) === 'index.ts')
  .map((target) => path.dirname(target));

const LOWER = ['kit', 'shared', 'store', 'config'].map((d) => path.join(src, d));
const SURFACES = ['server', 'cli', 'workspace'].map((d) => path.join(src, d));
const within = (file, dir) => file === dir || file.startsWith(dir + path.sep);
const moduleOf = (file) => moduleDirs.find((dir) => within(file, dir));
const isSurface = (file) =>
  file === modulesFile || SURFACES.some((dir) => within(file, dir)) || within(file, path.join(src, 'test-support'));
const isLower = (file) => LOWER.some((dir) => within(file, dir)) || (within(file, path.join(src, 'sources')) && !moduleOf(file));

/** The folder an import edge is counted between: a module's folder, a source's, or src/<top>. */
function folderOf(file) {
  const module = moduleOf(file);
  if (module) return rel(module);
  const parts = path.relative(src, file).split(path.sep);
  if (parts.length === 1) return 'src/' + parts[0];
  if (parts[0] === 'sources') return `src/sources/${parts[1]}`;
  return 'src/' + parts[0];
}

const violations = [];
const edges = new Map();
for (const file of walk(src)) {
  const isTest = /\.test\.tsx?$/.test(file) || within(file, path.join(src, 'test-support'));
  const fromModule = moduleOf(file);
  for (const { target, line } of importsOf(file)) {
    const where = `${rel(file)}:${line}`;
    const toModule = moduleOf(target);
    if (!isTest) {
      const from = folderOf(file);
      const to = folderOf(target);
      if (from !== to) {
        if (!edges.has(from)) edges.set(from, new Map());
        if (!edges.get(from).has(to)) edges.get(from).set(to, where);
      }
    }
    if (isTest) continue;
    if (isLower(file) && (toModule || isSurface(target)))
      violations.push(`${where} ${folderOf(file)} is below the modules and imports ${rel(target)}`);
    if (fromModule && isSurface(target)) violations.push(`${where} a module imports a surface: ${rel(target)}`);
    if (fromModule && toModule && toModule !== fromModule && path.basename(target) !== 'index.ts')
      violations.push(`${where} reaches into ${rel(toModule)}/ past its index.ts: ${rel(target)}`);
    if (isSurface(file) && file !== modulesFile && toModule)
      violations.push(`${where} a surface imports a module directly (use src/modules.ts): ${rel(target)}`);
  }
}

/** Strongly connected components of more than one node (Tarjan): each is an import cycle. */
function cycles(graph) {
  let index = 0;
  const stack = [];
  const state = new Map();
  const found = [];
  function connect(node) {
    state.set(node, { index, low: index, onStack: true });
    index++;
    stack.push(node);
    for (const next of graph.get(node)?.keys() ?? []) {
      if (!state.has(next)) {
        connect(next);
        state.get(node).low = Math.min(state.get(node).low, state.get(next).low);
      } else if (state.get(next).onStack) {
        state.get(node).low = Math.min(state.get(node).low, state.get(next).index);
      }
    }
    if (state.get(node).low === state.get(node).index) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        state.get(member).onStack = false;
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  }
  for (const node of graph.keys()) if (!state.has(node)) connect(node);
  return found.map((component) => ({
    component,
    links: component.flatMap((from) =>
      [...(graph.get(from) ?? [])].filter(([to]) => component.includes(to)).map(([to, where]) => `    ${from} -> ${to} (${where})`),
    ),
  }));
}

for (const { component, links } of cycles(edges)) {
  violations.push(`import cycle between folders ${component.join(', ')}:\n${links.join('\n')}`);
}

// src/shared/display: pure display helpers the dashboard shares with the server; they import nothing else.
const displayDir = path.join(root, 'src', 'shared', 'display');
for (const file of walk(displayDir)) {
  if (/\.test\.tsx?$/.test(file)) continue;
  for (const { target, line } of importsOf(file)) {
    if (!within(target, displayDir))
      violations.push(`${rel(file)}:${line} src/shared/display imports ${rel(target)}: it may import only itself`);
  }
}

// The dashboard: file-level cycles (a page importing the page list that imports it), and no server code.
const webSrc = path.join(root, 'web', 'src');
const webEdges = new Map();
let webFiles = 0;
for (const file of walk(webSrc)) {
  if (/\.test\.tsx?$/.test(file)) continue;
  webFiles++;
  const from = rel(file);
  if (!webEdges.has(from)) webEdges.set(from, new Map());
  for (const { target, line } of importsOf(file)) {
    const where = `${from}:${line}`;
    if (within(target, displayDir)) continue;
    if (!within(target, webSrc)) {
      violations.push(
        `${where} the dashboard imports code outside web/src and src/shared/display: ${rel(target)} (API types come from web/src/api/types.ts)`,
      );
      continue;
    }
    if (!webEdges.get(from).has(rel(target))) webEdges.get(from).set(rel(target), where);
  }
}
for (const { component, links } of cycles(webEdges)) {
  violations.push(`import cycle between dashboard files ${component.join(', ')}:\n${links.join('\n')}`);
}

if (violations.length > 0) {
  process.stderr.write(
    `${violations.length} import rule violation(s) (see docs/architecture.md):\n${violations.map((v) => '  ' + v).join('\n')}\n`,
  );
  process.exit(1);
}
process.stdout.write(`imports: ${edges.size} folders, ${moduleDirs.length} modules, ${webFiles} dashboard files, no violations\n`);
