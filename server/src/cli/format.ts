// Output formats of the CLI: text for people and the JSON contract for scripts (SARIF and the CI formats are
// in ./formats).

import { INTERNAL_ERROR_RULE, type Finding, type Severity } from '../core/findings';
import { printable } from '../core/terminal';

/** A finding with the file it is in and, for the CI formats, its fingerprint (core/findingFingerprint.ts). */
export interface FileFinding extends Finding { file: string; fingerprint?: string }

export const SEVERITY_RANK: Record<Severity, number> = { hint: 0, info: 1, warning: 2, error: 3 };

/** The values of `--fail-level`: a severity, or none (never fail on findings). */
export const FAIL_LEVELS = ['error', 'warning', 'info', 'none'];

/** Whether a finding of this severity fails a run at this `--fail-level`. */
export function reachesFailLevel(severity: Severity, level: string): boolean {
  return level !== 'none' && SEVERITY_RANK[severity] >= SEVERITY_RANK[level as Severity];
}

/**
 * The exit codes every command shares: 0 nothing at or above the fail level, 1 findings at or above it, 2 a usage
 * or IO error, 3 a check that could not run (a rule that failed, a crashing ShellCheck), so the result is incomplete.
 */
export const EXIT = { clean: 0, findings: 1, usage: 2, incomplete: 3 } as const;

/** How many checks could not run: the rules that failed on a file or image (each is one internal-error finding). */
export function failedChecks(findings: readonly Finding[]): number {
  return findings.filter((f) => f.rule === INTERNAL_ERROR_RULE).length;
}

/** The line that says why a run exits 3 after rules failed (their log lines name the rule and the stack). */
export function incompleteNote(failed: number): string {
  return `hullcheck: ${failed} check${failed === 1 ? '' : 's'} could not run; the result is incomplete (exit ${EXIT.incomplete})\n`;
}

/** The JSON contract: 1-based lines and columns, `file` as given. */
export function toJson(findings: FileFinding[]): string {
  return JSON.stringify({
    findings: findings.map((f) => ({
      file: f.file,
      rule: f.rule,
      severity: f.severity,
      message: f.message,
      line: f.range.start.line + 1,
      column: f.range.start.character + 1,
      endLine: f.range.end.line + 1,
      endColumn: f.range.end.character + 1,
      fixable: f.fixes.some((x) => x.safety === 'safe'),
    })),
  }, null, 2) + '\n';
}

/** One line per finding and a summary; file names and messages are printed with control characters escaped. */
export function toText(findings: FileFinding[], filesLinted: number, color: boolean): string {
  const paint = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const sevColor: Record<Severity, string> = { error: '31', warning: '33', info: '36', hint: '2' };
  const lines = findings.map((f) =>
    `${printable(f.file)}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${paint(sevColor[f.severity], f.severity)} ${printable(f.message)} ${paint('2', `[${printable(f.rule)}]`)}`);
  const counts = (['error', 'warning', 'info', 'hint'] as Severity[])
    .map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}${n === 1 ? '' : s === 'info' ? '' : 's'}`);
  const fixable = findings.filter((f) => f.fixes.some((x) => x.safety === 'safe')).length;
  const summary = findings.length === 0
    ? `No problems in ${filesLinted} file${filesLinted === 1 ? '' : 's'}.`
    : `${findings.length} problem${findings.length === 1 ? '' : 's'} (${counts.join(', ')}) in ${filesLinted} file${filesLinted === 1 ? '' : 's'}` +
      (fixable ? `; ${fixable} fixable with --fix.` : '.');
  return [...lines, summary].join('\n') + '\n';
}
