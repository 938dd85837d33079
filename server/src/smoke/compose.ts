// Runs the real Compose CLI: `docker compose` (v2 plugin) when it answers, else the standalone `docker-compose`.
// Always spawned with an argument list (never through a shell), with the run's project name and files, and
// killed when the run is cancelled.

import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { nodeHost } from '../core/fileHost';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { resolveExecutable } from '../core/executables';
import { makeTempDir, removeTempDir } from '../core/tempDirs';
import type { SmokeSettings } from '../protocol/smokeTypes';

export const SMOKE_LABEL = 'hullcheck.smoke';
export const PROJECT_LABEL = 'com.docker.compose.project';
export const SERVICE_LABEL = 'com.docker.compose.service';

export interface ComposeResult { code: number | null; output: string; aborted: boolean }

export class ComposeMissingError extends Error {}

function run(cmd: string, args: string[], opts: { cwd?: string; signal?: AbortSignal; env?: NodeJS.ProcessEnv } = {}): Promise<ComposeResult> {
  return new Promise((resolve) => {
    if (opts.signal?.aborted) { resolve({ code: null, output: '', aborted: true }); return; }
    let output = '';
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) { resolve({ code: -1, output: (e as Error).message, aborted: false }); return; }
    // the error listener first: a refused spawn (ENOENT, EMFILE) is reported through it, maybe without streams
    const onAbort = () => { child.kill('SIGTERM'); };
    child.on('error', (e) => { opts.signal?.removeEventListener('abort', onAbort); resolve({ code: -1, output: output + (e as Error).message, aborted: false }); });
    const keep = (b: Buffer) => { output = (output + b.toString('utf8')).slice(-200_000); };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('close', (code) => { opts.signal?.removeEventListener('abort', onAbort); resolve({ code, output, aborted: !!opts.signal?.aborted }); });
  });
}

/**
 * The Compose command prefix that works here, its program found on trusted PATH entries only (none inside
 * `untrustedRoots`, the project); throws ComposeMissingError when neither works.
 */
export async function findCompose(untrustedRoots: string[] = []): Promise<string[]> {
  for (const [name, ...rest] of [['docker', 'compose'], ['docker-compose']]) {
    const exe = await resolveExecutable(name, { untrustedRoots });
    if (!exe) continue;
    const r = await run(exe, [...rest, 'version']);
    if (r.code === 0) return [exe, ...rest];
  }
  throw new ComposeMissingError('Neither `docker compose` nor `docker-compose` is available; install the Compose plugin or docker-compose.');
}

export class ComposeProject {
  private overrideDir: string | undefined;
  private overrideFile: string | undefined;

  constructor(readonly cmd: string[], readonly settings: SmokeSettings, readonly project: string) {}

  /** The global arguments: project name, files (plus the label override once written) and env file. */
  args(withOverride = true): string[] {
    const files = [...this.settings.files, ...(withOverride && this.overrideFile ? [this.overrideFile] : [])];
    return ['-p', this.project, ...files.flatMap((f) => ['-f', f]), ...(this.settings.envFile ? ['--env-file', this.settings.envFile] : [])];
  }

  run(args: string[], signal?: AbortSignal): Promise<ComposeResult> {
    const env = { ...process.env };
    // the classic builder works on every engine; BuildKit needs a buildx plugin that may be absent
    env.DOCKER_BUILDKIT ??= '0';
    env.COMPOSE_DOCKER_CLI_BUILD ??= '0';
    return run(this.cmd[0], [...this.cmd.slice(1), ...this.args(), ...args], { cwd: this.settings.folder, signal, env });
  }

  /** The merged configuration as Compose sees it (services, volumes), or the error output. */
  async config(signal?: AbortSignal): Promise<{ config?: ComposeConfig; error?: string }> {
    const r = await this.run(['config'], signal);
    if (r.code !== 0) return { error: r.output.trim() || `compose config exited with ${r.code}` };
    try { return { config: (parse(r.output) ?? {}) as ComposeConfig }; } catch (e) { return { error: (e as Error).message }; }
  }

  /**
   * Write an extra compose file that labels every service and every non-external volume with the run's
   * smoke label, so what this run created can be told apart from anything else on the engine.
   */
  async writeLabelOverride(config: ComposeConfig): Promise<void> {
    const doc: Record<string, unknown> = { services: {} as Record<string, unknown> };
    // a versioned file may not be merged with an unversioned one by Compose v1
    const version = await firstVersion(this.settings.files);
    if (version) doc.version = version;
    for (const name of Object.keys(config.services ?? {})) (doc.services as Record<string, unknown>)[name] = { labels: { [SMOKE_LABEL]: this.project } };
    const vols: Record<string, unknown> = {};
    for (const [name, v] of Object.entries(config.volumes ?? {})) if (!v?.external) vols[name] = { labels: { [SMOKE_LABEL]: this.project } };
    if (Object.keys(vols).length) doc.volumes = vols;
    // removed by dispose(), or on exit and SIGINT/SIGTERM if the run never gets there
    this.overrideDir = await makeTempDir('hullcheck-smoke-');
    this.overrideFile = path.join(this.overrideDir, 'labels.yml');
    await writeFile(this.overrideFile, stringify(doc));
  }

  async dispose(): Promise<void> {
    if (this.overrideDir) await removeTempDir(this.overrideDir);
    this.overrideDir = this.overrideFile = undefined;
  }

  /**
   * The commands a person runs later to remove this project (after --keep). Volumes are named one by one:
   * `down --volumes` could also remove a pre-existing volume the stack adopted through `name:`.
   */
  cleanupCommand(volumes: string[]): string {
    const down = [...this.cmd, ...this.args(false), 'down', '--remove-orphans', '--rmi', 'local'].map(shellQuote).join(' ');
    return volumes.length ? `${down} && docker volume rm ${volumes.map(shellQuote).join(' ')}` : down;
  }
}

export interface ComposeConfig {
  version?: string;
  services?: Record<string, { build?: { context?: string; dockerfile?: string } | string; healthcheck?: { disable?: boolean; test?: unknown } }>;
  volumes?: Record<string, { external?: boolean | { name?: string }; name?: string } | null>;
}

async function firstVersion(files: string[]): Promise<string | undefined> {
  const r = await nodeHost.read(files[0], 'compose');
  if (!r.ok) return undefined;
  try {
    const v = (parse(r.text) as { version?: unknown } | null)?.version;
    return v === undefined || v === null ? undefined : String(v);
  } catch { return undefined; }
}

export function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
