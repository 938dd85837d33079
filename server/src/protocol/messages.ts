// The contract between the Hullcheck client and server: diagnostic data, workspace findings, rule docs, the editor
// settings, the smoke test and the configuration scaffold (Trivy and Docker requests are in trivyMessages.ts and
// dockerMessages.ts). The client imports only protocol/ from server/src, so it has no runtime imports.

import type { Fix, Language, Range, Severity } from '../core/findings';
import type { RuleMeta } from '../core/ruleMeta';
import type { NotificationSpec, RequestSpec } from './requestSpec';

export type { Fix, Language, Range, RuleMeta, Severity };

/** Value of `Diagnostic.source` for everything Hullcheck reports. */
export const SOURCE = 'hullcheck';
/** Code-action kind of "apply every safe fix in the file" (usable in editor.codeActionsOnSave). */
export const FIX_ALL_KIND = 'source.fixAll.hullcheck';

/** What each diagnostic carries in `data`, so code actions need no server-side state. */
export interface DiagnosticData {
  /** The document version the finding was computed for. */
  version: number;
  fixes: Fix[];
}

/** A finding as sent to the client's views (fix edits left out: views only navigate). */
export interface WireFinding {
  rule: string;
  severity: Severity;
  message: string;
  range: Range;
  fixable: boolean;
}

export interface FileFindings {
  uri: string;
  /** File-system path (for labels). */
  path: string;
  language: Language | 'config';
  findings: WireFinding[];
}

export interface WorkspaceFindingsParams {
  /** Limit the walk to these folder URIs; all workspace folders when absent. */
  folders?: string[];
}

export interface WorkspaceFindingsResult {
  /** Files with at least one finding, sorted by path. */
  files: FileFindings[];
  /** Number of files linted. */
  scanned: number;
  /** True when the walk stopped at its file limit. */
  truncated: boolean;
}

export interface RuleDocsParams { id: string }
export interface RuleDocsResult { id: string; title: string; url: string; markdown: string }

export type RuleInfo = RuleMeta & { url: string };

export interface FindingsChangedParams {
  /** The document whose diagnostics changed; absent when many may have. */
  uri?: string;
}

export const WorkspaceFindingsRequest: RequestSpec<WorkspaceFindingsParams, WorkspaceFindingsResult> = { method: 'hullcheck/workspaceFindings' };
export const RuleDocsRequest: RequestSpec<RuleDocsParams, RuleDocsResult | null> = { method: 'hullcheck/ruleDocs' };
export const RulesRequest: RequestSpec<void, RuleInfo[]> = { method: 'hullcheck/rules' };
export const FindingsChangedNotification: NotificationSpec<FindingsChangedParams> = { method: 'hullcheck/findingsChanged' };

export type TraceSetting = 'off' | 'messages' | 'verbose';
export type RuleSettingValue = 'error' | 'warning' | 'info' | 'hint' | 'off' | ({ severity?: string } & Record<string, unknown>);

/** The `hullcheck.*` settings, as the server reads them per workspace folder. */
export interface HullcheckSettings {
  enable: boolean;
  rules: Record<string, RuleSettingValue>;
  requiredLabels: string[];
  allowRoot: string[];
  trace: { server: TraceSetting };
  /** `hullcheck.shellcheck.enable`: check RUN scripts with ShellCheck when it is installed (default true). */
  shellcheck?: { enable: boolean };
  /** `hullcheck.baseline.mode`: how findings held by the folder's `.hullcheck-baseline.json` show (default lower). */
  baseline?: { mode: BaselineMode };
  /** `hullcheck.lens.sizes`: which layers get a size lens (default large: at least 1 % of the image). */
  lens?: { sizes: LensSizes };
  /** `hullcheck.duplicates`: hide findings Docker DX or Container Tools also report (auto: while they are active). */
  duplicates?: DuplicatesMode;
  /** `hullcheck.trivy.vex`: OpenVEX documents (paths relative to the workspace folder, read inside it only). */
  trivy?: { vex: string[] };
}

export type DuplicatesMode = 'hide' | 'show' | 'auto';

export type LensSizes = 'all' | 'large' | 'off';

export type BaselineMode = 'lower' | 'hide' | 'show';

export const DEFAULT_SETTINGS: HullcheckSettings = {
  enable: true,
  rules: {},
  requiredLabels: [],
  allowRoot: [],
  trace: { server: 'off' },
  shellcheck: { enable: true },
  baseline: { mode: 'lower' },
  lens: { sizes: 'large' },
  duplicates: 'auto',
  trivy: { vex: [] },
};

/** Sent by the client in `initializationOptions`. */
export interface InitializationOptions {
  /** The client already forwards config/ignore file events, so the server need not register watchers. */
  watchesConfigFiles?: boolean;
  /** `hullcheck.compose.extraGlobs`: more file patterns to lint as compose (the client restarts the server when it changes). */
  composeExtraGlobs?: string[];
  /** `hullcheck.shellcheck.path`, read by the client from user (machine) settings only, never from a workspace. */
  shellcheckPath?: string;
  /**
   * Whether the workspace is trusted. While false the server runs no executable (ShellCheck, Trivy, Compose) and
   * never contacts the Docker engine. Clients without a notion of trust leave it out and are treated as trusted.
   */
  workspaceTrusted?: boolean;
}

/** The client's workspace became trusted (VS Code only grants trust within a session; revoking it reloads). */
export interface WorkspaceTrustedParams { trusted: boolean }
export const WorkspaceTrustedNotification: NotificationSpec<WorkspaceTrustedParams> = { method: 'hullcheck/workspaceTrusted' };

// Smoke test (hullcheck/smokeRun): start the workspace's compose stack, check it, tear it down; cancellable.
export interface SmokeRunParams {
  runId: string;
  /** The workspace folder holding .hullcheck.yaml / the compose files; the first folder when absent. */
  folderUri?: string;
  keep?: boolean;
  timeoutSeconds?: number;
}
export interface SmokeRunResponse {
  result?: import('./smokeTypes').SmokeRunResult;
  /** Configuration or engine problems that kept the run from starting. */
  problems: string[];
}
export interface SmokeProgressParams { runId: string; phase: import('./smokeTypes').SmokePhase; message: string }
export const SmokeRunRequest: RequestSpec<SmokeRunParams, SmokeRunResponse> = { method: 'hullcheck/smokeRun' };
export const SmokeProgressNotification: NotificationSpec<SmokeProgressParams> = { method: 'hullcheck/smokeProgress' };

/** `hullcheck/scaffoldConfig`: a first `.hullcheck.yaml` for a workspace folder (as `hullcheck init` prints it). */
export interface ScaffoldConfigParams { folderUri: string }
export interface ScaffoldConfigResult {
  text: string;
  /** The configuration file the folder already has (its URI), which writing would replace. */
  existingUri?: string;
  /** Whether budgets come from the engine's image sizes (false: a commented template). */
  fromEngine: boolean;
}
export const ScaffoldConfigRequest: RequestSpec<ScaffoldConfigParams, ScaffoldConfigResult | { error: string }> = { method: 'hullcheck/scaffoldConfig' };

/** `hullcheck/writeConfig`: write a scaffolded configuration (atomically); `replace` must be set to replace one. */
export interface WriteConfigParams { folderUri: string; text: string; replace: boolean }
export const WriteConfigRequest: RequestSpec<WriteConfigParams, { uri?: string; error?: string }> = { method: 'hullcheck/writeConfig' };

/** `hullcheck/peerExtensions` (client to server): which extensions that report Dockerfile diagnostics are active. */
export interface PeerExtensionsParams {
  dockerDx: boolean;
  containerTools: boolean;
  /** dockerfile-utils codes that Container Tools' settings turn off (`docker.languageserver.diagnostics.*: ignore`). */
  containerToolsOff?: string[];
}
export const PeerExtensionsNotification: NotificationSpec<PeerExtensionsParams> = { method: 'hullcheck/peerExtensions' };
