// Docker engine requests between the client and the server: engine state, image budgets and layers, container
// health, logs and restarts, builds with progress, and image checks.

import type { NotificationSpec, RequestSpec } from './requestSpec';
import type { WireFinding } from './messages';

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
