// Shapes of a smoke-test run shared by the CLI, the language server and the editor: the validated settings,
// progress phases and the per-service results. Type-only, so the client may import it through protocol/.

export interface SmokeEndpoint {
  url: string;
  /** `host`: HTTP GET from this machine on loopback; `container`: fetched inside the container through exec. */
  from: 'host' | 'container';
}

export interface SmokeServiceSettings {
  endpoints: SmokeEndpoint[];
  /** Files that must exist inside the container once it is ready (`/tmp/<service>-ready`). */
  markers: string[];
}

export interface SmokeSettings {
  /** Folder relative paths are resolved against (the config file's folder, else the working folder). */
  folder: string;
  files: string[];
  envFile?: string;
  /** Prefix of the generated Compose project name. */
  prefix: string;
  timeoutSeconds: number;
  services: Record<string, SmokeServiceSettings>;
}

export type SmokePhase = 'prepare' | 'start' | 'health' | 'probe' | 'teardown' | 'done';

export interface SmokeProgress {
  phase: SmokePhase;
  message: string;
}

export interface SmokeProbeResult {
  kind: 'http' | 'marker';
  target: string;
  from: 'host' | 'container';
  ok: boolean;
  /** Status line, exit code or error, in a few words. */
  detail: string;
  ms: number;
}

export interface SmokeServiceResult {
  service: string;
  container?: string;
  /** Container state (`running`, `exited`, `missing`). */
  state: string;
  health: 'healthy' | 'unhealthy' | 'starting' | 'none';
  /** Seconds from the container's start to its first healthy report. */
  secondsToHealthy?: number;
  probes: SmokeProbeResult[];
  ok: boolean;
  /** Why the service failed, in one sentence. */
  reason?: string;
  /** Output of the last health probe of a failed service. */
  healthLog?: string;
  /** The service's Dockerfile and the 0-based line of its HEALTHCHECK, when known. */
  dockerfile?: string;
  healthcheckLine?: number;
}

export interface SmokeTeardown {
  skipped: boolean;
  /** The command that removes what is left (after --keep, or when teardown failed). */
  command?: string;
  removedVolumes: string[];
  problems: string[];
}

export type SmokeOutcome = 'passed' | 'failed' | 'timeout' | 'cancelled' | 'error';

export interface SmokeRunResult {
  project: string;
  outcome: SmokeOutcome;
  message?: string;
  services: SmokeServiceResult[];
  teardown: SmokeTeardown;
  durationMs: number;
  /** Last lines of Compose's output when starting the stack failed. */
  composeOutput?: string;
}
