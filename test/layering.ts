// The floors of the source tree and the checker that keeps them (docs/architecture.md): every import of every
// .ts file in server/src and client/src, resolved to a file, must go to the same floor or a lower one; the client
// may import only protocol/ and the pure core/ helpers; and no file may reach itself again through its imports.
// Type-only imports count: a circle of types is still a circle.

import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

/** Floors of server/src, bottom up, by top-level folder or file. */
export const SERVER_FLOORS: Readonly<Record<string, number>> = {
  core: 0,
  parse: 1, config: 1, protocol: 1,
  model: 2, trivy: 2,
  facts: 3,
  rules: 4,
  engine: 5,
  docker: 6, smoke: 6, shellcheck: 6,
  init: 7, features: 7, cli: 7,
  'lsp.ts': 8, 'server.ts': 8, 'cli.ts': 8,
};
/** The client sits above every server floor. */
export const CLIENT_FLOOR = 9;
/** The server files the client may import besides protocol/: pure helpers with no Node or editor dependency. */
export const CLIENT_ALLOWED_CORE: readonly string[] = ['core/size.ts'];

export interface ImportEdge { from: string; to: string; spec: string }
export interface LayeringReport {
  /** Files whose top-level folder has no floor, and imports that resolve to no file. */
  unknown: string[];
  upward: string[];
  client: string[];
  /** Each circle as `a → b → … → a`. */
  cycles: string[];
}

/** Every module specifier a file names: import/export … from, `import type`, import(), import('x').T, require(). */
export function specifiersOf(text: string, fileName = 'x.ts'): string[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      out.push(node.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      out.push(node.moduleReference.expression.text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      out.push(node.argument.literal.text);
    } else if (ts.isCallExpression(node) && node.arguments.length >= 1 && ts.isStringLiteralLike(node.arguments[0])
      && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) {
      out.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

function resolveSpec(fromFile: string, spec: string, exists: (p: string) => boolean): string | undefined {
  const p = path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), spec));
  for (const c of [p, `${p}.ts`, `${p}/index.ts`]) if (exists(c)) return c;
  return undefined;
}

/** The edges among repository-relative paths, given each file's text (relative specifiers only; packages are leaves). */
export function importEdges(files: ReadonlyMap<string, string>, exists: (p: string) => boolean): { edges: ImportEdge[]; unresolved: string[] } {
  const edges: ImportEdge[] = [];
  const unresolved: string[] = [];
  for (const [file, text] of files) {
    for (const spec of specifiersOf(text, file)) {
      if (!spec.startsWith('.')) continue;
      const to = resolveSpec(file, spec, exists);
      if (to) edges.push({ from: file, to, spec });
      else unresolved.push(`${file}: '${spec}' resolves to no file`);
    }
  }
  return { edges, unresolved };
}

/** The floor of a repository-relative path, or undefined when its top-level folder has none. */
export function floorOf(file: string): number | undefined {
  if (file.startsWith('client/src/')) return CLIENT_FLOOR;
  if (!file.startsWith('server/src/')) return undefined;
  const top = file.slice('server/src/'.length).split('/')[0];
  return SERVER_FLOORS[top];
}

/** Strongly connected components of more than one file, or a file importing itself (Tarjan, iterative). */
export function circles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) {
    if (!next.has(e.from)) next.set(e.from, []);
    if (!next.has(e.to)) next.set(e.to, []);
    next.get(e.from)!.push(e.to);
  }
  const index = new Map<string, number>(); const low = new Map<string, number>();
  const stack: string[] = []; const onStack = new Set<string>(); const out: string[][] = [];
  let counter = 0;
  for (const root of [...next.keys()].sort()) {
    if (index.has(root)) continue;
    const work: { node: string; i: number }[] = [{ node: root, i: 0 }];
    index.set(root, counter); low.set(root, counter); counter++; stack.push(root); onStack.add(root);
    while (work.length) {
      const top = work[work.length - 1];
      const succ = next.get(top.node)!;
      if (top.i < succ.length) {
        const w = succ[top.i++];
        if (!index.has(w)) {
          index.set(w, counter); low.set(w, counter); counter++; stack.push(w); onStack.add(w);
          work.push({ node: w, i: 0 });
        } else if (onStack.has(w)) low.set(top.node, Math.min(low.get(top.node)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length) { const parent = work[work.length - 1].node; low.set(parent, Math.min(low.get(parent)!, low.get(top.node)!)); }
      if (low.get(top.node) === index.get(top.node)) {
        const comp: string[] = [];
        let w: string;
        do { w = stack.pop()!; onStack.delete(w); comp.push(w); } while (w !== top.node);
        if (comp.length > 1 || succ.includes(top.node)) out.push(comp.sort());
      }
    }
  }
  return out;
}

/** One concrete circle inside a component, for the message: the shortest way back to its first file. */
function onePath(comp: readonly string[], edges: readonly ImportEdge[]): string[] {
  const inComp = new Set(comp);
  const start = comp[0];
  const prev = new Map<string, string>();
  const queue = [start];
  const seen = new Set<string>();
  while (queue.length) {
    const n = queue.shift()!;
    for (const e of edges) {
      if (e.from !== n || !inComp.has(e.to)) continue;
      if (e.to === start) {
        const chain: string[] = [];
        for (let c = n; c !== start; c = prev.get(c)!) chain.unshift(c);
        return [start, ...chain, start];
      }
      if (!seen.has(e.to)) { seen.add(e.to); prev.set(e.to, n); queue.push(e.to); }
    }
  }
  return [...comp, start];
}

/** Judge a graph: unknown floors, upward imports, client imports outside protocol/ and core's pure helpers, circles. */
export function judge(files: Iterable<string>, edges: readonly ImportEdge[], unresolved: readonly string[] = []): LayeringReport {
  const report: LayeringReport = { unknown: [...unresolved], upward: [], client: [], cycles: [] };
  for (const f of files) if (floorOf(f) === undefined) report.unknown.push(`${f}: its top-level folder has no floor`);
  for (const e of edges) {
    const a = floorOf(e.from); const b = floorOf(e.to);
    if (a === undefined || b === undefined) { if (b === undefined && a !== undefined && !e.to.endsWith('.json')) report.unknown.push(`${e.from} → ${e.to}: no floor`); continue; }
    if (e.from.startsWith('client/src/') && e.to.startsWith('server/src/')) {
      const rel = e.to.slice('server/src/'.length);
      if (!rel.startsWith('protocol/') && !CLIENT_ALLOWED_CORE.includes(rel)) report.client.push(`${e.from} → ${e.to}`);
      continue;
    }
    if (b > a) report.upward.push(`${e.from} (floor ${a}) → ${e.to} (floor ${b})`);
  }
  for (const comp of circles(edges)) report.cycles.push(`${comp.length} files: ${onePath(comp, edges).join(' → ')}`);
  return report;
}

/** Read the tree under `root` and judge it. */
export function checkTree(root: string): LayeringReport & { files: number; edges: number } {
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) { if (e.name !== 'out' && e.name !== 'node_modules') walk(rel); }
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) files.set(rel, fs.readFileSync(path.join(root, rel), 'utf8'));
    }
  };
  walk('server/src');
  walk('client/src');
  const exists = (p: string): boolean => { try { return fs.statSync(path.join(root, p)).isFile(); } catch { return false; } };
  const { edges, unresolved } = importEdges(files, exists);
  return { ...judge(files.keys(), edges, unresolved), files: files.size, edges: edges.length };
}
