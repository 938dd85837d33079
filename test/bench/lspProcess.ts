// A language server as a child process over stdio, with a small client that records publishes and log lines and can
// wait for them: the benchmarks measure what an editor would see. ServerProcess is Hullcheck's bundled server
// (server/out/server.js); PeerProcess runs another server from node_modules (rcjsuen's Dockerfile language server,
// yaml-language-server) the same way, for figures measured side by side in one run.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { SERVER_ENV, SERVER_EXEC_ARGV } from '../../server/src/protocol/serverFlags';

/** The bundled server; HULLCHECK_SERVER_BUNDLE points the benches at another build (an unminified one for profiling). */
/**
 * The V8 flags the extension starts the server with (client/src/context.ts), so the figures are the shipped setup's;
 * HULLCHECK_SERVER_EXEC_ARGV (space-separated) replaces them to compare settings.
 */
export function serverExecArgv(): string[] {
  const env = process.env.HULLCHECK_SERVER_EXEC_ARGV;
  return env !== undefined ? env.split(' ').filter(Boolean) : [...SERVER_EXEC_ARGV];
}

/**
 * The environment the extension adds for the server (client/src/context.ts); HULLCHECK_SERVER_ENV (space-separated
 * KEY=VALUE, empty for none) replaces it to compare settings.
 */
export function serverEnv(): Record<string, string> {
  const env = process.env.HULLCHECK_SERVER_ENV;
  if (env === undefined) return { ...SERVER_ENV };
  return Object.fromEntries(env.split(' ').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
}

export const BUNDLE = process.env.HULLCHECK_SERVER_BUNDLE || path.join(__dirname, '..', '..', 'server', 'out', 'server.js');

interface Waiter { pred: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }

export class LspProcess {
  readonly child: ChildProcess;
  readonly conn: MessageConnection;
  /** Log lines with the time they arrived (performance.now()). */
  readonly logs: { at: number; message: string }[] = [];
  private waiters: Waiter[] = [];
  private versions = new Map<string, number>();
  /** Whether the server puts the document version in its publishes; without it, a publish answers the latest edit. */
  protected versioned = true;

  constructor(argv: string[], env: Record<string, string> = {}) {
    this.child = spawn(process.execPath, argv, { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, ...env } });
    this.conn = createMessageConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    this.conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      for (const w of [...this.waiters]) if (w.pred(p)) { this.waiters = this.waiters.filter((x) => x !== w); w.resolve(p); }
    });
    this.conn.onNotification('window/logMessage', (p: { message: string }) => { this.logs.push({ at: performance.now(), message: p.message }); });
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.listen();
  }

  /**
   * The handshake, then `settings` pushed. With `pull`, the client also answers workspace/configuration from them
   * (servers that only read pulled settings, as yaml-language-server does); without, servers use their defaults or
   * the pushed settings.
   */
  async start(settings: Record<string, unknown>, pull = false): Promise<void> {
    if (pull) {
      this.conn.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) => p.items.map((i) =>
        (i.section ?? '').split('.').filter(Boolean).reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], settings) ?? null));
    }
    await this.conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: pull ? { workspace: { configuration: true } } : {} });
    await this.conn.sendNotification('initialized', {});
    await this.conn.sendNotification('workspace/didChangeConfiguration', { settings });
  }

  /** The next publish for `uri` (at `version`, when given). */
  published(uri: string, version?: number, timeoutMs = 30_000): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} v${version} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        pred: (p) => p.uri === uri && (version === undefined || !this.versioned || p.version === version),
        resolve: (p) => { clearTimeout(timer); resolve(p); },
      });
    });
  }

  async open(uri: string, text: string, languageId: string): Promise<PublishDiagnosticsParams> {
    this.versions.set(uri, 1);
    const p = this.published(uri, 1);
    await this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return p;
  }

  /** Send one incremental edit; returns the new version and its publish (waited for before sending). */
  async edit(uri: string, range: { start: { line: number; character: number }; end: { line: number; character: number } }, text: string): Promise<{ version: number; published: Promise<PublishDiagnosticsParams> }> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    const published = this.published(uri, version);
    published.catch(() => undefined); // callers that do not wait for it (bursts) must not see an unhandled rejection
    await this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text }] });
    return { version, published };
  }

  /** Resident set size of the server process, in MB (Linux). */
  rssMb(): number {
    const status = fs.readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
    return kb / 1024;
  }

  /** Analyses the server traced (HULLCHECK_TRACE_ANALYSIS=1) for `uri`, with their durations. */
  analyses(uri: string, since = 0): { at: number; ms: number; version: number }[] {
    const out: { at: number; ms: number; version: number }[] = [];
    for (const l of this.logs) {
      if (l.at < since) continue;
      const m = /^analysis (\S+) v(\d+) ([\d.]+) ms/.exec(l.message);
      if (m && m[1] === uri) out.push({ at: l.at, version: Number(m[2]), ms: Number(m[3]) });
    }
    return out;
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.conn.sendNotification('exit');
    } catch { /* already gone */ }
    this.conn.dispose();
    this.child.kill();
  }
}

/** Hullcheck's bundled server, started with the extension's V8 flags and environment. */
export class ServerProcess extends LspProcess {
  constructor(env: Record<string, string> = {}) {
    if (!fs.existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run npm run build`);
    super([...serverExecArgv(), BUNDLE, '--stdio'], { ...serverEnv(), ...env });
  }

  initialize(settings: Record<string, unknown> = { shellcheck: { enable: false } }): Promise<void> {
    return this.start({ hullcheck: settings });
  }
}

const ROOT = path.join(__dirname, '..', '..');

/** The peer servers the benchmarks compare with, as pinned devDependencies. */
export const PEERS = {
  /** rcjsuen's Dockerfile language server, what Container Tools runs for Dockerfiles. */
  dockerfile: { name: 'dockerfile-language-server-nodejs', entry: 'dockerfile-language-server-nodejs/lib/server.js' },
  /** yaml-language-server, given the compose schema (the server validates 200 ms after an edit, a delay it has built in). */
  yaml: { name: 'yaml-language-server', entry: 'yaml-language-server/bin/yaml-language-server' },
} as const;

export function peerVersion(peer: keyof typeof PEERS): string {
  return (JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', PEERS[peer].name, 'package.json'), 'utf8')) as { version: string }).version;
}

/** A peer server with Node's default flags, as its extension starts it; its publishes carry no version. */
export class PeerProcess extends LspProcess {
  constructor(readonly peer: keyof typeof PEERS) {
    super([require.resolve(PEERS[peer].entry, { paths: [ROOT] }), '--stdio']);
    this.versioned = false;
  }
}

export function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN;
}
