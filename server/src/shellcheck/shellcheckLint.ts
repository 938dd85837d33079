// ShellCheck findings for a Dockerfile: scripts from shellScripts, comments from the runner, each mapped back to
// its exact place in the RUN and filtered through pragmas, `.hadolint.yaml` (ignored, override) and the
// `.hullcheck.yaml` `shellcheck:` section. Asynchronous and separate from the synchronous rules.

import type { ParsedDockerfile } from '../parse/dockerfile';
import type { HadolintConfig } from '../config/hadolintConfig';
import type { ScComment } from './shellcheckCache';
import type { ShellcheckRunner } from './shellcheck';
import { shellScripts, type ShellScript } from './shellScripts';
import { familyOf } from '../model/dockerfile/stages';
import { chainOf } from '../model/dockerfile/imageViews';
import { collectSuppressions, isSuppressed } from '../engine/suppressions';
import { compareFindings, type Finding, type Range, type Severity } from '../core/findings';
import type { ResolvedConfig } from '../config/resolvedConfig';
import type { RuleMeta } from '../core/ruleMeta';

export interface ShellcheckLintOptions {
  runner: ShellcheckRunner;
  config: ResolvedConfig;
  hadolint?: HadolintConfig;
  signal?: AbortSignal;
}

/** The `shellcheck:` section of `.hullcheck.yaml`: `enable` (default true) and `exclude` (SC codes). */
export interface ShellcheckSection { enable: boolean; exclude: string[] }

export function shellcheckSection(config: ResolvedConfig): ShellcheckSection {
  const raw = (config as unknown as { shellcheck?: unknown }).shellcheck;
  const r = raw && typeof raw === 'object' && !Array.isArray(raw) ? raw as Record<string, unknown> : {};
  const exclude = Array.isArray(r.exclude) ? r.exclude.filter((x): x is string => typeof x === 'string').map(normalizeCode) : [];
  return { enable: r.enable !== false && raw !== false, exclude };
}

function normalizeCode(c: string): string {
  const t = c.trim().toUpperCase();
  return /^\d+$/.test(t) ? `SC${t}` : t;
}

/** ShellCheck's levels as hadolint reports them (the `hadolint` preset). */
const LEVEL: Record<ScComment['level'], Severity> = { error: 'error', warning: 'warning', info: 'info', style: 'hint' };

/**
 * ShellCheck warnings that in a Dockerfile RUN are style rather than defects: splitting `$(nproc)` or a package
 * list is intended, `export X="$(mktemp -d)"` hides only an exit status nobody checks, and `cd dir; …` right after
 * creating dir cannot fail, and `((cmd) && x)` runs as nested subshells in dash and bash alike (SC1105). Info in
 * `recommended`, warnings in `strict`.
 */
export const QUIET_SC_CODES: ReadonlySet<string> = new Set(['SC1105', 'SC2046', 'SC2155', 'SC2164']);

/**
 * The severity of a ShellCheck comment under the preset. Errors must be certain, and ShellCheck's `error` level
 * (a parse error, a bashism under sh) does not say whether the build breaks: dash runs `((cmd) && x)` as nested
 * subshells, and a shell that supports the bashism runs it. So outside the `hadolint` preset it is a warning.
 */
export function shellcheckSeverity(code: string, level: ScComment['level'], config: ResolvedConfig): Severity {
  const preset = config.preset?.name ?? 'recommended';
  const base = LEVEL[level] ?? 'warning';
  if (preset === 'hadolint') return base;
  const sev = base === 'error' ? 'warning' : base;
  if (sev === 'warning' && preset === 'recommended' && QUIET_SC_CODES.has(code)) return 'info';
  return sev;
}

/**
 * POSIX-undefined features that the shell which really runs the script supports, with that shell's name: BusyBox
 * ash, the `/bin/sh` of Alpine and BusyBox images, takes `^` for `!` in bracket globs (SC3026); dash does not.
 */
function supportedByShell(code: string, script: ShellScript): string | undefined {
  if (code !== 'SC3026' || script.shell !== '/bin/sh') return undefined;
  const stage = script.instr.stage;
  const family = stage ? familyOf(chainOf(stage)[0].image) : 'unknown';
  return family === 'alpine' || family === 'busybox' ? 'BusyBox ash, this stage\'s /bin/sh, accepts it' : undefined;
}

/** ShellCheck findings for every RUN of the file, sorted by position. Rejects only when the signal aborts. */
export async function shellcheckFindings(parsed: ParsedDockerfile, opts: ShellcheckLintOptions): Promise<Finding[]> {
  const section = shellcheckSection(opts.config);
  if (!section.enable) return [];
  const suppressions = collectSuppressions(parsed, { disableHadolintIgnore: opts.hadolint?.disableIgnorePragma });
  const scripts = shellScripts(parsed, { compat: opts.config.hadolintCompat === true });
  if (scripts.length === 0) return [];
  const results = await opts.runner.check(scripts.map((s) => s.input), opts.signal);
  const excluded = new Set([...section.exclude, ...(opts.hadolint?.ignored ?? [])]);
  const findings: Finding[] = [];
  scripts.forEach((script, i) => {
    for (const c of results[i] ?? []) {
      const code = `SC${c.code}`;
      if (excluded.has(code)) continue;
      const range = rangeOf(parsed, script, c);
      if (!range) continue;
      const override = opts.hadolint?.override[code];
      if (override === 'off') continue;
      // a feature the stage's real shell supports is a portability note, not a defect (hadolint's preset keeps ShellCheck's level)
      const supported = opts.config.preset?.name === 'hadolint' ? undefined : supportedByShell(code, script);
      const finding: Finding = supported && !override
        ? { rule: code, severity: 'info', message: `${c.message} ${supported[0].toUpperCase()}${supported.slice(1)}.`, range, fixes: [] }
        : { rule: code, severity: override ?? shellcheckSeverity(code, c.level, opts.config), message: c.message, range, fixes: [] };
      const meta = { id: code, hadolint: [code] } as RuleMeta;
      if (isSuppressed(suppressions, parsed, finding, meta)) continue;
      findings.push(finding);
    }
  });
  return findings.sort(compareFindings);
}

/** Map a comment's 1-based line/column in ShellCheck's input (columns in code points) to a document range. */
export function rangeOf(parsed: ParsedDockerfile, script: ShellScript, c: Pick<ScComment, 'line' | 'column' | 'endLine' | 'endColumn'>): Range | undefined {
  const text = script.input.slice(script.input.length - script.mapped.text.length);
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const indexAt = (line: number, column: number): number | undefined => {
    const l = line - 1 - script.prefixLines;
    if (l < 0 || l >= starts.length) return undefined;
    const lineEnd = l + 1 < starts.length ? starts[l + 1] - 1 : text.length;
    let idx = starts[l];
    // advance by code points, not UTF-16 units
    for (let cp = 1; cp < column && idx < lineEnd; cp++) idx += (text.codePointAt(idx) ?? 0) > 0xffff ? 2 : 1;
    return idx;
  };
  const a = indexAt(c.line, c.column);
  if (a === undefined) return undefined;
  const b = Math.max(a, indexAt(c.endLine, c.endColumn) ?? a);
  const offsets = script.mapped.offsets;
  const start = offsets[a];
  // the end is one past the last character covered, so gaps such as joined continuations are not spanned
  const end = b > a ? offsets[b - 1] + 1 : start;
  return { start: parsed.index.positionAt(start), end: parsed.index.positionAt(end) };
}
