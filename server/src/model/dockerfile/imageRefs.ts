// Image references in FROM and `COPY --from`: parsing into registry/path/tag/digest, expanding
// `${VARS}` with ARG defaults the way a build without --build-arg would, and telling stages from images.

import type { Instr, ParsedDockerfile, Stage } from '../../parse/dockerfile';
import type { Range } from '../../core/findings';
import { expandWord } from './expansion';
import { modelOf } from './model';
import type { Scope } from './scope';

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
 * Expand an image reference with a scope's values, as a build without --build-arg would. A platform arg leaves the
 * result unresolved: its value depends on the machine and `--platform` of the build.
 */
export function expandImage(text: string, scope: Scope, escapeChar = '\\'): Expanded {
  const e = expandWord(text, scope.lookup, { escapeChar });
  const platform = [...e.matched].some((n) => scope.get(n)?.kind === 'platform');
  return { value: e.result, unresolved: e.unresolved || platform, hadVars: e.hadVars };
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
  const m = modelOf(parsed);
  for (const stage of parsed.stages) {
    if (!stage.image || !stage.imageRange) continue;
    // an earlier stage, named directly or through a global ARG (the parse resolves both)
    if (stage.parent) continue;
    const expanded = expandImage(stage.image, m.globalScope, parsed.escapeChar);
    const value = expanded.value.trim();
    if (!value || value.toLowerCase() === 'scratch') continue;
    uses.push({ instr: stage.from, written: stage.image, range: stage.imageRange, expanded, ref: parseImageRef(value), kind: 'from', stage });
  }
  if (opts.copyFrom) {
    for (const outer of parsed.instructions) {
      const instr = outer.keyword === 'ONBUILD' ? outer.onbuild : outer;
      if (!instr || instr.keyword !== 'COPY') continue;
      const flag = instr.flag('from');
      if (!flag || !flag.value || !flag.valueRange) continue;
      if (/^\d+$/.test(flag.value) || isStageName(parsed, flag.value)) continue;
      const expanded = expandImage(flag.value, m.scopeBefore(outer), parsed.escapeChar);
      const value = expanded.value.trim();
      if (!value || /^\d+$/.test(value) || isStageName(parsed, value) || value.toLowerCase() === 'scratch') continue;
      uses.push({ instr, written: flag.value, range: flag.valueRange, expanded, ref: parseImageRef(value), kind: 'copy-from', stage: outer.stage });
    }
  }
  return uses.sort((a, b) => a.instr.startOffset - b.instr.startOffset);
}
