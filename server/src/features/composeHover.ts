// Hover on compose keys: the key's description from the Compose Specification schema, found by walking the schema
// along the key path under the cursor (through $ref, oneOf/anyOf branches, patternProperties and items).

import { isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import type { Position, Range } from '../core/findings';
import { deref, keyName, type ParsedCompose } from '../parse/compose';
import { COMPOSE_SCHEMA } from '../model/composeSchema';

type Schema = Record<string, unknown>;

function resolveRef(s: Schema | undefined): Schema | undefined {
  let cur = s;
  for (let i = 0; i < 8 && cur && typeof cur.$ref === 'string'; i++) {
    const m = /^#\/definitions\/(.+)$/.exec(cur.$ref as string);
    cur = m ? ((COMPOSE_SCHEMA.definitions as Record<string, Schema>)[m[1]]) : undefined;
  }
  return cur;
}

/** Subschemas a value may follow (the schema itself plus its oneOf/anyOf/allOf branches, refs resolved). */
function variants(s: Schema | undefined, depth = 0): Schema[] {
  const r = resolveRef(s);
  if (!r || depth > 6) return [];
  const out = [r];
  for (const k of ['oneOf', 'anyOf', 'allOf']) {
    if (Array.isArray(r[k])) for (const b of r[k] as Schema[]) out.push(...variants(b, depth + 1));
  }
  return out;
}

function child(s: Schema | undefined, key: string | number): Schema | undefined {
  for (const v of variants(s)) {
    if (typeof key === 'number') {
      if (v.items && typeof v.items === 'object') return v.items as Schema;
      continue;
    }
    const props = v.properties as Record<string, Schema> | undefined;
    if (props?.[key]) return props[key];
    const pats = v.patternProperties as Record<string, Schema> | undefined;
    for (const [re, sub] of Object.entries(pats ?? {})) if (new RegExp(re).test(key)) return sub;
  }
  return undefined;
}

function description(s: Schema | undefined): string | undefined {
  if (!s) return undefined;
  if (typeof s.description === 'string') return s.description;
  for (const v of variants(s)) if (typeof v.description === 'string') return v.description;
  return undefined;
}

/** The key path of the mapping key under `offset`, with the key's node. */
function keyPathAt(parsed: ParsedCompose, offset: number): { path: (string | number)[]; key: Node } | undefined {
  for (const doc of parsed.documents) {
    const path: (string | number)[] = [];
    let node: Node | undefined = deref(doc, doc.contents);
    for (let depth = 0; node && depth < 64; depth++) {
      const inside = (n: unknown) => { const r = (n as { range?: number[] } | null)?.range; return !!r && r[0] <= offset && offset <= r[1]; };
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && (inside(p.key) || inside(p.value)));
        if (!pair) return undefined;
        const name = keyName(pair);
        if (name === undefined) return undefined;
        path.push(name);
        if (inside(pair.key)) return { path, key: pair.key as Node };
        node = deref(doc, pair.value);
      } else if (isSeq(node)) {
        const i = node.items.findIndex((x) => inside(x));
        if (i < 0) return undefined;
        path.push(i);
        node = deref(doc, node.items[i]);
      } else return undefined;
      if (isScalar(node)) return undefined;
    }
  }
  return undefined;
}

/** Markdown for the compose key at a position, or undefined when the cursor is not on a known key. */
export function composeKeyHover(parsed: ParsedCompose, position: Position): { markdown: string; range: Range } | undefined {
  const offset = parsed.index.offsetAt(position);
  const hit = keyPathAt(parsed, offset);
  if (!hit) return undefined;
  let s: Schema | undefined = COMPOSE_SCHEMA;
  for (const seg of hit.path) { s = child(s, seg); if (!s) return undefined; }
  const text = description(s);
  if (!text) return undefined;
  const name = hit.path[hit.path.length - 1];
  return { markdown: `**${String(name)}** (Compose)\n\n${text}`, range: parsed.range(hit.key) };
}
