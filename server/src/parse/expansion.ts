// Build-variable references and their expansion as BuildKit's word processing does it: `$NAME`, `${NAME}` and the
// `-`, `:-`, `+`, `:+`, `?`, `:?` modifiers, quotes and escapes; plus the ARGs every build predefines. The one
// scanner and the one expander of the project: FROM lines, ARG/ENV values, package words and labels all use them.

/** Platform args BuildKit defines for every build: usable in FROM, and in a stage once `ARG NAME` re-declares them. */
export const PLATFORM_ARGS: ReadonlySet<string> = new Set(['TARGETPLATFORM', 'TARGETOS', 'TARGETOSVERSION', 'TARGETARCH',
  'TARGETVARIANT', 'BUILDPLATFORM', 'BUILDOS', 'BUILDOSVERSION', 'BUILDARCH', 'BUILDVARIANT', 'TARGETSTAGE']);

/** Proxy args Docker predefines (either case); they reach RUN without a declaration and stay out of the history. */
export const PROXY_ARGS: ReadonlySet<string> = new Set(['HTTP_PROXY', 'HTTPS_PROXY', 'FTP_PROXY', 'NO_PROXY', 'ALL_PROXY',
  'http_proxy', 'https_proxy', 'ftp_proxy', 'no_proxy', 'all_proxy']);

/**
 * Plausible stand-in values for the platform args when an expression must be evaluated statically (a build
 * without `--platform` or `--target` on an amd64 Linux machine).
 */
export const PLATFORM_SAMPLE: Readonly<Record<string, string>> = {
  TARGETPLATFORM: 'linux/amd64', TARGETOS: 'linux', TARGETOSVERSION: '', TARGETARCH: 'amd64', TARGETVARIANT: '',
  BUILDPLATFORM: 'linux/amd64', BUILDOS: 'linux', BUILDOSVERSION: '', BUILDARCH: 'amd64', BUILDVARIANT: '',
  TARGETSTAGE: 'default',
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
    const ref = refAt(text, i);
    if (!ref) continue;
    out.push(ref);
    i = ref.end - 1;
  }
  return out;
}

/** The reference starting with the `$` at `i`, if one does. */
function refAt(text: string, i: number): Ref | undefined {
  const next = text[i + 1];
  if (next === '{') {
    let j = i + 2;
    if (!NAME_START.test(text[j] ?? '')) return undefined;
    while (j < text.length && NAME_CHAR.test(text[j])) j++;
    const name = text.slice(i + 2, j);
    const close = findClose(text, j);
    if (close < 0) return undefined;
    const inner = text.slice(j, close);
    const m = /^(:?[-+?=]|#{1,2}|%{1,2})?([\s\S]*)$/.exec(inner);
    return { name, start: i, end: close + 1, modifier: m?.[1] ?? '', word: m?.[2] ?? '' };
  }
  if (next !== undefined && NAME_START.test(next)) {
    let j = i + 1;
    while (j < text.length && NAME_CHAR.test(text[j])) j++;
    return { name: text.slice(i + 1, j), start: i, end: j, modifier: '', word: '' };
  }
  return undefined;
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

export interface Expansion {
  result: string;
  /** Names looked up that had a value. */
  matched: Set<string>;
  /** Names looked up that were unset. */
  unmatched: Set<string>;
  /** True when the result depends on a value the file does not give: an unset name used without a fallback. */
  unresolved: boolean;
  /** True when the text held any variable reference. */
  hadVars: boolean;
}

export interface ExpandOptions {
  escapeChar?: string;
  /** Remove quotes as BuildKit does for instruction words (default); off for words a shell already unquoted. */
  quotes?: boolean;
  /** Leave a reference to an unset name as written instead of expanding it to '' (for words whose value matters). */
  keepUnset?: boolean;
}

export type Lookup = ReadonlyMap<string, string> | ((name: string) => string | undefined);

/**
 * Expand a word as BuildKit expands instruction arguments: quotes removed, escapes applied, `$A`/`${A}` and the
 * `-`, `+` and `?` modifiers applied with the given values (`#`/`%` patterns leave the value whole). Unset names
 * expand to '' (or stay as written with `keepUnset`).
 */
export function expandWord(text: string, env: Lookup, opts: ExpandOptions = {}): Expansion {
  const escapeChar = opts.escapeChar ?? '\\';
  const quotes = opts.quotes !== false;
  const get = typeof env === 'function' ? env : (n: string) => env.get(n);
  const matched = new Set<string>();
  const unmatched = new Set<string>();
  let unresolved = false;
  let hadVars = false;
  const expand = (s: string): string => {
    if (!s.includes('$') && !(quotes && /["'\\`]/.test(s))) return s;
    let out = '';
    let inSingle = false;
    let inDouble = false;
    for (let i = 0; i < s.length; i++) {
      const c = s[i];
      if (c === escapeChar && !inSingle && i + 1 < s.length && (quotes || s[i + 1] === '$')) { out += s[i + 1]; i++; continue; }
      if (quotes && c === "'" && !inDouble) { inSingle = !inSingle; continue; }
      if (quotes && c === '"' && !inSingle) { inDouble = !inDouble; continue; }
      if (c !== '$' || inSingle) { out += c; continue; }
      const ref = refAt(s, i);
      if (!ref) { out += c; continue; }
      hadVars = true;
      const value = get(ref.name);
      const set = value !== undefined;
      (set ? matched : unmatched).add(ref.name);
      const nonEmpty = set && value !== '';
      switch (ref.modifier) {
        case '-': out += set ? value : expand(ref.word); break;
        case ':-': out += nonEmpty ? value : expand(ref.word); break;
        case '+': out += set ? expand(ref.word) : ''; break;
        case ':+': out += nonEmpty ? expand(ref.word) : ''; break;
        default:
          if (!set) {
            unresolved = true;
            if (opts.keepUnset) { out += s.slice(ref.start, ref.end); break; }
          }
          out += value ?? '';
      }
      i = ref.end - 1;
    }
    return out;
  };
  return { result: expand(text), matched, unmatched, unresolved, hadVars };
}
