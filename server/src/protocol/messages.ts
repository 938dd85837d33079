// The contract between the Hullcheck client and server: custom request/notification types, diagnostic data
// and the editor settings. The client imports only this file from server/src, so it has no runtime imports.

import type { Fix, Language, Range, Severity } from '../core/findings';
import type { RuleMeta } from '../core/ruleMeta';
import type { WorkspaceEdit } from 'vscode-languageserver-types';

export type { Fix, Language, Range, RuleMeta, Severity };

/** A typed request: the method name plus phantom parameter/result types checked on both sides. */
export interface RequestSpec<P, R> { readonly method: string; readonly __types?: (p: P) => R }
/** A typed notification. */
export interface NotificationSpec<P> { readonly method: string; readonly __types?: (p: P) => void }

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

// ---- Trivy: loaded reports, scans and ignore entries (the client's Vulnerabilities view) ----

export type TrivySeverityName = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'UNKNOWN';

export interface TrivyFindingItem {
  kind: 'vulnerability' | 'secret' | 'misconfiguration';
  id: string;
  title: string;
  severity: TrivySeverityName;
  /** Package, installed and fixed versions (vulnerabilities only). */
  pkg?: string;
  installed?: string;
  fixed?: string;
  /** The report's Target (OS, lock file, Dockerfile, ...). */
  target: string;
  url?: string;
  /** True when the folder's ignore file (active entries only) hides this finding. */
  ignored: boolean;
  /**
   * Set when a VEX document (`hullcheck.trivy.vex`) says the finding does not apply: `not_affected` or `fixed`,
   * with the statement in one line (`not affected (justification): impact statement`) and the document's path.
   */
  vex?: { status: 'not_affected' | 'fixed'; summary: string; source: string };
  /**
   * What brought a vulnerability into the image (image reports): the layer and its history entry. `order` is the
   * layer's position (oldest first) so groups list in build order; `key` is stable across refreshes.
   */
  introducedBy?: { key: string; label: string; order: number };
}

export interface TrivySeverityGroup { severity: TrivySeverityName; findings: TrivyFindingItem[] }

/** One report, grouped image -> severity -> finding. */
export interface TrivyImageGroup {
  /** The report file path, or `trivy image REF` for scans run in this session. */
  source: string;
  /** ArtifactName: the image reference (or folder) the report is about. */
  image: string;
  artifactType: string;
  origin: 'file' | 'scan';
  /** Every vulnerability entry of the report per severity, before ignores. */
  counts: Record<TrivySeverityName, number>;
  /** Non-empty groups only, most severe first. */
  severities: TrivySeverityGroup[];
  warnings: string[];
}

export interface TrivyResultsParams {
  /** Limit to these workspace folder URIs; all folders when absent. */
  folders?: string[];
  /** More report files (URIs) to load: reports the user opened, or matches of the client's `hullcheck.trivy.reports`. */
  reports?: string[];
}
export interface TrivyResultsResult { images: TrivyImageGroup[]; errors: string[] }

export interface TrivyScanParams {
  ref: string;
  /**
   * The trivy executable, read by the client from a machine-scoped setting (never from workspace settings).
   * An absolute path or a bare name looked up on PATH; default `trivy`.
   */
  trivyPath?: string;
  /** The client says whether the workspace is trusted; the server refuses to run Trivy otherwise. */
  workspaceTrusted: boolean;
  severities?: TrivySeverityName[];
  /** Folder URI whose ignore file marks findings as ignored; the first workspace folder when absent. */
  folder?: string;
  /** Optional client-created progress token (otherwise the server creates one when the client supports it). */
  workDoneToken?: string | number;
}
export type TrivyScanResult =
  | { ok: true; image: TrivyImageGroup }
  | { ok: false; error: string; kind: 'untrusted' | 'not-installed' | 'invalid-ref' | 'failed' | 'bad-output' | 'cancelled' | 'killed' };

export interface TrivyAddIgnoreParams {
  id: string;
  /** YYYY-MM-DD. */
  expires?: string;
  reason?: string;
  /** `.trivyignore.yaml` section; default vulnerabilities. */
  section?: 'vulnerabilities' | 'misconfigurations' | 'secrets' | 'licenses';
  /** The ignore file to edit; otherwise the folder's existing ignore file, or a new `.trivyignore` in it. */
  uri?: string;
  /** Folder URI used when `uri` is absent; the first workspace folder when both are absent. */
  folder?: string;
}
export type TrivyAddIgnoreResult =
  | { ok: true; uri: string; updated: boolean; edit: WorkspaceEdit }
  | { ok: false; error: string };

export interface TrivyExportVexParams {
  /** The workspace folder whose ignore file and reports are exported; the first folder when absent. */
  folder?: string;
  /** The file to write (chosen by the user in a save dialog); written atomically. */
  target: string;
  /** More report files (URIs) the view lists, besides the folder's own reports and this session's scans. */
  reports?: string[];
}
export type TrivyExportVexResult =
  | { ok: true; statements: number; /** Entries left out and why (`.trivyignore:4: CVE-… (no reason)`). */ skipped: string[] }
  | { ok: false; error: string; skipped: string[] };

export const TrivyExportVexRequest: RequestSpec<TrivyExportVexParams, TrivyExportVexResult> = { method: 'hullcheck/trivyExportVex' };
export const TrivyResultsRequest: RequestSpec<TrivyResultsParams, TrivyResultsResult> = { method: 'hullcheck/trivyResults' };
export const TrivyScanRequest: RequestSpec<TrivyScanParams, TrivyScanResult> = { method: 'hullcheck/trivyScan' };
export const TrivyAddIgnoreRequest: RequestSpec<TrivyAddIgnoreParams, TrivyAddIgnoreResult> = { method: 'hullcheck/trivyAddIgnore' };
/** Sent after a scan finishes or report files change, so the view refreshes. */
export const TrivyResultsChangedNotification: NotificationSpec<void> = { method: 'hullcheck/trivyResultsChanged' };

// ---- Docker engine: image budgets, container health, builds and image checks ----

export type EngineStatusName = 'connecting' | 'connected' | 'not-running' | 'permission-denied' | 'unknown-host' | 'untrusted';

export interface EngineStateInfo {
  status: EngineStatusName;
  host: string;
  /** Where the host came from: `setting`, `DOCKER_HOST`, `context <name>`, `default`. */
  source: string;
  /** What is wrong and what to do, for welcome views and the status bar. */
  reason: string;
  version?: string;
}

export interface LayerItem {
  /** Bytes the history entry added (0 for metadata-only instructions). */
  size: number;
  /** The instruction as a short line (`RUN apt-get install …`). */
  short: string;
  keyword: string;
  /** The Dockerfile and 0-based line of the instruction that produced it, when known. */
  uri?: string;
  line?: number;
  /** From the base image (attributed to the FROM line). */
  base: boolean;
  /** Bytes of lower layers this layer hides (known after a wasted-bytes analysis). */
  wasted?: number;
}

export interface ImageBudgetItem {
  id: string;
  ref: string;
  tags: string[];
  size: number;
  /** Unix seconds. */
  created: number;
  budget?: number;
  /** The budget as written (`600MB`) and its key (service or image glob). */
  budgetText?: string;
  budgetKey?: string;
  percent?: number;
  over?: boolean;
  service?: string;
  dockerfileUri?: string;
  /** 0-based line of the final stage's FROM. */
  fromLine?: number;
  /** Newest first. */
  layers: LayerItem[];
  /**
   * The image against its size in `.hullcheck-sizes.json` (`hullcheck budgets --record`), when recorded: bytes then,
   * the change since, and the build steps whose bytes changed (most growth first; when the file has layers).
   */
  recorded?: { bytes: number; change: number; steps?: { label: string; change: number; line?: number }[] };
  /** Present once computed (on demand: it streams the whole image). */
  wastedBytes?: number;
  topWasted?: { path: string; bytes: number }[];
}

export interface ImageBudgetsParams {
  /** Compute wasted bytes for this image id or reference before answering. */
  wastedFor?: string;
}
export interface ImageBudgetsResult {
  engine: EngineStateInfo;
  /** Worst first (highest percentage of budget). */
  budgeted: ImageBudgetItem[];
  /** Local images without a budget, largest first. */
  unbudgeted: ImageBudgetItem[];
  /** Budgets whose image is not built locally. */
  missing: { key: string; budgetText: string; file: string }[];
}

export interface ProbeRun { start: string; end: string; exitCode: number; output: string }

export interface ContainerHealthItem {
  id: string;
  name: string;
  image: string;
  /** `running`, `exited`, ... */
  state: string;
  health: 'healthy' | 'unhealthy' | 'starting' | 'none';
  failingStreak: number;
  service?: string;
  healthcheck?: { test: string[]; interval?: string; timeout?: string; startPeriod?: string; retries?: number };
  /** Latest probe runs, newest first. */
  runs: ProbeRun[];
  /** Where the HEALTHCHECK is declared, when the image maps to a Dockerfile. */
  healthcheckUri?: string;
  healthcheckLine?: number;
}

export interface HealthResult {
  engine: EngineStateInfo;
  /** Containers grouped by compose project (`project` null: not started by compose). */
  projects: { project: string | null; containers: ContainerHealthItem[] }[];
}

export interface EngineStateParams { retry?: boolean }
export interface ContainerLogsParams { id: string; tail?: number }
export interface ContainerLogsResult { text: string; truncated: boolean }
export interface RestartContainerParams { id: string; /** The user confirmed in the editor; the server refuses otherwise. */ confirmed: boolean }
export interface RestartContainerResult { ok: boolean; error?: string }

export interface BuildImageParams {
  dockerfileUri: string;
  /** Tag for the result; `<folder>:dev` when absent. */
  tag?: string;
  target?: string;
  /** The build context folder; the Dockerfile's folder when absent. */
  contextUri?: string;
  buildArgs?: Record<string, string>;
  /** Progress notifications carry this id. */
  buildId: string;
}
export interface BuildImageResult { ok: boolean; imageId?: string; tag?: string; error?: string; cancelled?: boolean }
export interface BuildProgressParams { buildId: string; message: string; step?: number; steps?: number }

export interface ValidateImageParams { ref: string }
export interface ImageFindingItem extends WireFinding { image: string; dockerfileUri?: string; /** The rule's documentation page. */ docsUrl?: string }
export interface ValidateImageResult { ok: boolean; error?: string; findings: ImageFindingItem[] }

export interface DockerChangedParams { what: 'images' | 'containers' | 'engine' }

export const ImageBudgetsRequest: RequestSpec<ImageBudgetsParams, ImageBudgetsResult> = { method: 'hullcheck/imageBudgets' };
export const HealthRequest: RequestSpec<void, HealthResult> = { method: 'hullcheck/health' };
export const EngineStateRequest: RequestSpec<EngineStateParams, EngineStateInfo> = { method: 'hullcheck/engineState' };
export const ContainerLogsRequest: RequestSpec<ContainerLogsParams, ContainerLogsResult> = { method: 'hullcheck/containerLogs' };
export const RestartContainerRequest: RequestSpec<RestartContainerParams, RestartContainerResult> = { method: 'hullcheck/restartContainer' };
export const BuildImageRequest: RequestSpec<BuildImageParams, BuildImageResult> = { method: 'hullcheck/buildImage' };
export const ValidateImageRequest: RequestSpec<ValidateImageParams, ValidateImageResult> = { method: 'hullcheck/validateImage' };
export const BuildProgressNotification: NotificationSpec<BuildProgressParams> = { method: 'hullcheck/buildProgress' };
/** Sent when engine events change images, containers or the engine state; views refresh on it. */
export const DockerChangedNotification: NotificationSpec<DockerChangedParams> = { method: 'hullcheck/dockerChanged' };

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
export interface PeerExtensionsParams { dockerDx: boolean; containerTools: boolean }
export const PeerExtensionsNotification: NotificationSpec<PeerExtensionsParams> = { method: 'hullcheck/peerExtensions' };
