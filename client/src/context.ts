// Owns the language client, the "Hullcheck" log channel and every disposable of the extension.
// Views and commands reach the server only through typed requests made here.

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient, LanguageClientOptions, ServerOptions, State } from 'vscode-languageclient/node';
import { BuildProgressNotification, DockerChangedNotification } from '../../server/src/protocol/dockerMessages';
import { SmokeProgressNotification, FindingsChangedNotification, type FindingsChangedParams, type InitializationOptions } from '../../server/src/protocol/messages';
import { type RequestSpec } from '../../server/src/protocol/requestSpec';
import { TrivyResultsChangedNotification } from '../../server/src/protocol/trivyMessages';
import { WorkspaceTrustedNotification } from '../../server/src/protocol/messages';
import { type NotificationSpec } from '../../server/src/protocol/requestSpec';
import { SERVER_ENV, SERVER_EXEC_ARGV } from '../../server/src/protocol/serverFlags';

export type ServerState = 'starting' | 'running' | 'stopped' | 'failed';

/** Config and ignore files whose changes the server must hear about (they change other files' findings). */
const WATCHED = '**/{.hullcheck.yaml,.hullcheck.yml,.hadolint.yaml,.hadolint.yml,.dockerignore,*.dockerignore,.hullcheck-baseline.json,.hullcheck-sizes.json}';
const DOCKERFILE_NAMES = '**/{Dockerfile,Dockerfile.*,*.Dockerfile,Containerfile,Containerfile.*,*.dockerignore,.dockerignore}';
/** Compose files by the names Compose itself looks for (plus variants such as compose.test.yml). */
const COMPOSE_NAMES = '**/{compose*.yml,compose*.yaml,docker-compose*.yml,docker-compose*.yaml}';
/** Trivy ignore files (the YAML ones keep the yaml language for highlighting) and the reports they are checked against. */
const TRIVYIGNORE_NAMES = '**/{.trivyignore,.trivyignore.yaml,.trivyignore.yml}';
const TRIVY_WATCHED = '**/{.trivyignore,.trivyignore.yaml,.trivyignore.yml,trivy-reports/**/*.json}';
/** Files open compose documents read from disk: built Dockerfiles, other compose files of a project, env files. */
const BUILD_WATCHED = '**/{Dockerfile,Dockerfile.*,*.Dockerfile,*.dockerfile,Containerfile,Containerfile.*,compose*.yml,compose*.yaml,docker-compose*.yml,docker-compose*.yaml,.env,*.env}';

export class HullcheckContext implements vscode.Disposable {
  readonly output: vscode.LogOutputChannel;
  private client: LanguageClient | undefined;
  private clientDisposables: vscode.Disposable[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private _state: ServerState = 'stopped';
  /** The first start, begun after activation returned; requests made before it finishes wait for it. */
  private starting: Promise<void> | undefined;
  private disposed = false;
  private readonly stateEmitter = new vscode.EventEmitter<ServerState>();
  private readonly findingsEmitter = new vscode.EventEmitter<FindingsChangedParams>();
  readonly onDidChangeServerState = this.stateEmitter.event;
  readonly onDidChangeFindings = this.findingsEmitter.event;
  private readonly trivyEmitter = new vscode.EventEmitter<void>();
  /** The server's loaded Trivy reports or scans changed (hullcheck/trivyResultsChanged). */
  readonly onDidChangeTrivyResults = this.trivyEmitter.event;
  private readonly dockerEmitter = new vscode.EventEmitter<{ method: string; params: unknown }>();
  /** Docker notifications (hullcheck/dockerChanged, hullcheck/buildProgress) for the views and commands that follow them. */
  readonly onDidReceiveDockerNotification = this.dockerEmitter.event;

  constructor(readonly extension: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel('Hullcheck', { log: true });
    this.disposables.push(this.output, this.stateEmitter, this.findingsEmitter);
    this.disposables.push(this.trivyEmitter);
    this.disposables.push(this.dockerEmitter);
  }

  get state(): ServerState { return this._state; }

  /** Keep a disposable until the extension deactivates. */
  push(...items: vscode.Disposable[]): void {
    this.disposables.push(...items);
  }

  /** Start the server without holding up activation: it is spawned a macrotask later; requests meanwhile wait. */
  startInBackground(): Promise<void> {
    this.starting ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => (this.disposed ? undefined : this.start()));
    return this.starting;
  }

  async start(): Promise<void> {
    this.setState('starting');
    // loaded when the server starts, not with the extension: it is nearly all of the bundle's evaluation time
    const { LanguageClient, State, TransportKind } = await import('vscode-languageclient/node');
    const module = this.extension.asAbsolutePath(path.join('server', 'out', 'server.js'));
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_EXEC_ARGV], env: { ...SERVER_ENV } } },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
    };
    const watcher = vscode.workspace.createFileSystemWatcher(WATCHED);
    const trivyWatcher = vscode.workspace.createFileSystemWatcher(TRIVY_WATCHED);
    const buildWatcher = vscode.workspace.createFileSystemWatcher(BUILD_WATCHED);
    const composeExtraGlobs = vscode.workspace.getConfiguration('hullcheck').get<string[]>('compose.extraGlobs', []).filter((g) => typeof g === 'string' && g.trim() !== '');
    // machine-scoped: only the user's own settings may name a binary to run, never a workspace's
    const shellcheckPath = vscode.workspace.getConfiguration('hullcheck').inspect<string>('shellcheck.path')?.globalValue;
    // the server runs no program and never contacts the engine until it hears the workspace is trusted
    const initializationOptions: InitializationOptions = {
      watchesConfigFiles: true, composeExtraGlobs, shellcheckPath: typeof shellcheckPath === 'string' ? shellcheckPath : undefined,
      workspaceTrusted: vscode.workspace.isTrusted,
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'dockerfile' },
        { scheme: 'untitled', language: 'dockerfile' },
        { scheme: 'file', language: 'dockerignore' },
        { scheme: 'untitled', language: 'dockerignore' },
        { scheme: 'file', pattern: DOCKERFILE_NAMES },
        { scheme: 'file', language: 'dockercompose' },
        { scheme: 'untitled', language: 'dockercompose' },
        { scheme: 'file', pattern: COMPOSE_NAMES },
        { scheme: 'file', language: 'trivyignore' },
        { scheme: 'file', pattern: TRIVYIGNORE_NAMES },
        ...composeExtraGlobs.map((g) => ({ scheme: 'file', pattern: g.includes('/') ? g : `**/${g}` })),
      ],
      synchronize: { fileEvents: [watcher, trivyWatcher, buildWatcher] },
      outputChannel: this.output,
      initializationOptions,
      diagnosticCollectionName: 'hullcheck',
    };
    const client = new LanguageClient('hullcheck', 'Hullcheck', serverOptions, clientOptions);
    this.client = client;
    this.clientDisposables = [
      watcher,
      trivyWatcher,
      buildWatcher,
      client.onNotification(TrivyResultsChangedNotification.method, () => this.trivyEmitter.fire()),
      client.onDidChangeState((e) => this.setState(toServerState(e.newState, State))),
      // the document selector is fixed per client, so new compose patterns need a fresh one
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('hullcheck.compose.extraGlobs')) void this.restart(); }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => { void client.sendNotification(WorkspaceTrustedNotification.method, { trusted: true }).catch(() => undefined); }),
      client.onNotification(FindingsChangedNotification.method, (p: FindingsChangedParams) => this.findingsEmitter.fire(p ?? {})),
      client.onNotification(DockerChangedNotification.method, (p: unknown) => this.dockerEmitter.fire({ method: DockerChangedNotification.method, params: p })),
      client.onNotification(BuildProgressNotification.method, (p: unknown) => this.dockerEmitter.fire({ method: BuildProgressNotification.method, params: p })),
      client.onNotification(SmokeProgressNotification.method, (p: unknown) => this.dockerEmitter.fire({ method: SmokeProgressNotification.method, params: p })),
    ];
    this.setState('starting');
    try {
      await client.start();
      this.setState('running');
    } catch (e) {
      this.setState('failed');
      this.output.error(`The Hullcheck server did not start: ${(e as Error).message}`);
    }
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    const disposables = this.clientDisposables;
    this.clientDisposables = [];
    try {
      if (client?.needsStop()) await client.stop();
    } catch (e) {
      this.output.warn(`Stopping the Hullcheck server failed: ${(e as Error).message}`);
    } finally {
      disposables.forEach((d) => d.dispose());
      this.setState('stopped');
    }
  }

  async restart(): Promise<void> {
    this.output.info('Restarting the Hullcheck server');
    await this.stop();
    await this.start();
  }

  /** A typed custom notification; dropped when the server is not running (it is sent again on the next start). */
  notify<P>(spec: NotificationSpec<P>, params: P): void {
    const client = this.client;
    if (client?.isRunning()) void client.sendNotification(spec.method, params).catch(() => undefined);
  }

  /** A typed custom request; rejects when the server is not running. */
  async request<P, R>(spec: RequestSpec<P, R>, params: P, token?: vscode.CancellationToken): Promise<R> {
    await this.starting;
    const client = this.client;
    if (!client || !client.isRunning()) throw new Error('The Hullcheck server is not running.');
    // a cancelled token cancels the request on the server (e.g. stops a running Trivy scan)
    return token ? client.sendRequest<R>(spec.method, params, token) : client.sendRequest<R>(spec.method, params);
  }



  private setState(state: ServerState): void {
    if (state === this._state) return;
    this._state = state;
    this.stateEmitter.fire(state);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.starting; // never rejects: start() reports its own failure
    await this.stop();
    this.disposables.splice(0).reverse().forEach((d) => d.dispose());
  }
}

function toServerState(s: State, states: typeof import('vscode-languageclient/node').State): ServerState {
  switch (s) {
    case states.Running: return 'running';
    case states.Starting: return 'starting';
    case states.StartFailed: return 'failed';
    default: return 'stopped';
  }
}
