// Image references in FROM and `COPY --from`: parsing into registry/path/tag/digest, expanding
// `${VARS}` with ARG defaults the way a build without --build-arg would, and telling stages from images.

import type { Instr, ParsedDockerfile, Stage } from '../../parse/dockerfile';
import type { Range } from '../../core/findings';

export interface ImageRef {
  /** The reference as parsed (after variable expansion). */
  raw: string;
  /** Registry host when the first component names one (`ghcr.io`, `localhost:5000`). */
  registry?: string;
  /** Repository path without the registry (`library/python`, `astral-sh/uv`). */
  path: string;
  /** Last path component (`python`, `uv`). */
  name: string;
  tag?: string;
  /** `sha256:…` when pinned by digest. */
  digest?: string;
}

/** Split an image reference. Returns undefined for empty text. Never throws. */
export function parseImageRef(ref: string): ImageRef | undefined {
  const raw = ref.trim();
  if (!raw) return undefined;
  let rest = raw;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) { digest = rest.slice(at + 1); rest = rest.slice(0, at); }
  let tag: string | undefined;
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) { tag = rest.slice(colon + 1); rest = rest.slice(0, colon); }
  const parts = rest.split('/');
  let registry: string | undefined;
  if (parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === 'localhost')) registry = parts.shift();
  const path = parts.join('/');
  return { raw, registry, path, name: parts[parts.length - 1] ?? path, tag, digest };
}

const HUB = new Set([undefined, 'docker.io', 'index.docker.io', 'registry-1.docker.io']);

/** Is this the Docker official image `name` (any Hub spelling, or a mirror's `library/name`)? */
export function isOfficialImage(ref: ImageRef, name: string): boolean {
  const p = ref.path.toLowerCase();
  if (p === `library/${name}` || p.endsWith(`/library/${name}`)) return true;
  return p === name && HUB.has(ref.registry?.toLowerCase());
}

export interface Expanded {
  value: string;
  /** True when a variable had no value and no default, so the result depends on build args. */
  unresolved: boolean;
  /** True when the text contained any variable reference. */
  hadVars: boolean;
}

/**
 * Expand `$VAR`, `${VAR}`, `${VAR:-word}`, `${VAR-word}`, `${VAR:+word}` and `${VAR+word}`.
 * `lookup` returns the value of a declared variable, or undefined when it is unset.
 */
export function expandVars(text: string, lookup: (name: string) => string | undefined): Expanded {
  let unresolved = false;
  let hadVars = false;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && text[i + 1] === '$') { out += '$'; i++; continue; }
    if (c !== '$') { out += c; continue; }
    const braced = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+?])((?:[^{}]|\{[^{}]*\})*))?\}/.exec(text.slice(i));
    const bare = braced ? null : /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(i));
    const m = braced ?? bare;
    if (!m) { out += c; continue; }
    hadVars = true;
    i += m[0].length - 1;
    const value = lookup(m[1]);
    const op = braced ? m[2] : undefined;
    const word = braced && m[3] !== undefined ? expandVars(m[3], lookup) : undefined;
    if (word?.unresolved) unresolved = true;
    const set = value !== undefined;
    const nonEmpty = set && value !== '';
    switch (op) {
      case ':-': out += nonEmpty ? value : word?.value ?? ''; break;
      case '-': out += set ? value : word?.value ?? ''; break;
      case ':+': out += nonEmpty ? word?.value ?? '' : ''; break;
      case '+': out += set ? word?.value ?? '' : ''; break;
      case ':?': case '?':
        if (!set) unresolved = true;
        out += value ?? '';
        break;
      default:
        if (!set) unresolved = true;
        out += value ?? '';
    }
  }
  return { value: out, unresolved, hadVars };
}

/** ARG name/value pairs of one ARG instruction (a declaration without default has value undefined). */
export function argPairs(instr: Instr): { name: string; value: string | undefined }[] {
  const node = instr.node as unknown as { getProperties?: () => { getName(): string; getValue(): string | null }[] };
  const props = typeof node.getProperties === 'function' ? node.getProperties() : [];
  return props.map((p) => ({ name: p.getName(), value: p.getValue() ?? undefined }));
}

/** Values of the ARGs before the first FROM (what FROM lines can use). */
export function globalArgScope(parsed: ParsedDockerfile): Map<string, string | undefined> {
  const scope = new Map<string, string | undefined>();
  for (const instr of parsed.globalArgs) for (const { name, value } of argPairs(instr)) scope.set(name, value);
  return scope;
}

/**
 * Values of ARGs visible at an instruction inside a stage: ARGs of that stage declared before it;
 * a declaration without a default takes the global default of the same name.
 */
export function stageArgScope(parsed: ParsedDockerfile, instr: Instr): Map<string, string | undefined> {
  const globals = globalArgScope(parsed);
  const scope = new Map<string, string | undefined>();
  const stage = instr.stage;
  if (!stage) return globals;
  for (const i of stage.instructions) {
    if (i.startOffset >= instr.startOffset) break;
    if (i.keyword !== 'ARG') continue;
    for (const { name, value } of argPairs(i)) scope.set(name, value ?? globals.get(name));
  }
  return scope;
}

export function expandWith(text: string, scope: Map<string, string | undefined>): Expanded {
  return expandVars(text, (n) => scope.get(n));
}

/** Is `name` (as written after `--from=` or `FROM`) one of the file's stage names? */
export function isStageName(parsed: ParsedDockerfile, name: string): boolean {
  return parsed.stageByName(name) !== undefined;
}

export interface ImageUse {
  instr: Instr;
  /** The reference as written. */
  written: string;
  range: Range;
  expanded: Expanded;
  ref: ImageRef | undefined;
  kind: 'from' | 'copy-from';
  stage?: Stage;
}

/**
 * Every place the file pulls an image: FROM lines that are not `scratch` or an earlier stage, and
 * `COPY --from=` values that are not a stage name or index. References that expand to nothing are skipped.
 */
export function imageUses(parsed: ParsedDockerfile, opts: { copyFrom?: boolean } = {}): ImageUse[] {
  const uses: ImageUse[] = [];
  const globals = globalArgScope(parsed);
  for (const stage of parsed.stages) {
    if (!stage.image || !stage.imageRange) continue;
    if (stage.parent) continue;
    const expanded = expandWith(stage.image, globals);
    const value = expanded.value.trim();
    if (!value || value.toLowerCase() === 'scratch') continue;
    const named = parsed.stageByName(value);
    if (named && named.index < stage.index) continue;
    uses.push({ instr: stage.from, written: stage.image, range: stage.imageRange, expanded, ref: parseImageRef(value), kind: 'from', stage });
  }
  if (opts.copyFrom) {
    for (const outer of parsed.instructions) {
      const instr = outer.keyword === 'ONBUILD' ? outer.onbuild : outer;
      if (!instr || instr.keyword !== 'COPY') continue;
      const flag = instr.flag('from');
      if (!flag || !flag.value || !flag.valueRange) continue;
      if (/^\d+$/.test(flag.value) || isStageName(parsed, flag.value)) continue;
      const expanded = expandWith(flag.value, stageArgScope(parsed, outer));
      const value = expanded.value.trim();
      if (!value || /^\d+$/.test(value) || isStageName(parsed, value) || value.toLowerCase() === 'scratch') continue;
      uses.push({ instr, written: flag.value, range: flag.valueRange, expanded, ref: parseImageRef(value), kind: 'copy-from', stage: outer.stage });
    }
  }
  return uses.sort((a, b) => a.instr.startOffset - b.instr.startOffset);
}
