// ShellCheck in the editor: a late diagnostics source. The rules' diagnostics are published first; ShellCheck's
// follow for the same version when the external process answers, and an edit aborts the run that is now stale.

import type { Diagnostic } from 'vscode-languageserver/node';
import { ShellcheckRunner } from '../shellcheck/shellcheck';
import { shellcheckFindings } from '../shellcheck/shellcheckLint';
import { parseDockerfile, type ParsedDockerfile } from '../parse/dockerfile';
import { toDiagnostic } from './diagnostics';
import type { LintOutcome } from './linting';
import type { SettingsService } from './editorSettings';
import type { WorkspaceTrust } from './trust';

export interface ShellcheckDeps {
  settings: SettingsService;
  log(message: string): void;
  /** `hullcheck.shellcheck.path` from the client's machine settings (initializationOptions), if any. */
  path(): string | undefined;
  /** Per-process limit (tests shorten it). */
  timeoutMs?: number;
  /** ShellCheck runs only in a trusted workspace, and never from a PATH entry inside it. */
  trust: WorkspaceTrust;
}

/** A late source for DiagnosticsManager.lateSources; the runner (and its cache) lives as long as the server. */
export function shellcheckSource(deps: ShellcheckDeps): { source: (outcome: LintOutcome, signal: AbortSignal) => Promise<Diagnostic[]>; runner(): ShellcheckRunner } {
  let runner: ShellcheckRunner | undefined;
  const get = () => (runner ??= new ShellcheckRunner({ binary: deps.path(), log: deps.log, timeoutMs: deps.timeoutMs, untrustedRoots: () => deps.trust.untrustedRoots() }));
  const source = async (outcome: LintOutcome, signal: AbortSignal): Promise<Diagnostic[]> => {
    if (outcome.language !== 'dockerfile' || !outcome.enabled || !outcome.config || !deps.trust.trusted) return [];
    const settings = await deps.settings.get(outcome.uri);
    if (settings.shellcheck?.enable === false || signal.aborted) return [];
    // the lint's own parse of this version (large documents have none: they are parsed in a worker)
    const parsed = (outcome.parsed as ParsedDockerfile | undefined) ?? parseDockerfile(outcome.text);
    const findings = await shellcheckFindings(parsed, { runner: get(), config: outcome.config, hadolint: outcome.hadolint, signal });
    return findings.map((f) => toDiagnostic(f, outcome.version));
  };
  return { source, runner: get };
}
