// Build-variable scoping shared by the BuildKit-parity rules: which ARG/ENV names are visible where,
// variable references with their expansion modifiers, FROM-line expansion with global ARG defaults,
// image-reference validation and "did you mean" suggestions.

import type { Instr, ParsedDockerfile, Stage } from '../../parse/dockerfile';

/** Platform args BuildKit defines for every build: usable in FROM, and in a stage once `ARG NAME` re-declares them. */
export const PLATFORM_ARGS = new Set(['TARGETPLATFORM', 'TARGETOS', 'TARGETARCH', 'TARGETVARIANT',
  'BUILDPLATFORM', 'BUILDOS', 'BUILDARCH', 'BUILDVARIANT', 'TARGETSTAGE']);

/** Proxy args Docker predefines; they reach RUN without a declaration, so references are not reported. */
export const PROXY_ARGS = new Set(['HTTP_PROXY', 'HTTPS_PROXY', 'FTP_PROXY', 'NO_PROXY', 'ALL_PROXY',
  'http_proxy', 'https_proxy', 'ftp_proxy', 'no_proxy', 'all_proxy']);

/** Plausible stand-in values for the platform args when an expression must be evaluated statically. */
const PLATFORM_SAMPLE: Record<string, string> = {
  TARGETPLATFORM: 'linux/amd64', TARGETOS: 'linux', TARGETARCH: 'amd64', TARGETVARIANT: '',
  BUILDPLATFORM: 'linux/amd64', BUILDOS: 'linux', BUILDARCH: 'amd64', BUILDVARIANT: '', TARGETSTAGE: '',
};

export interface Ref {
  name: string;
  /** Offsets relative to the scanned text. */
  start: number;
  end: number;
  /** `-`, `:-`, `+`, `:+`, `?`, `:?` … or '' for a plain reference. */
  modifier: string;
  /** The word after the modifier (`${A:-word}`), raw. */
  word: string;
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

/**
 * Variable references as Docker's word expansion sees them: `$NAME`, `${NAME}`, `${NAME<mod>word}`. Single-quoted
 * text and escaped `$` are skipped. Offsets are relative to `text`.
 */
export function scanRefs(text: string, escapeChar = '\\'): Ref[] {
  const out: Ref[] = [];
  // every reference starts with `$`; most instruction texts have none
  if (!text.includes('$')) return out;
  let inSingle = false;
  let inDouble = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === escapeChar && !inSingle) { i++; continue; }
    if (c === "'" && !inDouble) { inSingle = !inSingle; continue; }
    if (c === '"' && !inSingle) { inDouble = !inDouble; continue; }
    if (c !== '$' || inSingle) continue;
    const next = text[i + 1];
    if (next === '{') {
      let j = i + 2;
      if (!NAME_START.test(text[j] ?? '')) continue;
      while (j < text.length && NAME_CHAR.test(text[j])) j++;
      const name = text.slice(i + 2, j);
      const close = findClose(text, j);
      if (close < 0) continue;
      const inner = text.slice(j, close);
      const m = /^(:?[-+?=]|#{1,2}|%{1,2})?([\s\S]*)$/.exec(inner);
      out.push({ name, start: i, end: close + 1, modifier: m?.[1] ?? '', word: m?.[2] ?? '' });
      i = close;
    } else if (next !== undefined && NAME_START.test(next)) {
      let j = i + 1;
      while (j < text.length && NAME_CHAR.test(text[j])) j++;
      out.push({ name: text.slice(i + 1, j), start: i, end: j, modifier: '', word: '' });
      i = j - 1;
    }
  }
  return out;
}

/** The `}` that closes a `${` whose name ends at `from`, honouring nested `${…}`. */
function findClose(text: string, from: number): number {
  let depth = 0;
  for (let k = from; k < text.length; k++) {
    if (text[k] === '$' && text[k + 1] === '{') { depth++; k++; continue; }
    if (text[k] === '}') { if (depth === 0) return k; depth--; }
  }
  return -1;
}

/** Whether a reference handles the unset case itself (`${A:-x}`, `${A+x}`), so being undefined is deliberate. */
export function hasFallback(ref: Ref): boolean {
  return ref.modifier === '-' || ref.modifier === ':-' || ref.modifier === '+' || ref.modifier === ':+';
}

export interface Expansion { result: string; matched: Set<string>; unmatched: Set<string> }

/**
 * Expand a word the way BuildKit expands FROM lines: quotes removed, `$A`/`${A}` and the `-`, `+` and `?`
 * modifiers applied with the given values. Unknown names expand to ''.
 */
export function expandWord(text: string, env: Map<string, string>, escapeChar = '\\'): Expansion {
  const matched = new Set<string>();
  const unmatched = new Set<string>();
  const expand = (s: string): string => {
    let out = '';
    let inSingle = false;
    let inDouble = false;
    for (let i = 0; i < s.length; i++) {
      const c = s[i];
      if (c === escapeChar && !inSingle && i + 1 < s.length) { out += s[i + 1]; i++; continue; }
      if (c === "'" && !inDouble) { inSingle = !inSingle; continue; }
      if (c === '"' && !inSingle) { inDouble = !inDouble; continue; }
      if (c !== '$' || inSingle) { out += c; continue; }
      const [ref] = scanRefs(s.slice(i), escapeChar);
      if (!ref || ref.start !== 0) { out += c; continue; }
      const set = env.has(ref.name);
      (set ? matched : unmatched).add(ref.name);
      const value = env.get(ref.name) ?? '';
      const nonEmpty = value !== '';
      switch (ref.modifier) {
        case '-': out += set ? value : expand(ref.word); break;
        case ':-': out += nonEmpty ? value : expand(ref.word); break;
        case '+': out += set ? expand(ref.word) : ''; break;
        case ':+': out += nonEmpty ? expand(ref.word) : ''; break;
        default: out += value;
      }
      i += ref.end - 1;
    }
    return out;
  };
  return { result: expand(text), matched, unmatched };
}

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

/**
 * Global ARG values with only their defaults (no --build-arg), evaluated in order like BuildKit does, plus
 * sample values for the platform args. Names declared without a default are present with value ''.
 */
export function globalArgDefaults(parsed: ParsedDockerfile): { values: Map<string, string>; declared: Set<string> } {
  const values = new Map<string, string>(Object.entries(PLATFORM_SAMPLE));
  const declared = new Set<string>();
  for (const instr of parsed.globalArgs) {
    for (const a of argNames(instr, parsed)) {
      declared.add(a.name);
      if (a.value !== undefined) values.set(a.name, expandWord(a.value, values, parsed.escapeChar).result);
      else if (!values.has(a.name)) values.set(a.name, '');
    }
  }
  return { values, declared };
}

/** Names visible at the end of each stage (its ENV keys and declared ARGs, inherited through FROM <stage>). */
export function stageExitScopes(parsed: ParsedDockerfile): Map<Stage, Set<string>> {
  const out = new Map<Stage, Set<string>>();
  for (const stage of parsed.stages) {
    const names = new Set<string>(stage.parent ? out.get(stage.parent) ?? [] : []);
    for (const i of stage.instructions) {
      if (i.keyword === 'ENV') for (const n of envNames(i)) names.add(n);
      else if (i.keyword === 'ARG') for (const a of argNames(i, parsed)) names.add(a.name);
    }
    out.set(stage, names);
  }
  return out;
}

const REF_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const REF_DOMAIN = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::[0-9]+)?$/;
const REF_TAG = /^[\w][\w.-]{0,127}$/;
const REF_DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;

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
