// Readers of the declarations in ARG, ENV and LABEL instructions (names with their values as written), image-reference
// validation and "did you mean" suggestions. Scopes are in scope.ts, references and their expansion in expansion.ts.

import type { Instr, ParsedDockerfile } from '../../parse/dockerfile';

/** Whitespace-separated words of an instruction's arguments, quotes and escapes kept; offsets into the document. */
export function rawWords(parsed: ParsedDockerfile, instr: Instr): { text: string; start: number; end: number }[] {
  const base = instr.endOffset - instr.argsText.length;
  const s = instr.argsText;
  const out: { text: string; start: number; end: number }[] = [];
  let i = 0;
  while (i < s.length) {
    while (i < s.length && /\s/.test(s[i])) i++;
    if (i >= s.length) break;
    const start = i;
    let quote = '';
    while (i < s.length) {
      const c = s[i];
      if (quote) { if (c === quote) quote = ''; else if (c === parsed.escapeChar && quote === '"') i++; }
      else if (c === '"' || c === "'") quote = c;
      else if (c === parsed.escapeChar) i++;
      else if (/\s/.test(c)) break;
      i++;
    }
    out.push({ text: s.slice(start, i), start: base + start, end: base + Math.min(i, s.length) });
  }
  return out;
}

/** `NAME[=value]` declarations of an ARG instruction (several may share one line); values raw, quotes kept. */
export function argNames(instr: Instr, parsed?: ParsedDockerfile): { name: string; value: string | undefined; valueStart: number }[] {
  const words = parsed ? rawWords(parsed, instr) : instr.args.map((a) => ({ text: a.value, start: -1, end: -1 }));
  const out: { name: string; value: string | undefined; valueStart: number }[] = [];
  for (const w of words) {
    const eq = w.text.indexOf('=');
    const name = eq < 0 ? w.text : w.text.slice(0, eq);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) continue;
    out.push({ name, value: eq < 0 ? undefined : w.text.slice(eq + 1), valueStart: eq < 0 ? -1 : w.start + eq + 1 });
  }
  return out;
}

/** Keys an ENV instruction sets. */
export function envNames(instr: Instr): string[] {
  const props = (instr.node as unknown as { getProperties?: () => { getName(): string }[] }).getProperties?.() ?? [];
  return props.map((p) => p.getName());
}

const REF_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const REF_DOMAIN = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::[0-9]+)?$/;
const REF_TAG = /^[\w][\w.-]{0,127}$/;
const REF_DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;

/** ARG names an instruction declares, with their default value text (undefined when bare). */
export function argDecls(instr: Instr): { name: string; value: string | undefined }[] {
  const props = (instr.node as unknown as { getProperties?: () => { getName(): string; getValue(): string | null }[] }).getProperties?.() ?? [];
  return props.map((p) => ({ name: p.getName(), value: p.getValue() ?? undefined }));
}

/** Keyed properties of ENV/LABEL with the value exactly as written (quotes kept). */
export function keyedProps(parsed: ParsedDockerfile, instr: Instr): { key: string; raw: string; legacy: boolean }[] {
  type P = { getName(): string; getValueRange(): { start: { line: number; character: number }; end: { line: number; character: number } } | null; getAssignmentOperator(): string | null };
  const props = (instr.node as unknown as { getProperties?: () => P[] }).getProperties?.() ?? [];
  return props.map((p) => {
    const r = p.getValueRange();
    const raw = r ? parsed.text.slice(parsed.index.offsetAt(r.start), parsed.index.offsetAt(r.end)) : '';
    return { key: p.getName(), raw, legacy: p.getAssignmentOperator() === null };
  });
}

/** Whether a string is a syntactically valid image reference (`[domain/]path[:tag][@digest]`). */
export function isValidImageRef(ref: string): boolean {
  if (!ref) return false;
  let rest = ref;
  const at = rest.indexOf('@');
  if (at >= 0) {
    if (!REF_DIGEST.test(rest.slice(at + 1))) return false;
    rest = rest.slice(0, at);
  }
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.indexOf(':', lastSlash + 1);
  if (colon >= 0) {
    if (!REF_TAG.test(rest.slice(colon + 1))) return false;
    rest = rest.slice(0, colon);
  }
  const parts = rest.split('/');
  // the first part is a registry when it looks like a host (has a dot or port, or is localhost)
  if (parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === 'localhost' || /[A-Z]/.test(parts[0]))) {
    if (!REF_DOMAIN.test(parts.shift()!)) return false;
  }
  return parts.length > 0 && parts.every((p) => REF_COMPONENT.test(p));
}

/**
 * The candidate closest to `name` by edit distance (a swap of two neighbours counts as one edit), when it is
 * within `limit` edits (default: a third of the name's length).
 */
export function suggestName(name: string, candidates: Iterable<string>, limit = Math.max(1, Math.floor(name.length / 3))): string | undefined {
  let best: string | undefined;
  let bestDist = Infinity;
  for (const c of candidates) {
    if (c === name) continue;
    const d = c.toLowerCase() === name.toLowerCase() ? 0.5 : editDistance(name, c, limit);
    if (d <= limit && d < bestDist) { best = c; bestDist = d; }
  }
  return best;
}

function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, k) => k);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length];
}
