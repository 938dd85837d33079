// A compose file's next version parsed from its previous one: when an edit stays inside one service of the
// top-level `services` block, only that service's lines are parsed again and the rest of the previous parse is
// kept (its later nodes moved by the edit's length); services whose aliases name the edited service's anchors are
// read again. Anything this cannot prove equal to a full parse falls back to parseCompose: YAML errors or warnings,
// duplicate keys, several documents, an anchor of the service named by an alias outside the services, an alias in it
// naming no anchor before it, an edit that moves or renames the service's key, adds a sibling, changes the blank and
// comment lines before the next service, or reaches another service or the last one. The property test
// test/unit/composeIncremental.test.ts compares both over random edits of the corpus.

import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, type Alias, type Document, type Node, type Pair, type ParsedNode, type YAMLMap } from 'yaml';
import { LineIndex } from '../core/text';
import {
  aliasTargetsOf, composeResult, expandedNodeCount, expandedSize, keyName, MAX_COMPOSE_CHARS, MAX_EXPANDED_NODES, parseCompose,
  setAliasTargets, walkKeys, yamlRange, YAML_OPTIONS, type ComposeProblem, type ComposeService, type ParsedCompose,
} from './compose';

/** What a parse must offer for its next version to be built from it, found once per parse. */
interface Reusable {
  /** Index of the `services` pair among the root mapping's items. */
  servicesAt: number;
  servicesMap: YAMLMap;
  /** Start offset of each service's block: the start of its key's line. */
  starts: number[];
  /** The root value and its `services` object (as toJS gave them). */
  root: Record<string, unknown>;
  services: Record<string, unknown>;
  /** How many aliases name each anchor, over the whole document. */
  aliasUses: Map<string, number>;
  /** The document's node count with aliases expanded (expandedNodeCount). */
  expanded: number;
}

const reusable = new WeakMap<ParsedCompose, Reusable | null>();

/** The parse of `text`, built from `previous` (the same document's parse before an edit) where that is sound. */
export function parseComposeFrom(previous: ParsedCompose | undefined, text: string): ParsedCompose {
  if (previous && !previous.retired && text.length <= MAX_COMPOSE_CHARS) {
    const next = reparseService(previous, text);
    if (next) return next;
  }
  return parseCompose(text);
}

/** Whether a parse can be the base of the next one, and its services' block starts. */
function reusableOf(p: ParsedCompose): Reusable | null {
  let r = reusable.get(p);
  if (r !== undefined) return r;
  r = null;
  const doc = p.documents[0];
  const root = doc?.contents;
  const value = p.values[0] as Record<string, unknown> | undefined;
  // one document with nothing reported: no errors, warnings, duplicate keys or alias bombs
  if (p.documents.length === 1 && p.problems.length === 0 && doc.errors.length === 0 && doc.warnings.length === 0
    && isMap(root) && !root.flow && !root.tag && !root.anchor && value && typeof value === 'object') {
    const servicesAt = root.items.findIndex((x) => keyName(x) === 'services');
    const map = servicesAt >= 0 ? root.items[servicesAt].value : undefined;
    const services = value.services as Record<string, unknown> | undefined;
    if (isMap(map) && !map.flow && !map.tag && !map.anchor && map.items.length > 1 && services && typeof services === 'object' && !Array.isArray(services)) {
      const starts: number[] = [];
      let ok = true;
      for (const item of map.items) {
        const key = item.key as ParsedNode | null;
        const start = isScalar(key) && typeof key.value === 'string' && key.value !== '__proto__' && !key.tag && !key.anchor && key.range ? lineStartBefore(p.text, key.range[0]) : -1;
        if (start < 0) { ok = false; break; }
        starts.push(start);
      }
      const aliasUses = new Map<string, number>();
      for (const a of aliasTargetsOf(doc).keys()) aliasUses.set(a.source, (aliasUses.get(a.source) ?? 0) + 1);
      if (ok) r = { servicesAt, servicesMap: map, starts, root: value, services, aliasUses, expanded: aliasUses.size ? expandedNodeCount(doc) : 0 };
    }
  }
  reusable.set(p, r);
  return r;
}

/**
 * The start of the line holding `offset` when only spaces precede it there, else -1. Lines end at LF (a CR before it
 * belongs to the line break; YAML reads a lone CR as content).
 */
function lineStartBefore(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text.charCodeAt(i - 1) === 32) i--;
  return i === 0 || text.charCodeAt(i - 1) === 10 ? i : -1;
}

/**
 * Where the blank and comment-only lines that end a block (before the next service's key) start: they belong to the
 * next key (its `spaceBefore`, `commentBefore`), so an edit there is not inside the block.
 */
function gapStart(text: string, start: number, end: number): number {
  let gap = end;
  while (gap > start) {
    // the line ending just before `gap`
    let ls = gap - 1;
    while (ls > start && text.charCodeAt(ls - 1) !== 10) ls--;
    const line = text.slice(ls, gap).trim();
    if (line !== '' && !line.startsWith('#')) break;
    gap = ls;
  }
  return gap;
}

/** The anchored nodes written before service `before` (the last of each name), as an alias there resolves them. */
function anchorsBefore(root: YAMLMap, servicesAt: number, before: number): Map<string, Node> {
  const out = new Map<string, Node>();
  const walk = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    if (isPair(n)) { walk(n.key); walk(n.value); return; }
    if (isAlias(n)) return;
    const a = (n as { anchor?: string }).anchor;
    if (a) out.set(a, n as Node);
    if (isMap(n) || isSeq(n)) for (const item of n.items) walk(item);
  };
  for (let j = 0; j < servicesAt; j++) walk(root.items[j]);
  walk(root.items[servicesAt].key);
  const services = root.items[servicesAt].value as YAMLMap;
  for (let j = 0; j < before; j++) walk(services.items[j]);
  return out;
}

/** The anchors and aliases of a subtree (aliases are not followed). */
function anchorsAndAliases(n: unknown, anchors: Set<string>, aliases: Alias[]): void {
  if (!n || typeof n !== 'object') return;
  if (isPair(n)) { anchorsAndAliases(n.key, anchors, aliases); anchorsAndAliases(n.value, anchors, aliases); return; }
  if (isAlias(n)) { aliases.push(n); return; }
  const a = (n as { anchor?: string }).anchor;
  if (a) anchors.add(a);
  if (isMap(n) || isSeq(n)) for (const item of n.items) anchorsAndAliases(item, anchors, aliases);
}

function reparseService(prev: ParsedCompose, text: string): ParsedCompose | undefined {
  const base = reusableOf(prev);
  if (!base) return undefined;
  const old = prev.text;
  if (old === text) return undefined;
  // the edit: old[from, oldTo) became text[from, oldTo + delta)
  const min = Math.min(old.length, text.length);
  let from = 0;
  while (from < min && old.charCodeAt(from) === text.charCodeAt(from)) from++;
  let tail = 0;
  while (tail < min - from && old.charCodeAt(old.length - 1 - tail) === text.charCodeAt(text.length - 1 - tail)) tail++;
  const oldTo = old.length - tail;
  const delta = text.length - old.length;
  // the service whose block holds the edit; the last service's block has no sure end, so it is parsed in full
  const { starts } = base;
  let i = starts.length - 1;
  while (i >= 0 && starts[i] > from) i--;
  if (i < 0 || i >= starts.length - 1) return undefined;
  const blockStart = starts[i];
  const blockEnd = starts[i + 1];
  const oldGap = gapStart(old, blockStart, blockEnd);
  if (oldTo >= oldGap) return undefined;
  // the blank and comment lines before the next key are the same after the edit
  const newGap = gapStart(text, blockStart, blockEnd + delta);
  if (newGap - blockStart !== oldGap - blockStart + delta) return undefined;
  const oldPair = base.servicesMap.items[i] as Pair<ParsedNode, ParsedNode | null>;
  const name = keyName(oldPair)!;

  const block = parseAllDocuments(text.slice(blockStart, newGap), YAML_OPTIONS) as unknown as Document.Parsed[];
  if (!Array.isArray(block) || block.length !== 1) return undefined;
  const bdoc = block[0];
  const bmap = bdoc.contents;
  if (bdoc.errors.length || bdoc.warnings.length || !isMap(bmap) || bmap.flow || bmap.tag || bmap.anchor || bmap.items.length !== 1) return undefined;
  const pair = bmap.items[0] as Pair<ParsedNode, ParsedNode | null>;
  const key = pair.key;
  // the same service, its key where it was: the edit is inside its block, and the services around it are untouched
  if (!isScalar(key) || key.value !== name || key.tag || key.anchor || !key.range || key.range[0] + blockStart !== oldPair.key.range[0]) return undefined;
  // the anchors of the old or new block that aliases elsewhere name: the services holding those aliases after the
  // block are read again (aliases written before it cannot name it); one outside the services is parsed in full
  const oldAnchors = new Set<string>(); const oldAliases: Alias[] = [];
  anchorsAndAliases(oldPair, oldAnchors, oldAliases);
  const newAnchors = new Set<string>(); const newAliases: Alias[] = [];
  anchorsAndAliases(pair, newAnchors, newAliases);
  const blockUses = new Map<string, number>();
  for (const a of oldAliases) blockUses.set(a.source, (blockUses.get(a.source) ?? 0) + 1);
  const crossing = new Set([...oldAnchors, ...newAnchors].filter((n) => (base.aliasUses.get(n) ?? 0) > (blockUses.get(n) ?? 0)));
  const reread = new Set<number>();
  if (crossing.size) {
    const rootItems = (prev.documents[0].contents as YAMLMap).items;
    const names = (n: unknown) => { const a: Alias[] = []; anchorsAndAliases(n, new Set(), a); return a.some((x) => crossing.has(x.source)); };
    for (let j = base.servicesAt + 1; j < rootItems.length; j++) if (names(rootItems[j])) return undefined;
    for (let j = i + 1; j < base.servicesMap.items.length; j++) if (names(base.servicesMap.items[j])) reread.add(j);
  }
  const prevTargets = aliasTargetsOf(prev.documents[0]);
  // the new block's aliases name an anchor of its own, or the last one written before it (`<<: *defaults`)
  const blockTargets = new Map(aliasTargetsOf(bdoc));
  const external = newAliases.filter((a) => !blockTargets.has(a));
  if (external.length) {
    const before = anchorsBefore(prev.documents[0].contents as YAMLMap, base.servicesAt, i);
    for (const a of external) {
      const target = before.get(a.source);
      if (!target) return undefined;
      blockTargets.set(a, target);
    }
  }
  let expanded = 0;
  // a first alias makes the expanded size matter: the full parse counts it
  if (base.aliasUses.size === 0 && newAliases.length) return undefined;
  if (base.aliasUses.size && !crossing.size) {
    expanded = base.expanded - expandedSize([oldPair.key, oldPair.value], prevTargets) + expandedSize([pair.key, pair.value], blockTargets);
    if (expanded > MAX_EXPANDED_NODES) return undefined;
  }
  let value: unknown;
  if (!external.length) {
    try { value = (bdoc.toJS({ maxAliasCount: -1 }) as Record<string, unknown>)[name]; } catch { return undefined; }
  }

  // the block's offsets become the text's; the later nodes move by the edit's length
  shiftTree(bmap, 0, blockStart);
  if (oldPair.key.spaceBefore) key.spaceBefore = true;
  if (oldPair.key.commentBefore !== undefined) key.commentBefore = oldPair.key.commentBefore;
  const after = blockEnd;
  const items = base.servicesMap.items.slice();
  items[i] = pair as Pair;
  for (let j = i + 1; j < items.length; j++) shiftPair(items[j], after, delta);
  const rootOld = prev.documents[0].contents as YAMLMap;
  const rootItems = rootOld.items.slice();
  for (let j = base.servicesAt + 1; j < rootItems.length; j++) shiftPair(rootItems[j], after, delta);
  const servicesMap = cloneWith(base.servicesMap, { items, range: moved(base.servicesMap.range, after, delta) });
  rootItems[base.servicesAt] = cloneWith(rootItems[base.servicesAt], { value: servicesMap });
  const root = cloneWith(rootOld, { items: rootItems, range: moved(rootOld.range, after, delta) });
  const doc = cloneWith(prev.documents[0], { contents: root as unknown as ParsedNode, range: moved(prev.documents[0].range, after, delta) });
  if (!crossing.size) {
    const targets = new Map<Alias, Node>();
    const gone = new Set<Alias>(oldAliases);
    for (const [a, t] of prevTargets) if (!gone.has(a)) targets.set(a, t);
    for (const [a, t] of blockTargets) targets.set(a, t);
    setAliasTargets(doc, targets);
  }
  // the previous parse's later nodes now hold this text's offsets
  prev.retired = true;
  const rereadValues = new Map<number, unknown>();
  if (crossing.size) {
    // every alias found again in the new document (aliasTargetsOf walks it), and the whole document counted
    expanded = expandedNodeCount(doc);
    if (expanded > MAX_EXPANDED_NODES) return undefined;
    try {
      for (const j of reread) rereadValues.set(j, items[j].value ? (items[j].value as Node).toJS(doc, { maxAliasCount: -1 }) : null);
    } catch { return undefined; }
  }
  if (external.length) {
    // resolved in the new document, where its aliases find the anchors before it
    try { value = pair.value ? (pair.value as Node).toJS(doc, { maxAliasCount: -1 }) : null; } catch { return undefined; }
  }

  const index = new LineIndex(text);
  const problems: ComposeProblem[] = [];
  const keyExtents = new Map<number, number>();
  walkKeys(doc.contents, keyExtents, index, new Set(), problems);
  const servicesValue = { ...base.services };
  servicesValue[name] = value;
  for (const [j, v] of rereadValues) servicesValue[keyName(items[j])!] = v;
  const rootValue = { ...base.root, services: servicesValue };
  const services: ComposeService[] = items.map((p, j) => {
    const node = j === i ? pair.value : p.value;
    const v = j === i ? value : rereadValues.has(j) ? rereadValues.get(j) : prev.services[j].value;
    const read = j === i || rereadValues.has(j);
    return {
      name: keyName(p)!, pair: p, doc, keyRange: yamlRange(index, (p.key as ParsedNode).range),
      node: isMap(node) ? node : undefined,
      value: read ? (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {}) : v as Record<string, unknown>,
    };
  });
  const next = composeResult(text, index, [doc], problems, [rootValue], services, keyExtents);
  const aliasUses = new Map(base.aliasUses);
  for (const a of oldAliases) aliasUses.set(a.source, aliasUses.get(a.source)! - 1);
  for (const a of newAliases) aliasUses.set(a.source, (aliasUses.get(a.source) ?? 0) + 1);
  for (const [n, c] of aliasUses) if (c <= 0) aliasUses.delete(n);
  if (problems.length === 0) {
    reusable.set(next, {
      servicesAt: base.servicesAt, servicesMap, starts: starts.map((s, j) => (j > i ? s + delta : s)), root: rootValue, services: servicesValue,
      aliasUses, expanded,
    });
  }
  return next;
}

/** Move every offset at or past `after` by `delta`, in a node and everything under it (no aliases: a tree). */
function shiftTree(n: unknown, after: number, delta: number): void {
  if (!n || typeof n !== 'object') return;
  if (isPair(n)) { shiftTree(n.key, after, delta); shiftTree(n.value, after, delta); return; }
  const r = (n as { range?: number[] | null }).range;
  if (r) for (let k = 0; k < r.length; k++) if (r[k] >= after) r[k] += delta;
  if (isMap(n) || isSeq(n)) for (const item of n.items) shiftTree(item, after, delta);
}

function shiftPair(p: unknown, after: number, delta: number): void {
  if (delta !== 0) shiftTree(p, after, delta);
}

/** A copy of a range with the offsets at or past `after` moved by `delta`. */
function moved<T extends readonly number[] | null | undefined>(r: T, after: number, delta: number): T {
  return (r ? r.map((x) => (x >= after ? x + delta : x)) : r) as T;
}

/** A shallow copy of a yaml object (its hidden node-type mark included) with some properties replaced. */
function cloneWith<T extends object>(o: T, patch: Partial<T>): T {
  const copy = Object.create(Object.getPrototypeOf(o), Object.getOwnPropertyDescriptors(o)) as T;
  return Object.assign(copy, patch);
}
