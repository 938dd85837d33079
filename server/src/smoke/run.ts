// One smoke-test run: start the stack under a unique, labelled Compose project, wait for health through the
// engine's events, probe endpoints and ready markers, and always tear down what the run created (on failure,
// timeout and cancellation too) unless asked to keep it.

import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import type { DockerEngine } from '../docker/connection';
import { nodeHost } from '../core/fileHost';
import { resolveBuild } from '../model/composeBuild';
import { parseDockerfile, type ParsedDockerfile } from '../parse/dockerfile';
import { modelOf } from '../model/dockerfile/model';
import { clashesWithRunningProject, lastLines, newProjectVolumes, anonymousVolumes, snapshotVolumes, teardown } from './cleanup';
import { ComposeProject, findCompose, type ComposeConfig } from './compose';
import { probeEndpoint, markerProbe } from './probes';
import type { SmokeProgress, SmokeRunResult, SmokeServiceResult, SmokeSettings, SmokeTeardown } from '../protocol/smokeTypes';
import { inspectState, ProjectEvents, projectContainers, waitForHealth, type ContainerState } from './wait';

export interface SmokeRunOptions {
  signal?: AbortSignal;
  keep?: boolean;
  onProgress?: (p: SmokeProgress) => void;
  /** The Compose command (tests pin it); found automatically otherwise. */
  compose?: string[];
  /** Fixed project name (tests use it to provoke the clash check); normally generated. */
  project?: string;
}

export function projectName(prefix: string): string {
  return `${prefix}-smoke-${randomBytes(4).toString('hex')}`;
}

export async function runSmoke(engine: DockerEngine, settings: SmokeSettings, opts: SmokeRunOptions = {}): Promise<SmokeRunResult> {
  const t0 = Date.now();
  const project = opts.project ?? projectName(settings.prefix);
  const progress = (phase: SmokeProgress['phase'], message: string) => opts.onProgress?.({ phase, message });
  const notTornDown: SmokeTeardown = { skipped: true, removedVolumes: [], problems: [] };
  const result = (r: Partial<SmokeRunResult> & Pick<SmokeRunResult, 'outcome'>): SmokeRunResult => ({ project, services: [], teardown: notTornDown, durationMs: Date.now() - t0, ...r });

  let cmd: string[];
  try { cmd = opts.compose ?? await findCompose([settings.folder]); } catch (e) { return result({ outcome: 'error', message: (e as Error).message }); }
  if (await clashesWithRunningProject(engine, project)) {
    return result({ outcome: 'error', message: `A Compose project named "${project}" is running and was not started by a smoke test; refusing to touch it.` });
  }

  // one signal for both the caller's cancellation and the run's deadline; the reason tells them apart
  const ctl = new AbortController();
  let why: 'cancelled' | 'timeout' | undefined;
  const onCancel = () => { why ??= 'cancelled'; ctl.abort(); };
  if (opts.signal?.aborted) return result({ outcome: 'cancelled', message: 'Cancelled before the stack started.' });
  opts.signal?.addEventListener('abort', onCancel, { once: true });
  const deadline = setTimeout(() => { why ??= 'timeout'; ctl.abort(); }, settings.timeoutSeconds * 1000);
  const compose = new ComposeProject(cmd, settings, project);
  let events: ProjectEvents | undefined;
  let before: Set<string> | undefined;
  const anonymous = new Set<string>();
  let out: SmokeRunResult;
  try {
    progress('prepare', `Reading the compose configuration for ${project}`);
    const cfg = await compose.config(ctl.signal);
    if (!cfg.config) return (out = result({ outcome: why ?? 'error', message: 'Compose could not read the configuration.', composeOutput: lastLines(cfg.error ?? '', 20) }));
    const services = Object.keys(cfg.config.services ?? {});
    const unknown = Object.keys(settings.services).filter((s) => !services.includes(s));
    if (unknown.length) return (out = result({ outcome: 'error', message: `smoke.services names ${unknown.join(', ')}, which the compose files do not define (they define ${services.join(', ') || 'no services'}).` }));
    await compose.writeLabelOverride(cfg.config);
    before = await snapshotVolumes(engine);
    events = await ProjectEvents.open(engine, project);

    progress('start', `Building and starting ${services.length} service(s) as ${project}`);
    const up = await compose.run(['up', '-d', '--build'], ctl.signal);
    const stoppedDuringUp = !!why;
    if (!why && up.code !== 0) return (out = result({ outcome: 'failed', message: `Compose could not start the stack (exit ${up.code}).`, composeOutput: lastLines(up.output, 30) }));

    // even when stopped while starting, the table shows how far each service got
    if (!why) progress('health', 'Waiting for health checks');
    const states = await projectContainers(engine, project, events);
    if (!why) await waitForHealth(engine, events, states, ctl.signal, (s) => progress('health', `${s.service}: ${s.health === 'none' ? s.state : s.health}`));
    for (const a of await anonymousVolumes(engine, project).catch(() => new Set<string>())) anonymous.add(a);

    const rows: SmokeServiceResult[] = [];
    if (!why) progress('probe', 'Probing endpoints and ready markers');
    for (const service of services) rows.push(await serviceResult(engine, service, states.get(service), settings, cfg.config, ctl.signal, !!why));
    const allOk = rows.every((r) => r.ok);
    out = result({
      outcome: why ?? (allOk ? 'passed' : 'failed'), services: rows,
      message: why ? stopMessage(why, settings, stoppedDuringUp ? 'while the stack was starting' : 'while waiting for health checks') : allOk ? undefined : `Failed: ${rows.filter((r) => !r.ok).map((r) => r.service).join(', ')}.`,
    });
    return out;
  } catch (e) {
    return (out = result({ outcome: why ?? 'error', message: why ? stopMessage(why, settings, '') : (e as Error).message }));
  } finally {
    clearTimeout(deadline);
    opts.signal?.removeEventListener('abort', onCancel);
    events?.close();
    if (opts.keep) {
      const vols = before ? await newProjectVolumes(engine, project, before, anonymous).catch(() => []) : [];
      await compose.dispose();
      out!.teardown = { skipped: true, removedVolumes: [], problems: [], command: compose.cleanupCommand(vols) };
    } else if (before) {
      progress('teardown', `Removing ${project}`);
      out!.teardown = await teardown(engine, compose, before, anonymous);
    } else await compose.dispose();
    out!.durationMs = Date.now() - t0;
    progress('done', out!.outcome);
  }
}

function stopMessage(why: 'cancelled' | 'timeout', settings: SmokeSettings, when: string): string {
  return why === 'timeout' ? `Timed out after ${settings.timeoutSeconds}s ${when}.`.replace(' .', '.') : `Cancelled ${when}.`.replace(' .', '.');
}

async function serviceResult(engine: DockerEngine, service: string, s: ContainerState | undefined, settings: SmokeSettings, cfg: ComposeConfig, signal: AbortSignal, stopped: boolean): Promise<SmokeServiceResult> {
  const r: SmokeServiceResult = { service, container: s?.name, state: s?.state ?? 'missing', health: s?.health ?? 'none', probes: [], ok: false };
  if (s?.healthyAt && s.startedAt) r.secondsToHealthy = Math.max(0, Math.round((s.healthyAt - s.startedAt) / 100) / 10);
  const cfgProbes = settings.services[service] ?? { endpoints: [], markers: [] };
  if (s && s.state === 'running' && !stopped) {
    const ms = 10_000;
    for (const ep of cfgProbes.endpoints) r.probes.push(await probeEndpoint(engine, s.id, ep, ms, signal));
    for (const m of cfgProbes.markers) r.probes.push(await markerProbe(engine, s.id, m, ms));
  }
  if (!s) r.reason = 'No container was created for this service.';
  else if (s.state !== 'running') r.reason = `The container is ${s.state}.`;
  else if (s.health === 'unhealthy') r.reason = 'The health check failed.';
  else if (s.health === 'starting') r.reason = 'The health check had not passed yet.';
  else if (r.probes.some((p) => !p.ok)) r.reason = `Probe failed: ${r.probes.filter((p) => !p.ok).map((p) => `${p.target} (${p.detail})`).join(', ')}.`;
  r.ok = !r.reason;
  if (!r.ok && s) {
    const fresh = await inspectState(engine, s.id, service).catch(() => undefined);
    if (fresh?.lastProbe !== undefined) r.healthLog = fresh.lastProbe;
    Object.assign(r, await healthcheckLocation(cfg, service, settings.folder));
  }
  return r;
}

/** The service's Dockerfile (inside the workspace) and the line of the HEALTHCHECK its final image keeps, for the editor's link. */
export async function healthcheckLocation(cfg: ComposeConfig, service: string, folder: string): Promise<{ dockerfile?: string; healthcheckLine?: number }> {
  const svc = cfg.services?.[service];
  // a compose-level healthcheck replaces the Dockerfile's, so that line would point at the wrong check
  if (!svc?.build || svc.healthcheck?.test) return {};
  const build = resolveBuild(svc.build, folder);
  const file = build?.dockerfile;
  if (!file || path.relative(folder, file).startsWith('..')) return {};
  const r = await nodeHost.read(file, 'dockerfile');
  if (!r.ok) return {};
  return { dockerfile: file, healthcheckLine: healthcheckLine(parseDockerfile(r.text), build.target) };
}

/**
 * The line of the HEALTHCHECK the image of a Dockerfile (for a target stage) keeps, from the model: builder stages,
 * a squash source's dropped config and heredoc bodies do not count.
 */
export function healthcheckLine(parsed: ParsedDockerfile, target?: string): number | undefined {
  return modelOf(parsed).finalImage(target)?.healthcheck?.range.start.line;
}
