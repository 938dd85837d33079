// Waiting for a smoke project's containers to become healthy, driven by the engine's /events stream
// (health_status, die) rather than by polling: the stream is opened before the stack starts, so no report is missed.

import type { DockerEngine } from '../docker/connection';
import { PROJECT_LABEL, SERVICE_LABEL } from './compose';
import { LineSplitter } from '../docker/jsonLines';

export interface ContainerState {
  id: string;
  name: string;
  service: string;
  state: string;
  health: 'healthy' | 'unhealthy' | 'starting' | 'none';
  startedAt?: number;
  healthyAt?: number;
  /** Output of the last health probe run (from inspect). */
  lastProbe?: string;
}

interface RawEvent { Action?: string; status?: string; timeNano?: number; time?: number; Actor?: { ID?: string; Attributes?: Record<string, string> } }

/** Follows the project's container events from the moment it is opened until close(). */
export class ProjectEvents {
  /** First `healthy` report per container (ms since epoch). */
  readonly firstHealthy = new Map<string, number>();
  private listeners = new Set<(e: { id: string; action: string; health?: string; at: number }) => void>();
  private constructor(private stream: NodeJS.ReadableStream) {}

  static async open(engine: DockerEngine, project: string): Promise<ProjectEvents> {
    const stream = await engine.use((d) => d.getEvents({ filters: { type: ['container'], label: [`${PROJECT_LABEL}=${project}`] } })) as NodeJS.ReadableStream;
    const pe = new ProjectEvents(stream);
    const lines = new LineSplitter();
    stream.on('data', (chunk: Buffer) => { for (const line of lines.push(chunk)) pe.dispatch(line); });
    stream.on('error', () => undefined);
    return pe;
  }

  private dispatch(line: string): void {
    let raw: RawEvent;
    try { raw = JSON.parse(line) as RawEvent; } catch { return; }
    const [action, health] = (raw.Action ?? raw.status ?? '').split(':').map((s) => s.trim());
    const id = raw.Actor?.ID ?? '';
    const at = raw.timeNano ? Math.floor(raw.timeNano / 1e6) : (raw.time ?? Date.now() / 1000) * 1000;
    if (action === 'health_status' && health === 'healthy' && !this.firstHealthy.has(id)) this.firstHealthy.set(id, at);
    for (const l of this.listeners) l({ id, action, health, at });
  }

  onEvent(l: (e: { id: string; action: string; health?: string; at: number }) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  close(): void {
    this.listeners.clear();
    (this.stream as unknown as { destroy?: () => void }).destroy?.();
  }
}

/** The project's containers as they are now, one per service (the first replica). */
export async function projectContainers(engine: DockerEngine, project: string, events: ProjectEvents): Promise<Map<string, ContainerState>> {
  const list = await engine.use((d) => d.listContainers({ all: true, filters: { label: [`${PROJECT_LABEL}=${project}`] } }));
  const out = new Map<string, ContainerState>();
  for (const c of list.sort((a, b) => (a.Names[0] ?? '').localeCompare(b.Names[0] ?? ''))) {
    const service = c.Labels?.[SERVICE_LABEL] ?? c.Names[0]?.replace(/^\//, '') ?? c.Id;
    if (out.has(service)) continue;
    const s = await inspectState(engine, c.Id, service);
    if (s) {
      if (s.health === 'healthy') s.healthyAt = events.firstHealthy.get(c.Id) ?? Date.now();
      out.set(service, s);
    }
  }
  return out;
}

export async function inspectState(engine: DockerEngine, id: string, service: string): Promise<ContainerState | undefined> {
  let info;
  try { info = await engine.use((d) => d.getContainer(id).inspect()); } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 404) return undefined;
    throw e;
  }
  const h = (info.State as { Health?: { Status?: string; Log?: { Output?: string }[] } }).Health;
  const status = h?.Status;
  const started = Date.parse(info.State.StartedAt);
  const log = h?.Log ?? [];
  return {
    id, service, name: info.Name.replace(/^\//, ''), state: info.State.Status,
    health: status === 'healthy' || status === 'unhealthy' || status === 'starting' ? status : 'none',
    startedAt: Number.isFinite(started) && started > 0 ? started : undefined,
    lastProbe: log.length ? (log[log.length - 1].Output ?? '').trim() : undefined,
  };
}

function settled(s: ContainerState): boolean {
  if (s.state !== 'running' && s.state !== 'restarting' && s.state !== 'created') return true;
  return s.health !== 'starting';
}

/**
 * Resolve once every container is healthy, unhealthy, has no healthcheck, or stopped; or when the signal aborts
 * (the states so far are returned then). Woken only by the project's events.
 */
export async function waitForHealth(
  engine: DockerEngine, events: ProjectEvents, states: Map<string, ContainerState>, signal: AbortSignal,
  onChange?: (s: ContainerState) => void,
): Promise<void> {
  const byId = new Map([...states.values()].map((s) => [s.id, s]));
  if ([...states.values()].every(settled) || signal.aborted) return;
  await new Promise<void>((resolve) => {
    let busy = Promise.resolve();
    const finish = () => { off(); signal.removeEventListener('abort', finish); resolve(); };
    const off = events.onEvent((e) => {
      const s = byId.get(e.id);
      if (!s) return;
      busy = busy.then(async () => {
        if (e.action === 'health_status' && e.health) {
          s.health = e.health === 'healthy' || e.health === 'unhealthy' ? e.health : 'starting';
          if (s.health === 'healthy') s.healthyAt ??= e.at;
        } else if (e.action === 'die' || e.action === 'stop' || e.action === 'destroy' || e.action === 'start') {
          const fresh = await inspectState(engine, s.id, s.service).catch(() => undefined);
          s.state = fresh?.state ?? (e.action === 'start' ? 'running' : 'exited');
        } else return;
        onChange?.(s);
        if ([...states.values()].every(settled)) finish();
      });
    });
    signal.addEventListener('abort', finish, { once: true });
    // an event may have arrived between the first inspect and subscribing: look once more, now that none is missed
    busy = busy.then(async () => {
      for (const s of states.values()) {
        if (settled(s)) continue;
        const fresh = await inspectState(engine, s.id, s.service).catch(() => undefined);
        if (!fresh) continue;
        s.state = fresh.state;
        s.health = fresh.health;
        if (s.health === 'healthy') s.healthyAt ??= events.firstHealthy.get(s.id) ?? Date.now();
      }
      if ([...states.values()].every(settled)) finish();
    });
  });
}
