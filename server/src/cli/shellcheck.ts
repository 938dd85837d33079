// The CLI's side of ShellCheck and `.hadolint.yaml` failure thresholds: SC findings are added to a Dockerfile's
// results when the binary is on PATH, and the fail level falls back to the file's `failure-threshold`.

import type { LintFileResult } from '../engine/lintFile';
import { failLevelOf } from '../config/hadolintConfig';
import { sortFindings } from '../engine/linter';
import { ShellcheckRunner } from '../shellcheck/shellcheck';
import { defaultCacheDir } from '../shellcheck/shellcheckCache';
import { repositoryRoot } from '../core/projectScope';
import { shellcheckFindings } from '../shellcheck/shellcheckLint';
import type { ParsedDockerfile } from '../parse/dockerfile';
import { reachesFailLevel } from './format';
import type { Finding } from '../core/findings';

/**
 * One runner for the whole CLI run (its batches and cache span files, and results are kept between runs in
 * ~/.cache/hullcheck-shellcheck/results); undefined with `--no-shellcheck`. PATH entries inside the repository being
 * linted are not trusted (an `npm run` puts the project's node_modules/.bin there).
 */
export async function cliShellcheck(disabled: boolean | undefined, log: (m: string) => void): Promise<ShellcheckRunner | undefined> {
  if (disabled) return undefined;
  const root = await repositoryRoot(process.cwd());
  return new ShellcheckRunner({ log, cacheDir: defaultCacheDir(), untrustedRoots: () => (root ? [root] : []), gather: true });
}


/** The lint result with ShellCheck findings added (Dockerfiles only; unchanged when there is no runner). */
export async function addShellcheck(r: LintFileResult, runner: ShellcheckRunner | undefined): Promise<LintFileResult> {
  if (!runner || r.language !== 'dockerfile' || !r.config || !r.parsed) return r;
  // the scripts are taken from the parse the rules ran on: one parse per version of the file
  const sc = await shellcheckFindings(r.parsed as ParsedDockerfile, { runner, config: r.config, hadolint: r.hadolint });
  return sc.length ? { ...r, findings: sortFindings([...r.findings, ...sc]) } : r;
}

/** The fail level of one file: `--fail-level` when given, else its `.hadolint.yaml` failure-threshold, else warning. */
export function failLevelFor(flag: string | undefined, r: LintFileResult | undefined): string {
  return flag ?? failLevelOf(r?.hadolint) ?? 'warning';
}

/** Whether any finding reaches its file's fail level. */
export function fails(findings: (Finding & { file: string })[], levelOf: (file: string) => string): boolean {
  return findings.some((f) => reachesFailLevel(f.severity, levelOf(f.file)));
}
