// BuildKit's `check` options as BuildKit reads them: the file's `# check=` parser directive, and a `# check=` comment
// among the comments directly above one instruction, which applies to that instruction only. They decide which
// BuildKit checks are skipped, which experimental ones run and whether a finding fails the build (`error=true`).

import { commentGroups } from './commentBlocks';
import type { ParsedDockerfile } from './dockerfile';
import type { RuleMeta } from '../core/ruleMeta';

export interface CheckOptions {
  skipAll: boolean; skip: string[]; experimentalAll: boolean; experimental: string[]; error: boolean;
  /** For an instruction's own options: the line of the `# check=` comment (the exception ledger points at it). */
  commentLine?: number;
}

export interface BuildkitChecks {
  /** The file's `# check=` directive (absent, or rejected by BuildKit: undefined). */
  file?: CheckOptions;
  /** Instruction start line -> the options of the first `check=` comment above it. */
  byInstruction: Map<number, CheckOptions>;
}

/** BuildKit's checks that run only when `experimental=` names them. */
const EXPERIMENTAL = new Set(['InvalidDefinitionDescription']);
const GO_TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const GO_FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);
/**
 * A parser directive as BuildKit recognises one inside a (trimmed) comment: `name=value`. `s`: the value runs to the
 * end even across a line separator, so a long blank run before one cannot make the match backtrack.
 */
const DIRECTIVE = /^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+)$/s;

const names = (v: string) => v.split(',').map((s) => s.trim());

/** One `check=` value, or undefined where BuildKit rejects it (keys are case-sensitive; `all` only on its own). */
export function parseCheckOptions(value: string): CheckOptions | undefined {
  const o: CheckOptions = { skipAll: false, skip: [], experimentalAll: false, experimental: [], error: false };
  const text = value.trim();
  if (text === '') return o;
  // BuildKit splits into at most three options: a third `;` stays inside the last value
  const parts = text.split(';');
  const options = parts.length > 3 ? [parts[0], parts[1], parts.slice(2).join(';')] : parts;
  for (const part of options) {
    const eq = part.indexOf('=');
    if (eq < 0) return undefined;
    const key = part.slice(0, eq).trim(), v = part.slice(eq + 1).trim();
    if (key === 'skip') { if (v === 'all') o.skipAll = true; else o.skip = names(v); }
    else if (key === 'experimental') { if (v === 'all') o.experimentalAll = true; else o.experimental = names(v); }
    else if (key === 'error') {
      if (GO_TRUE.has(v)) o.error = true;
      else if (!GO_FALSE.has(v)) return undefined;
    } else return undefined;
  }
  return o;
}

/** The file's options and each instruction's own: the first `check=` comment of its comment group counts. */
export function buildkitChecks(parsed: ParsedDockerfile): BuildkitChecks {
  // BuildKit rejects a second check directive; the first one is what the file means
  const directive = parsed.ast.getDirectives().find((d) => d.getName().toLowerCase() === 'check');
  const byInstruction = new Map<number, CheckOptions>();
  for (const [line, group] of commentGroups(parsed)) {
    for (const comment of group) {
      const m = DIRECTIVE.exec(comment.text.trim());
      if (!m || m[1].toLowerCase() !== 'check') continue;
      // the value ends at the first space; a value BuildKit rejects leaves the instruction's options unchanged
      const o = parseCheckOptions(m[2].split(' ')[0]);
      if (o) byInstruction.set(line, { ...o, commentLine: comment.line });
      break;
    }
  }
  return { file: directive ? parseCheckOptions(directive.getValue()) : undefined, byInstruction };
}

const isExperimental = (meta: RuleMeta) => !!meta.buildkit?.some((n) => EXPERIMENTAL.has(n));

/** Whether an instruction's own `check=skip=` skips a (non-experimental) BuildKit check. */
export function skippedAt(checks: BuildkitChecks | undefined, instrLine: number, meta: RuleMeta): boolean {
  const o = checks?.byInstruction.get(instrLine);
  if (!o || !meta.buildkit?.length || isExperimental(meta)) return false;
  return o.skipAll || meta.buildkit.some((n) => o.skip.includes(n));
}

/** Whether the file's `skip=all` skips this rule (experimental checks answer only to `experimental=`). */
export function skippedByFile(checks: BuildkitChecks | undefined, meta: RuleMeta): boolean {
  return !!checks?.file?.skipAll && !!meta.buildkit?.length && !isExperimental(meta);
}

/**
 * Where an experimental BuildKit check was turned on: the whole file, the start lines of the instructions whose own
 * `check=experimental=` names it, or nowhere (undefined).
 */
export function experimentalScope(checks: BuildkitChecks | undefined, meta: RuleMeta): 'file' | Set<number> | undefined {
  if (!checks || !isExperimental(meta)) return undefined;
  const on = (o: CheckOptions | undefined) => !!o && (o.experimentalAll || meta.buildkit!.some((n) => o.experimental.includes(n)));
  if (on(checks.file)) return 'file';
  const lines = new Set([...checks.byInstruction].filter(([, o]) => on(o)).map(([line]) => line));
  return lines.size ? lines : undefined;
}
