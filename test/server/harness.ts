// In-memory LSP harness: the real Hullcheck server setup on one side of two stream pairs, a JSON-RPC client
// on the other. Tests wait for published diagnostics by predicate instead of sleeping.

import { PassThrough } from 'node:stream';
import * as os from 'node:os';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createConnection as createServerConnection, type Connection } from 'vscode-languageserver/node';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { CodeAction, Diagnostic, PublishDiagnosticsParams, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { startHullcheckServer, type HullcheckServer } from '../../server/src/lsp';
import { applyEdits } from '../../server/src/core/text';
import { RULES_BY_ID } from '../../server/src/engine/linter';

export interface Published { uri: string; version?: number; diagnostics: Diagnostic[] }

type Waiter = { uri: string; pred: (p: Published) => boolean; resolve: (p: Published) => void; reject: (e: Error) => void; timer: NodeJS.Timeout };

export class TestClient {
  readonly conn: MessageConnection;
  /** Every publishDiagnostics received, in order. */
  readonly published: Published[] = [];
  readonly logs: string[] = [];
  readonly findingsChanged: string[] = [];
  private changedWaiters: { uri: string; resolve: () => void }[] = [];
  settings: Record<string, unknown> = {};
  /** When set, answers to workspace/configuration wait for it (to hold a lint in flight). */
  configGate: Promise<void> | undefined;
  /** Resolves on the next workspace/configuration request. */
  configRequested: Promise<void> = new Promise(() => undefined);
  private configRequestedResolve: () => void = () => undefined;
  private waiters: Waiter[] = [];
  private versions = new Map<string, number>();
  private texts = new Map<string, string>();
  private serverConn: Connection;
  /** The server's internals, for tests of caching. */
  readonly server: HullcheckServer;

  constructor() {
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    this.serverConn = createServerConnection(toServer, toClient);
    this.server = startHullcheckServer(this.serverConn, { debounceMs: 20 });
    this.serverConn.listen();
    this.conn = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
    this.conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      const pub: Published = { uri: p.uri, version: p.version, diagnostics: p.diagnostics };
      this.published.push(pub);
      for (const w of [...this.waiters]) {
        if (w.uri === p.uri && w.pred(pub)) {
          clearTimeout(w.timer);
          this.waiters = this.waiters.filter((x) => x !== w);
          w.resolve(pub);
        }
      }
    });
    this.conn.onNotification('window/logMessage', (p: { message: string }) => { this.logs.push(p.message); });
    this.conn.onNotification('hullcheck/findingsChanged', (p: { uri?: string }) => {
      this.findingsChanged.push(p.uri ?? '');
      const ready = this.changedWaiters.filter((w) => w.uri === p.uri);
      this.changedWaiters = this.changedWaiters.filter((w) => w.uri !== p.uri);
      ready.forEach((w) => w.resolve());
    });
    this.expectConfigRequest();
    this.conn.onRequest('workspace/configuration', async (p: { items: { section?: string }[] }) => {
      this.configRequestedResolve();
      if (this.configGate) await this.configGate;
      return p.items.map(() => this.settings);
    });
    this.conn.listen();
  }

  async initialize(folders: string[] = [], initializationOptions?: Record<string, unknown>): Promise<Record<string, unknown>> {
    const result = await this.conn.sendRequest('initialize', {
      processId: null,
      rootUri: null,
      workspaceFolders: folders.map((f) => ({ uri: pathToFileURL(f).toString(), name: path.basename(f) })),
      capabilities: { workspace: { configuration: true, workspaceFolders: true } },
      initializationOptions,
    });
    await this.conn.sendNotification('initialized', {});
    return result as Record<string, unknown>;
  }

  /** Resolves with the next publish for `uri` that satisfies `pred` (only publishes after this call). */
  next(uri: string, pred: (p: Published) => boolean = () => true, timeoutMs = 10000): Promise<Published> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.timer !== timer);
        reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push({ uri, pred, resolve, reject, timer });
    });
  }

  expectConfigRequest(): void {
    this.configRequested = new Promise((resolve) => { this.configRequestedResolve = resolve; });
  }

  /** Resolves on the next hullcheck/findingsChanged notification for `uri`. */
  nextFindingsChanged(uri: string): Promise<void> {
    return new Promise((resolve) => this.changedWaiters.push({ uri, resolve }));
  }

  async open(uri: string, text: string, languageId = 'dockerfile'): Promise<Published> {
    const p = this.next(uri);
    this.versions.set(uri, 1);
    this.texts.set(uri, text);
    await this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return p;
  }

  /** Replace the whole text; resolves with the diagnostics published for the new version. */
  async change(uri: string, text: string): Promise<Published> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    const p = this.next(uri, (x) => x.version === version);
    await this.sendChange(uri, text);
    return p;
  }

  async sendChange(uri: string, text: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    this.texts.set(uri, text);
    await this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    return version;
  }

  async close(uri: string): Promise<void> {
    await this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  text(uri: string): string { return this.texts.get(uri) ?? ''; }
  version(uri: string): number { return this.versions.get(uri) ?? 0; }

  codeActions(uri: string, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return this.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics, only } });
  }

  dispose(): void {
    for (const w of this.waiters) clearTimeout(w.timer);
    this.conn.dispose();
    this.serverConn.dispose();
  }
}

/** Apply a workspace edit's changes for one document to its text. */
export function applyWorkspaceEdit(text: string, uri: string, edit: WorkspaceEdit | undefined): string {
  const edits: TextEdit[] = edit?.changes?.[uri] ?? [];
  return applyEdits(text, edits);
}

export function tempDir(prefix = 'hullcheck-lsp-'): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

export function fileUri(file: string): string {
  return pathToFileURL(file).toString();
}

export const RULE = 'apt-no-install-recommends';
export const APT_DOCKERFILE = 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n';

export function ofRule(p: Published, rule = RULE): Diagnostic[] {
  return p.diagnostics.filter((d) => d.code === rule);
}

/** Editor settings that turn every rule off except `keep` (rules are added concurrently; tests stay exact). */
export function onlyRuleSettings(keep = RULE): Record<string, unknown> {
  return { rules: Object.fromEntries([...RULES_BY_ID.keys()].filter((id) => id !== keep).map((id) => [id, 'off'])) };
}
