// How Compose combines two definitions of a service (an override file over its base, or a service over the one it
// `extends`): mappings merge key by key, lists append, `command`/`entrypoint`/`healthcheck.test` are replaced,
// ports/volumes/secrets/configs stay unique, and `!reset` / `!override` clear or replace what came before.

import { isMap, type Document, type Node, type YAMLMap } from 'yaml';
import { isMergeKey, keyName, deref } from '../parse/compose';

/** Paths (keys joined by '/') of the values tagged `!reset` or `!override` inside one written service. */
export type MergeTags = Map<string, 'reset' | 'override'>;

/** The `!reset` / `!override` tags written inside a service mapping, by path. */
export function mergeTags(doc: Document, node: YAMLMap | undefined, prefix = '', out: MergeTags = new Map(), depth = 0): MergeTags {
  if (!node || depth > 8) return out;
  for (const p of node.items) {
    if (isMergeKey(p)) continue;
    const key = keyName(p);
    if (key === undefined) continue;
    const path = prefix ? `${prefix}/${key}` : key;
    const tag = (p.value as Node | null)?.tag;
    if (tag === '!reset') out.set(path, 'reset');
    else if (tag === '!override') out.set(path, 'override');
    const v = deref(doc, p.value);
    if (isMap(v)) mergeTags(doc, v, path, out, depth + 1);
  }
  return out;
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

