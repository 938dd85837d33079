// How Compose combines two definitions of a service (an override file over its base, or a service over the one it
// `extends`): mappings merge key by key, lists append, `command`/`entrypoint`/`healthcheck.test` are replaced,
// ports/volumes/secrets/configs stay unique, and `!reset` / `!override` clear or replace what came before.

import { isMap, isSeq, type Document, type Node, type YAMLMap } from 'yaml';
import { isMergeKey, keyName, deref } from '../parse/compose';

/** Paths (keys joined by '/') of the values tagged `!reset` or `!override`, from a document's root or inside a service. */
export type MergeTags = Map<string, 'reset' | 'override'>;

const tagOf = (doc: Document, n: unknown): 'reset' | 'override' | undefined => {
  // an alias carries the tag of the node it names
  const t = (n as Node | null)?.tag ?? deref(doc, n)?.tag;
  return t === '!reset' ? 'reset' : t === '!override' ? 'override' : undefined;
};

/**
 * Tag paths a document may hold: far more than any compose file writes, and a bound on the work an alias bomb
 * (each anchor's tags repeated by every alias to it) can cause.
 */
const MAX_TAG_PATHS = 10_000;

/** The tags under one mapping, relative to it; a merge key's sources count as written in the mapping (as Compose reads them). */
function relativeTags(doc: Document, node: YAMLMap, memo: Map<YAMLMap, [string, 'reset' | 'override'][]>, open: Set<YAMLMap>, depth: number, budget: { left: number }): [string, 'reset' | 'override'][] {
  const known = memo.get(node);
  if (known) return known;
  // an anchor inside itself, or nesting past what a compose file needs, adds nothing
  if (open.has(node) || depth > 16) return [];
  open.add(node);
  const out: [string, 'reset' | 'override'][] = [];
  const under = (prefix: string, v: unknown) => {
    const m = deref(doc, v);
    if (!isMap(m)) return;
    for (const [p, t] of relativeTags(doc, m, memo, open, depth + 1, budget)) {
      if (budget.left-- <= 0) return;
      out.push([prefix ? `${prefix}/${p}` : p, t]);
    }
  };
  for (const p of node.items) {
    if (isMergeKey(p)) {
      const v = deref(doc, p.value);
      for (const src of isSeq(v) ? v.items : [v]) under('', src);
      continue;
    }
    const key = keyName(p);
    if (key === undefined) continue;
    const tag = tagOf(doc, p.value);
    if (tag && budget.left-- > 0) out.push([key, tag]);
    // a reset value is dropped whole; an override keeps what is written inside it
    if (tag !== 'reset') under(key, p.value);
  }
  open.delete(node);
  memo.set(node, out);
  return out;
}

const documentTagCache = new WeakMap<Document, MergeTags>();

/** Every `!reset` / `!override` of a document, by path from its root (`services/web/ports`, `services/db`, `volumes/data`). */
export function documentTags(doc: Document | undefined): MergeTags {
  if (!doc) return new Map();
  let tags = documentTagCache.get(doc);
  if (!tags) {
    const root = deref(doc, doc.contents);
    tags = new Map(isMap(root) ? relativeTags(doc, root, new Map(), new Set(), 0, { left: MAX_TAG_PATHS }) : []);
    documentTagCache.set(doc, tags);
  }
  return tags;
}

/** The tags written inside one service of a document, relative to the service. */
export function serviceTags(doc: Document | undefined, service: string): MergeTags {
  const prefix = `services/${service}/`;
  const out: MergeTags = new Map();
  for (const [p, t] of documentTags(doc)) if (p.startsWith(prefix)) out.set(p.slice(prefix.length), t);
  return out;
}

/** How a document treats a whole node it names: `!reset` drops what earlier files wrote there, `!override` replaces it. */
export function nodeTag(doc: Document | undefined, ...path: string[]): 'reset' | 'override' | undefined {
  const tags = documentTags(doc);
  // a reset or override of a parent (`services: !reset`) covers everything under it
  for (let n = 1; n <= path.length; n++) {
    const t = tags.get(path.slice(0, n).join('/'));
    if (t) return t;
  }
  return undefined;
}

/** Keys whose list or mapping is a set of `K=V` pairs: merged by key. */
const KEYED = new Set(['environment', 'labels', 'annotations', 'sysctls', 'extra_hosts', 'build/args', 'build/labels', 'deploy/labels']);
/** Keys replaced wholesale by a later definition. */
const REPLACED = new Set(['command', 'entrypoint', 'healthcheck/test', 'build/dockerfile_inline']);

/** `K=V` lists (and `K: V` mappings) as mappings; a bare `K` maps to null (taken from the environment). */
export function keyedMapping(v: unknown, sep = '='): Record<string, unknown> {
  if (Array.isArray(v)) {
    const out: Record<string, unknown> = {};
    for (const e of v) {
      if (typeof e !== 'string') continue;
      const i = e.indexOf(sep);
      if (i < 0) out[e] = null; else out[e.slice(0, i)] = e.slice(i + 1);
    }
    return out;
  }
  return v && typeof v === 'object' ? { ...(v as Record<string, unknown>) } : {};
}

/** depends_on in its long form: `{ db: { condition, required, restart } }`. */
export function dependsOnMapping(v: unknown): Record<string, { condition: string; required: boolean; restart?: boolean }> {
  const out: Record<string, { condition: string; required: boolean; restart?: boolean }> = {};
  if (Array.isArray(v)) { for (const n of v) if (typeof n === 'string') out[n] = { condition: 'service_started', required: true }; return out; }
  if (!v || typeof v !== 'object') return out;
  for (const [n, d] of Object.entries(v as Record<string, unknown>)) {
    const o = d && typeof d === 'object' ? (d as Record<string, unknown>) : {};
    out[n] = {
      condition: typeof o.condition === 'string' ? o.condition : 'service_started',
      required: !(o.required === false || o.required === 'false'),
      ...(o.restart !== undefined ? { restart: o.restart === true || o.restart === 'true' } : {}),
    };
  }
  return out;
}

/** The identity of a list entry that must stay unique: a mount's target, a secret's or config's source. */
function uniqueKey(key: string, entry: unknown): string {
  if (key === 'volumes') {
    if (typeof entry === 'string') { const parts = entry.replace(/^[A-Za-z]:[\\/]/, '').split(':'); return parts.length > 1 ? parts[1] : parts[0]; }
    if (entry && typeof entry === 'object') return String((entry as { target?: unknown }).target);
  }
  if ((key === 'secrets' || key === 'configs') && entry && typeof entry === 'object') return String((entry as { source?: unknown }).source);
  return JSON.stringify(entry);
}

function mergeList(key: string, a: unknown[], b: unknown[]): unknown[] {
  if (key === 'volumes' || key === 'secrets' || key === 'configs' || key === 'ports' || key === 'profiles') {
    // a later entry with the same identity replaces the earlier one, in place
    const out = [...a];
    for (const e of b) {
      const k = uniqueKey(key, e);
      const at = out.findIndex((x) => uniqueKey(key, x) === k);
      if (at >= 0) out[at] = e; else out.push(e);
    }
    return out;
  }
  return [...a, ...b];
}

function mergeValue(path: string, a: unknown, b: unknown, tags: MergeTags): unknown {
  const key = path.slice(path.lastIndexOf('/') + 1);
  if (a === undefined || a === null || REPLACED.has(path)) return b;
  if (KEYED.has(path)) return mergeMaps(path, keyedMapping(a), keyedMapping(b), tags);
  if (path === 'depends_on') return mergeMaps(path, dependsOnMapping(a), dependsOnMapping(b), tags);
  if (Array.isArray(a) && Array.isArray(b)) return mergeList(key, a, b);
  const isObj = (v: unknown) => !!v && typeof v === 'object' && !Array.isArray(v);
  if (isObj(a) && isObj(b)) return mergeMaps(path, a as Record<string, unknown>, b as Record<string, unknown>, tags);
  // `build: .` over `build: { … }` and the reverse: a string build is its context
  if (key === 'build' && (typeof a === 'string' || typeof b === 'string')) {
    return mergeMaps(path, typeof a === 'string' ? { context: a } : (a as Record<string, unknown>), typeof b === 'string' ? { context: b } : (b as Record<string, unknown>), tags);
  }
  return b;
}

function mergeMaps(prefix: string, a: Record<string, unknown>, b: Record<string, unknown>, tags: MergeTags): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const path = prefix ? `${prefix}/${k}` : k;
    const tag = tags.get(path);
    if (tag === 'reset') { delete out[k]; continue; }
    out[k] = tag === 'override' ? v : mergeValue(path, out[k], v, tags);
  }
  return out;
}

/** `over` (with the tags written in it) laid over `base`, as Compose merges two definitions of one service. */
export function mergeService(base: Record<string, unknown>, over: Record<string, unknown>, tags: MergeTags = new Map()): Record<string, unknown> {
  return mergeMaps('', base, over, tags);
}

