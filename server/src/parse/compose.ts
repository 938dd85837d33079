// Compose documents parsed once with the `yaml` package, keeping source ranges: the Document(s), each service's
// key and mapping node, values resolved the way Compose reads them (aliases and `<<` merge keys applied) and the
// key extents that `# hullcheck ignore=` comments refer to. Offsets become LSP positions only through yamlRange().

import {
  isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, visit, type Alias, type Document, type Node, type Pair,
  type ParsedNode, type YAMLMap,
} from 'yaml';
import { LineIndex } from '../core/text';
import type { Range } from '../core/findings';
import { isBlank } from '../core/strings';

/**
 * A document whose aliases and merge keys expand to more nodes than this is an attack (billion laughs), not data.
 * The nodes are counted as Compose would expand them, so nested anchors used many times stay readable (yaml's own
 * alias count multiplies each anchor's uses by the aliases inside it and rejects valid files).
 */
export const MAX_EXPANDED_NODES = 2_000_000;

/** Real compose files are kilobytes; past this size parsing would stall the editor, so the file is reported instead. */
export const MAX_COMPOSE_CHARS = 1024 * 1024;

export interface ComposeProblem {
  message: string;
  range: Range;
  /** Lower than the rule's own severity for notes that do not stop Compose (yaml warnings, several documents). */
  severity?: 'warning' | 'info';
}

export interface ComposeService {
  name: string;
  /** The service's key in the `services` mapping. */
  keyRange: Range;
  pair: Pair;
  /** The service's mapping as written (an alias is followed to its anchor); undefined for `null` or scalars. */
  node: YAMLMap | undefined;
  /** The service as Compose reads it: merge keys and aliases applied. Empty when the value is not a mapping. */
  value: Record<string, unknown>;
  doc: Document.Parsed;
}

export interface ParsedCompose {
  text: string;
  index: LineIndex;
  documents: Document.Parsed[];
  /** YAML syntax errors, yaml's warnings, collection keys, several documents and alias bombs, with ranges. */
  problems: ComposeProblem[];
  /** Every document's resolved value (null for an empty document); undefined when resolution failed. */
  values: (unknown | undefined)[];
  /** The services of every document, in order. */
  services: ComposeService[];
  /** Line of a mapping key -> end offset of its value (the largest when several keys start on the line). */
  keyExtents: Map<number, number>;
  /** The LSP range of a node (or of a [start, end] offset pair). */
  range(node: { range?: readonly number[] | null } | readonly number[] | null | undefined): Range;
  service(name: string): ComposeService | undefined;
  /**
   * Set when a later version's parse (parse/composeIncremental.ts) took over this parse's nodes and moved their
   * offsets: its nodes no longer describe `text`, so a late reader parses `text` again.
   */
  retired?: boolean;
}

const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** THE conversion from yaml offsets (`node.range`, `error.pos`) to LSP positions. */
export function yamlRange(index: LineIndex, r: readonly number[] | null | undefined): Range {
  if (!r || r.length < 2 || typeof r[0] !== 'number') return ZERO;
  // range[1] is where the value ends; range[2] includes trailing comments and blank lines, which we never want
  const end = Math.max(r[0], r[1]);
  return { start: index.positionAt(r[0]), end: index.positionAt(end) };
}

/** A scalar key's string value; other keys (complex keys, merge `<<`) give undefined. */
export function keyName(pair: Pair): string | undefined {
  const k = pair.key;
  if (isScalar(k)) return typeof k.value === 'symbol' ? undefined : String(k.value);
  if (typeof k === 'string') return k;
  return undefined;
}

export function isMergeKey(pair: Pair): boolean {
  const k = pair.key as unknown;
  if (isScalar(k)) return k.value === '<<' || (typeof k.value === 'symbol' && k.value.description === '<<');
  return k === '<<';
}

const aliasTargets = new WeakMap<Document, Map<Alias, Node>>();

/** Record the alias targets of a document built from parts whose targets are known (no walk of it is needed). */
export function setAliasTargets(doc: Document, targets: Map<Alias, Node>): void {
  aliasTargets.set(doc, targets);
}

/**
 * Every alias of a document with the node it names: the last node anchored with its name before it (as yaml resolves
 * it). Found in one pass and kept with the document: yaml's own `resolve` walks the document from its start on every
 * call, which made each alias lookup of a rule cost a walk of the whole file.
 */
export function aliasTargetsOf(doc: Document): Map<Alias, Node> {
  let targets = aliasTargets.get(doc);
  if (!targets) {
    const found = new Map<Alias, Node>();
    const anchors = new Map<string, Node>();
    visit(doc, {
      Node: (_key, node) => {
        if (isAlias(node)) { const t = anchors.get(node.source); if (t) found.set(node, t); } else if (node.anchor) anchors.set(node.anchor, node);
      },
    });
    aliasTargets.set(doc, targets = found);
  }
  return targets;
}

/** Follow an alias to its anchored node (one step per alias; cycles stop). */
export function deref(doc: Document, node: unknown): Node | undefined {
  let n = node as Node | undefined;
  if (!n || !isAlias(n)) return n;
  const targets = aliasTargetsOf(doc);
  for (let i = 0; i < 16 && n && isAlias(n); i++) n = targets.get(n);
  return n && !isAlias(n) ? n : undefined;
}

/**
 * The pair for `key` in a mapping as Compose sees it: a key written in the mapping wins, otherwise the first
 * merge source (`<<: *anchor` or `<<: [*a, *b]`) that has it.
 */
export function pairIn(doc: Document, map: YAMLMap | undefined, key: string, depth = 0): Pair | undefined {
  if (!map || depth > 16) return undefined;
  const direct = map.items.find((p) => keyName(p) === key);
  if (direct) return direct;
  for (const p of map.items) {
    if (!isMergeKey(p)) continue;
    const v = deref(doc, p.value);
    const sources = isSeq(v) ? v.items.map((x) => deref(doc, x)) : [v];
    for (const s of sources) {
      if (!isMap(s)) continue;
      const found = pairIn(doc, s, key, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

/** The node under `key` (aliases followed). */
export function nodeIn(doc: Document, map: YAMLMap | undefined, key: string): Node | undefined {
  const p = pairIn(doc, map, key);
  return p ? deref(doc, p.value) : undefined;
}

/** The mapping under `key`, if it is one. */
export function mapIn(doc: Document, map: YAMLMap | undefined, key: string): YAMLMap | undefined {
  const n = nodeIn(doc, map, key);
  return isMap(n) ? n : undefined;
}

/** Record key extents and report duplicate keys (checked here in one pass: yaml's own check is quadratic). */
export function walkKeys(node: unknown, extents: Map<number, number>, index: LineIndex, seen: Set<unknown>, problems: ComposeProblem[]): void {
  if (!node || seen.has(node) || isAlias(node)) return;
  seen.add(node);
  if (isMap(node)) {
    const names = new Set<string>();
    for (const p of node.items) {
      const k = p.key as ParsedNode | null;
      const v = p.value as ParsedNode | null;
      const name = isPair(p) && !isMergeKey(p) ? keyName(p) : undefined;
      // JavaScript objects (and Compose's Go maps of strings) cannot key by a list or mapping: it would be stringified
      if (isMap(k) || isSeq(k)) problems.push({ message: 'Invalid Compose file: a key must be a plain value, not a list or a mapping; write it as a string.', range: yamlRange(index, k.range) });
      if (name !== undefined) {
        if (names.has(name)) problems.push({ message: `Invalid YAML: the key \`${name}\` appears twice in this mapping; Compose rejects duplicate keys.`, range: yamlRange(index, k?.range) });
        names.add(name);
      }
      if (k?.range) {
        const line = index.positionAt(k.range[0]).line;
        const end = v?.range ? v.range[1] : k.range[1];
        extents.set(line, Math.max(extents.get(line) ?? 0, end));
      }
      walkKeys(v, extents, index, seen, problems);
    }
  } else if (isSeq(node)) {
    for (const item of node.items) walkKeys(item, extents, index, seen, problems);
  }
}

/**
 * How many nodes the document holds once every alias is replaced by a copy of its anchor (merge keys are aliases),
 * stopping early past `limit`. Linear in the written document: each node's expanded size is computed once.
 */
export function expandedNodeCount(doc: Document, limit = MAX_EXPANDED_NODES): number {
  return expandedSize([doc.contents], aliasTargetsOf(doc), limit);
}

/** The expanded node count of some nodes of a document whose aliases lead to `targets` (see expandedNodeCount). */
export function expandedSize(nodes: unknown[], targets: Map<Alias, Node>, limit = MAX_EXPANDED_NODES): number {
  const memo = new Map<unknown, number>();
  const open = new Set<unknown>();
  const size = (node: unknown): number => {
    if (!node || typeof node !== 'object') return 1;
    const known = memo.get(node);
    if (known !== undefined) return known;
    // an alias inside its own anchor becomes a reference to the same object, not a copy
    if (open.has(node)) return 1;
    open.add(node);
    let n = 1;
    if (isAlias(node)) n = size(targets.get(node));
    else if (isMap(node)) { for (const p of node.items) { n += size(p.key) + size(p.value); if (n > limit) break; } }
    else if (isSeq(node)) { for (const item of node.items) { n += size(item); if (n > limit) break; } }
    open.delete(node);
    memo.set(node, n);
    return n;
  };
  let total = 0;
  for (const n of nodes) total += size(n);
  return total;
}

function firstLine(message: string): string {
  const first = message.split('\n')[0];
  const at = /at line \d+, column \d+:?$/.exec(first);
  return at && at.index > 0 && isBlank(first[at.index - 1]) ? first.slice(0, at.index).trimEnd() : first;
}

/** Compose's own tags: yaml cannot resolve them, but they are data for the merge, not mistakes. */
const COMPOSE_TAGS = /^Unresolved tag: !(reset|override)$/;

/** yaml's warnings (unknown tags and directives, ambiguous anchors, flow indentation) as problems. */
function warningProblems(doc: Document.Parsed, index: LineIndex): ComposeProblem[] {
  return doc.warnings
    .filter((w) => !(w.code === 'TAG_RESOLVE_FAILED' && COMPOSE_TAGS.test(firstLine(w.message))))
    .map((w) => {
      const m = firstLine(w.message);
      const extra = w.code === 'TAG_RESOLVE_FAILED' ? '; Compose understands only `!reset` and `!override`' : '';
      return { message: `YAML: ${m}${extra}.`, range: yamlRange(index, w.pos), severity: 'warning' as const };
    });
}

const isEmptyDocument = (doc: Document.Parsed) => doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null);

/**
 * Several documents in one file: recent Compose releases merge them in order, as separate `-f` files, while older ones
 * kept only one, so the same file gives different stacks. Empty documents (a trailing `---`) do not count.
 */
function severalDocuments(text: string, docs: Document.Parsed[], index: LineIndex): ComposeProblem | undefined {
  const real = docs.filter((d) => !isEmptyDocument(d));
  if (real.length < 2) return undefined;
  const start = real[1].range[0];
  const marker = text.startsWith('---', start) ? [start, start + 3] : real[1].contents?.range;
  return {
    message: `This file holds ${real.length} YAML documents; not every Compose release merges them (some read only one), so put each in its own file and pass them with \`-f\`.`,
    range: yamlRange(index, marker), severity: 'info',
  };
}

/**
 * YAML 1.1 merge keys are part of how Compose files are written; unknown tags (!reset, !override) stay as data.
 * logLevel 'error': yaml's warnings become problems instead of process warnings printed on stderr.
 */
export const YAML_OPTIONS = { merge: true, prettyErrors: false, uniqueKeys: false, logLevel: 'error' } as const;

/** The LSP range of a node (or of a [start, end] offset pair). */
function rangeIn(index: LineIndex, node: { range?: readonly number[] | null } | readonly number[] | null | undefined): Range {
  if (!node) return ZERO;
  if (Array.isArray(node)) return yamlRange(index, node as readonly number[]);
  return yamlRange(index, (node as { range?: readonly number[] | null }).range);
}

/** Parse a compose file. Never throws: syntax errors and alias bombs become problems. */
export function parseCompose(text: string): ParsedCompose {
  const index = new LineIndex(text);
  const problems: ComposeProblem[] = [];
  const range = (node: { range?: readonly number[] | null } | readonly number[] | null | undefined) => rangeIn(index, node);
  if (text.length > MAX_COMPOSE_CHARS) {
    const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
    problems.push({ message: `This file is ${mb(text.length)}, more than the ${mb(MAX_COMPOSE_CHARS)} Hullcheck parses as compose; it was not checked.`, range: ZERO });
    return composeResult(text, index, [], problems, [], [], new Map());
  }
  const documents = parseAllDocuments(text, YAML_OPTIONS) as unknown as Document.Parsed[];
  const docs = Array.isArray(documents) ? documents : [];
  for (const doc of docs) {
    for (const e of doc.errors) problems.push({ message: `Invalid YAML: ${firstLine(e.message)}.`, range: yamlRange(index, e.pos) });
    problems.push(...warningProblems(doc, index));
  }
  const several = severalDocuments(text, docs, index);
  if (several) problems.push(several);
  const values: (unknown | undefined)[] = [];
  const services: ComposeService[] = [];
  const keyExtents = new Map<number, number>();
  for (const doc of docs) {
    let value: unknown;
    if (doc.errors.length === 0) {
      try {
        const nodes = expandedNodeCount(doc);
        if (nodes > MAX_EXPANDED_NODES) throw new Error(`its aliases expand to more than ${MAX_EXPANDED_NODES.toLocaleString('en-US')} nodes, which only an alias bomb needs`);
        value = doc.toJS({ maxAliasCount: -1 });
      } catch (e) {
        problems.push({ message: `The YAML cannot be read: ${(e as Error).message}.`, range: range(doc.contents) });
        value = undefined;
      }
    }
    values.push(value);
    walkKeys(doc.contents, keyExtents, index, new Set(), problems);
    const root = doc.contents;
    if (!isMap(root) || value === undefined) continue;
    const svcPair = root.items.find((p) => keyName(p) === 'services');
    const svcMap = svcPair ? deref(doc, svcPair.value) : undefined;
    if (!isMap(svcMap)) continue;
    const resolved = ((value as Record<string, unknown>)?.services ?? {}) as Record<string, unknown>;
    for (const p of svcMap.items) {
      const name = keyName(p);
      if (name === undefined || !isPair(p)) continue;
      const node = deref(doc, p.value);
      const v = resolved[name];
      services.push({
        name, pair: p, doc, keyRange: range(p.key as ParsedNode),
        node: isMap(node) ? node : undefined,
        value: v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {},
      });
    }
  }
  return composeResult(text, index, docs, problems, values, services, keyExtents);
}

/** The ParsedCompose of parts already computed (a full parse, or a later version rebuilt from an earlier one). */
export function composeResult(
  text: string, index: LineIndex, documents: Document.Parsed[], problems: ComposeProblem[], values: (unknown | undefined)[],
  services: ComposeService[], keyExtents: Map<number, number>,
): ParsedCompose {
  return {
    text, index, documents, problems, values, services, keyExtents,
    range: (node) => rangeIn(index, node),
    service: (name) => {
      // a later document's service of the same name wins, as when Compose merges documents
      for (let i = services.length - 1; i >= 0; i--) if (services[i].name === name) return services[i];
      return undefined;
    },
  };
}
