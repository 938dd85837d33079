// The link to one Docker engine: a small state machine (connecting, connected, not running, permission denied,
// unknown host) with a human reason, reconnection with exponential backoff, and the /events stream that tells
// the rest of Hullcheck when images or container health change, so nothing polls while the engine is idle.

import { EventEmitter } from 'node:events';
import type Docker from 'dockerode';
import { HostError, resolveEndpoint, type Endpoint, type EndpointInput } from './endpoint';
import { LineSplitter } from './jsonLines';

export type EngineStatus = 'connecting' | 'connected' | 'not-running' | 'permission-denied' | 'unknown-host';

export interface EngineState {
  status: EngineStatus;
  /** The host tried, as the user would write it. */
  host: string;
  /** Where the host came from (`setting`, `DOCKER_HOST`, `context <name>`, `default`). */
  source: string;
  /** One or two sentences for people: what is wrong and what to do. */
  reason: string;
  /** Engine version and API version when connected. */
  version?: string;
  apiVersion?: string;
}

/** A change the engine announced on /events, reduced to what views care about. */
export interface EngineEvent {
  type: 'image' | 'container';
  action: string;
  id: string;
  /** Image reference or container name when the engine gave one. */
  name?: string;
  attributes: Record<string, string>;
}

export class EngineUnavailableError extends Error {
  constructor(readonly state: EngineState) { super(state.reason); }
}

export interface EngineOptions extends EndpointInput {
  /** Follow /events (the language server does; one-shot CLI runs do not). */
  watchEvents?: boolean;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** How long a ping may take before the engine counts as not answering. */
  pingTimeoutMs?: number;
  log?: (message: string) => void;
}

const IMAGE_ACTIONS = new Set(['tag', 'untag', 'delete', 'import', 'load', 'pull', 'commit']);
const CONTAINER_ACTIONS = new Set(['create', 'start', 'die', 'stop', 'destroy', 'restart', 'pause', 'unpause', 'rename']);

/** Map a connection error to a state, or undefined when the error is not about reaching the engine. */
export function classifyError(e: unknown, endpoint: { host: string }): { status: EngineStatus; reason: string } | undefined {
  const err = e as NodeJS.ErrnoException & { statusCode?: number };
  const host = endpoint.host;
  if (err instanceof HostError) return { status: 'unknown-host', reason: err.message };
  switch (err?.code) {
    case 'ECONNREFUSED':
    case 'ENOENT':
      return { status: 'not-running', reason: `No Docker engine is listening at ${host}. Start Docker, or point hullcheck.docker.host (or DOCKER_HOST) at a running engine.` };
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'HULLCHECK_PING_TIMEOUT':
      return { status: 'not-running', reason: `The Docker engine at ${host} does not answer (${err.code}). It may be stopping or starting.` };
    case 'EACCES':
    case 'EPERM':
      return { status: 'permission-denied', reason: `Permission denied on ${host}. Add your user to the docker group (then log in again), or use a host you may access.` };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { status: 'unknown-host', reason: `The Docker host in ${host} cannot be resolved. Check hullcheck.docker.host, DOCKER_HOST or the current docker context.` };
    default:
      if (/socket hang up/i.test(err?.message ?? '')) return { status: 'not-running', reason: `The Docker engine at ${host} closed the connection.` };
      return undefined;
  }
}

export class DockerEngine extends EventEmitter {
  private _state: EngineState = { status: 'connecting', host: '', source: '', reason: 'Connecting to the Docker engine.' };
  private docker: Docker | undefined;
  private endpoint: Endpoint | undefined;
  private timer: NodeJS.Timeout | undefined;
  private backoff: number;
  private events: NodeJS.ReadableStream | undefined;
  private connecting: Promise<EngineState> | undefined;
  private disposed = false;
  /** Bumped on every (re)connect so a stale events stream cannot change the state. */
  private generation = 0;

  constructor(private options: EngineOptions = {}) {
    super();
    this.backoff = options.minBackoffMs ?? 500;
  }

  get state(): EngineState { return this._state; }

  onState(listener: (s: EngineState) => void): () => void {
    this.on('state', listener);
    return () => this.off('state', listener);
  }

  onEvent(listener: (e: EngineEvent) => void): () => void {
    this.on('event', listener);
    return () => this.off('event', listener);
  }

  /** Change the explicit host (the setting changed) and reconnect. */
  setHost(host: string | undefined): void {
    if ((host || undefined) === (this.options.host || undefined)) return;
    this.options = { ...this.options, host };
    void this.retry();
  }

  /** Connect now, resetting the backoff (the Retry command). */
  retry(): Promise<EngineState> {
    this.backoff = this.options.minBackoffMs ?? 500;
    return this.connect();
  }

  /** Resolve the endpoint, ping, read the version, and start following events. Never throws. */
  connect(): Promise<EngineState> {
    if (this.disposed) return Promise.resolve(this._state);
    this.connecting ??= this.doConnect().finally(() => { this.connecting = undefined; });
    return this.connecting;
  }

  private async doConnect(): Promise<EngineState> {
    if (this.timer) { clearTimeout(this.timer); this.timer = undefined; }
    this.stopEvents();
    const gen = ++this.generation;
    let endpoint: Endpoint | undefined;
    try {
      endpoint = await resolveEndpoint(this.options);
      this.endpoint = endpoint;
      // loaded on first connect: dockerode and its SSH stack are large, and most sessions never talk to Docker
      const { default: Dockerode } = await import('dockerode');
      const docker = new Dockerode(endpoint.options);
      await this.ping(docker);
      const v = await docker.version() as { Version?: string; ApiVersion?: string };
      if (gen !== this.generation || this.disposed) return this._state;
      this.docker = docker;
      this.backoff = this.options.minBackoffMs ?? 500;
      this.setState({ status: 'connected', host: endpoint.host, source: endpoint.source, reason: `Connected to Docker ${v.Version ?? ''} at ${endpoint.host}.`.replace('  ', ' '), version: v.Version, apiVersion: v.ApiVersion });
      if (this.options.watchEvents) await this.startEvents(docker, gen);
    } catch (e) {
      if (gen !== this.generation || this.disposed) return this._state;
      this.failed(e, endpoint);
    }
    return this._state;
  }

  private async ping(docker: Docker): Promise<void> {
    const ms = this.options.pingTimeoutMs ?? 5000;
    let t: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      t = setTimeout(() => reject(Object.assign(new Error('ping timed out'), { code: 'HULLCHECK_PING_TIMEOUT' })), ms);
    });
    try { await Promise.race([docker.ping(), timeout]); } finally { clearTimeout(t); }
  }

  private failed(e: unknown, endpoint: Endpoint | undefined): void {
    const where = { host: endpoint?.host ?? this.options.host ?? this._state.host ?? '' };
    const c = classifyError(e, where) ?? { status: 'not-running' as const, reason: `The Docker engine at ${where.host} failed to answer: ${(e as Error)?.message ?? e}` };
    this.docker = undefined;
    this.setState({ status: c.status, host: where.host, source: endpoint?.source ?? '', reason: c.reason });
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.disposed || this.timer) return;
    const delay = this.backoff;
    this.backoff = Math.min(this.backoff * 2, this.options.maxBackoffMs ?? 30_000);
    this.timer = setTimeout(() => { this.timer = undefined; void this.connect(); }, delay);
    // the reconnect timer alone must not keep a CLI process or a test alive
    this.timer.unref?.();
  }

  private async startEvents(docker: Docker, gen: number): Promise<void> {
    const stream = await docker.getEvents({ filters: { type: ['image', 'container'] } }) as NodeJS.ReadableStream;
    if (gen !== this.generation || this.disposed) { (stream as unknown as { destroy?: () => void }).destroy?.(); return; }
    this.events = stream;
    // following events must not keep a process alive on its own (CLI runs, tests); the server has its IPC
    (stream as unknown as { socket?: { unref?: () => void } }).socket?.unref?.();
    const lines = new LineSplitter();
    stream.on('data', (chunk: Buffer) => { for (const line of lines.push(chunk)) this.dispatch(line); });
    const ended = () => {
      if (gen !== this.generation || this.disposed) return;
      this.events = undefined;
      this.log('The Docker events stream ended; reconnecting.');
      // the stream ends when the engine stops: find out now what state it is in
      void this.connect();
    };
    stream.on('end', ended);
    stream.on('close', ended);
    stream.on('error', ended);
  }

  private dispatch(line: string): void {
    let raw: { Type?: string; Action?: string; status?: string; id?: string; Actor?: { ID?: string; Attributes?: Record<string, string> } };
    try { raw = JSON.parse(line); } catch { return; }
    const type = raw.Type === 'image' || raw.Type === 'container' ? raw.Type : undefined;
    const action = (raw.Action ?? raw.status ?? '').split(':')[0].trim();
    if (!type) return;
    const wanted = type === 'image' ? IMAGE_ACTIONS.has(action) : CONTAINER_ACTIONS.has(action) || action === 'health_status';
    if (!wanted) return;
    const attributes = raw.Actor?.Attributes ?? {};
    const healthStatus = (raw.Action ?? '').split(':')[1]?.trim();
    if (healthStatus) attributes['health_status'] = healthStatus;
    this.emit('event', { type, action, id: raw.Actor?.ID ?? raw.id ?? '', name: attributes.name, attributes } satisfies EngineEvent);
  }

  private stopEvents(): void {
    const s = this.events as unknown as { destroy?: () => void } | undefined;
    this.events = undefined;
    s?.destroy?.();
  }

  /**
   * Run a call against the engine. When the engine cannot be reached the state changes, a reconnect is
   * scheduled, and the call rejects with EngineUnavailableError carrying the reason.
   */
  async use<T>(fn: (docker: Docker) => Promise<T>): Promise<T> {
    if (!this.docker) {
      if (this._state.status === 'connecting' || this.connecting) await this.connect();
      if (!this.docker) throw new EngineUnavailableError(this._state);
    }
    try {
      return await fn(this.docker);
    } catch (e) {
      const c = classifyError(e, { host: this.endpoint?.host ?? this._state.host });
      if (!c) throw e;
      this.failed(e, this.endpoint);
      throw new EngineUnavailableError(this._state);
    }
  }

  private setState(s: EngineState): void {
    const prev = this._state;
    this._state = s;
    if (prev.status !== s.status || prev.host !== s.host || prev.reason !== s.reason) this.emit('state', s);
  }

  private log(m: string): void { this.options.log?.(m); }

  dispose(): void {
    this.disposed = true;
    this.generation++;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.stopEvents();
    this.removeAllListeners();
  }
}
