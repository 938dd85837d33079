// The Hullcheck language server's setup over any connection: capabilities, document sync, feature wiring and
// custom requests. server.ts runs it over IPC; the tests run it over in-memory streams.

import * as path from 'node:path';
import {
  CodeActionKind, DidChangeConfigurationNotification, DidChangeWatchedFilesNotification, FileChangeType,
  TextDocumentSyncKind, type Connection, type InitializeParams, type InitializeResult,
} from 'vscode-languageserver/node';
import { DocumentStore, pathToUri, uriToPath } from './features/documents';
import { CodeActionProvider } from './features/codeActions';
import { DiagnosticsManager } from './features/diagnostics';
import { HoverProvider } from './features/hover';
import { pragmaCompletions } from './features/pragmaAssist';
import { linkedDocuments } from './features/composeLinks';
import { BUILD_FILES_GLOB, documentsAffectedByFiles } from './features/watchedFiles';
import { BASELINE_FILE } from './core/findingBaseline';
import { LintService } from './features/linting';
import { IdleCollector } from './features/idleMemory';
import { listRules, ruleDocs } from './features/ruleRequests';
import { SettingsService } from './features/editorSettings';
import { workspaceFindings } from './features/workspaceFindings';
import { registerTrivyFeatures } from './features/trivy';
import { PeerExtensionsNotification, type PeerExtensionsParams } from './protocol/messages';
import { TrivyResultsChangedNotification } from './protocol/trivyMessages';
import { registerDockerFeatures } from './features/dockerRequests';
import { registerSmokeFeature } from './features/smoke';
import { registerInitConfig } from './features/initConfig';
import { shellcheckSource } from './features/shellcheck';
import { WorkspaceTrust } from './features/trust';
import { FIX_ALL_KIND, RuleDocsRequest, RulesRequest, WorkspaceFindingsRequest, WorkspaceTrustedNotification, type InitializationOptions } from './protocol/messages';
import { type RequestSpec } from './protocol/requestSpec';

export interface ServerOptions {
  /** Debounce for edits, in milliseconds. */
  debounceMs?: number;
  /** ShellCheck binary and per-process timeout (tests); otherwise the client's machine setting or PATH. */
  shellcheck?: { path?: string; timeoutMs?: number };
}

/** Files whose change can change findings of other files. */
const WATCHED_GLOB = '**/{.hullcheck.yaml,.hullcheck.yml,.hadolint.yaml,.hadolint.yml,.dockerignore,*.dockerignore,.containerignore,.trivyignore,.trivyignore.yaml,.trivyignore.yml,trivy-reports/**/*.json,.hullcheck-baseline.json,.hullcheck-sizes.json}';
const CONFIG_FILE = /^\.(hullcheck|hadolint)\.ya?ml$/i;
const IGNORE_FILE = /(^|\.)dockerignore$|^\.containerignore$/i;
/** Trivy ignore files and the reports they are checked against: both change .trivyignore findings and the Vulnerabilities view. */
const TRIVY_FILE = /(^|[\\/])(\.trivyignore(\.ya?ml)?|trivy-reports[\\/].*\.json)$/i;

export interface HullcheckServer {
  docs: DocumentStore;
  diagnostics: DiagnosticsManager;
  linter: LintService;
}

export function startHullcheckServer(connection: Connection, options: ServerOptions = {}): HullcheckServer {
  const log = (m: string) => connection.console.log(m);
  const error = (m: string) => connection.console.error(m);
  const docs = new DocumentStore();
  const settings = new SettingsService(connection, log);
  let folders: string[] = [];
  const trust = new WorkspaceTrust(() => folders);
  let peers: PeerExtensionsParams = { dockerDx: false, containerTools: false };
  const linter = new LintService({ docs, settings, folders: () => folders, log: error, peers: () => peers });
  const diagnostics = new DiagnosticsManager(connection, docs, linter, error, options.debounceMs ?? 150);
  let shellcheckPath: string | undefined = options.shellcheck?.path;
  diagnostics.lateSources.push(shellcheckSource({ settings, log, path: () => shellcheckPath, timeoutMs: options.shellcheck?.timeoutMs, trust }).source);
  const codeActions = new CodeActionProvider(docs, linter);
  const hover = new HoverProvider(docs, linter);
  let registerWatchers = false;
  let registerConfigChange = false;
  let folderEvents = false;

  /** Every handler is guarded: a failure is logged and answered with a neutral result, never fatal. */
  function guard<A extends unknown[], R>(name: string, fallback: R, fn: (...args: A) => R | Promise<R>): (...args: A) => Promise<R> {
    return async (...args: A) => {
      try { return await fn(...args); } catch (e) {
        const err = e as Error;
        error(`${name} failed: ${err.stack ?? err.message}`);
        return fallback;
      }
    };
  }
  function onRequest<P, R>(spec: RequestSpec<P, R>, fallback: R, fn: (p: P) => R | Promise<R>): void {
    connection.onRequest(spec.method, guard(spec.method, fallback, (p: P) => fn(p)));
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities;
    settings.pullSupported = !!caps.workspace?.configuration;
    folders = (params.workspaceFolders ?? []).map((f) => uriToPath(f.uri)).filter((p): p is string => !!p);
    if (folders.length === 0 && params.rootUri) {
      const root = uriToPath(params.rootUri);
      if (root) folders = [root];
    }
    const init = (params.initializationOptions ?? {}) as InitializationOptions;
    docs.composeGlobs = (init.composeExtraGlobs ?? []).filter((g) => typeof g === 'string');
    if (init.workspaceTrusted === false) trust.set(false);
    if (!shellcheckPath && typeof init.shellcheckPath === 'string' && init.shellcheckPath.trim()) shellcheckPath = init.shellcheckPath.trim();
    registerWatchers = !init.watchesConfigFiles && !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    registerConfigChange = !!caps.workspace?.didChangeConfiguration?.dynamicRegistration;
    folderEvents = !!caps.workspace?.workspaceFolders;
    return {
      capabilities: {
        // saves matter to the Docker views: a saved compose file can change image budgets (features/dockerRequests.ts)
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['=', ','] },
        codeLensProvider: { resolveProvider: false },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'hullcheck' },
    };
  });

  connection.onInitialized(guard('initialized', undefined, async () => {
    if (registerConfigChange) await connection.client.register(DidChangeConfigurationNotification.type, { section: 'hullcheck' });
    if (registerWatchers) await connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: WATCHED_GLOB }, { globPattern: BUILD_FILES_GLOB }] });
    if (!folderEvents) return;
    connection.workspace.onDidChangeWorkspaceFolders(guard('didChangeWorkspaceFolders', undefined, (e) => {
      const removed = new Set(e.removed.map((f) => uriToPath(f.uri)));
      folders = folders.filter((f) => !removed.has(f));
      for (const f of e.added) { const p = uriToPath(f.uri); if (p) folders.push(p); }
      linter.invalidate();
      diagnostics.relintAll();
    }));
  }));

  docs.documents.onDidOpen((e) => diagnostics.opened(e.document.uri));
  // full collections once work pauses, so the garbage of the last analyses does not stay resident; a relint of every
  // open document after a settings or config file change is work too
  const idleMemory = new IdleCollector();
  idleMemory.touch(); // loading the server leaves garbage too
  docs.documents.onDidOpen(() => idleMemory.touch());
  docs.documents.onDidChangeContent(() => idleMemory.touch());
  docs.documents.onDidClose(() => idleMemory.touch());
  diagnostics.onLint = () => idleMemory.touch();
  const linkTimers = new Map<string, NodeJS.Timeout>();
  docs.documents.onDidChangeContent((e) => {
    diagnostics.changed(e.document.uri, e.document.version);
    // Dockerfiles read their ignore file from the open document when there is one
    if (docs.languageOf(e.document) === 'dockerignore') { linter.invalidate(); diagnostics.relintLanguage('dockerfile'); }
    // compose findings use the Dockerfiles they build (health checks, stages, squashes), and the reverse; finding the
    // links needs a parse, so it waits until edits pause instead of parsing on every keystroke
    const uri = e.document.uri;
    clearTimeout(linkTimers.get(uri));
    linkTimers.set(uri, setTimeout(() => {
      linkTimers.delete(uri);
      const doc = docs.get(uri);
      if (doc) diagnostics.relintUris(linkedDocuments(docs, doc));
    }, options.debounceMs ?? 150));
  });
  docs.documents.onDidClose((e) => { diagnostics.closed(e.document.uri); settings.forget(e.document.uri); });

  connection.onDidChangeConfiguration(guard('didChangeConfiguration', undefined, (params) => {
    settings.changed(params.settings);
    docker.configurationChanged();
    linter.invalidate();
    diagnostics.relintAll();
  }));

  connection.onDidChangeWatchedFiles(guard('didChangeWatchedFiles', undefined, async (params) => {
    let relevant = false;
    let trivyChanged = false;
    for (const change of params.changes) {
      const file = uriToPath(change.uri);
      const base = file ? path.basename(file) : '';
      if (CONFIG_FILE.test(base)) {
        relevant = true;
        if (change.type === FileChangeType.Deleted) await diagnostics.configFileRemoved(change.uri);
      } else if (IGNORE_FILE.test(base) || base === BASELINE_FILE) relevant = true;
      else if (file && TRIVY_FILE.test(file)) { relevant = true; trivyChanged = true; }
    }
    if (trivyChanged) void connection.sendNotification(TrivyResultsChangedNotification.method);
    // a compose file changed outside the editor (a checkout, a pull) can move budgets and image mappings too
    if (relevant || params.changes.some((c) => docker.affectsBudgets(c.uri))) docker.workspaceChanged();
    if (relevant) { linter.invalidate(); diagnostics.relintAll(); }
    // Dockerfiles, env files and project compose files on disk: only the compose documents that read them
    else diagnostics.relintUris(documentsAffectedByFiles(docs, params.changes));
  }));

  connection.onCodeAction(guard('codeAction', [], (params) => codeActions.provide(params)));
  connection.onHover(guard('hover', null, (params) => hover.provide(params)));
  connection.onCompletion(guard('completion', [], (params) => {
    const doc = docs.get(params.textDocument.uri);
    const language = doc && docs.languageOf(doc);
    return doc && language ? pragmaCompletions(doc, language, params.position) : [];
  }));

  onRequest(WorkspaceFindingsRequest, { files: [], scanned: 0, truncated: false }, (p) => workspaceFindings({ docs, settings, folders: () => folders, log: error, peers: () => peers }, p));
  onRequest(RuleDocsRequest, null, (p) => ruleDocs(p));
  onRequest(RulesRequest, [], () => listRules());
  registerTrivyFeatures(connection, { docs, folders: () => folders, log: error, trust, vexFiles: async (f) => (await settings.get(pathToUri(f))).trivy?.vex ?? [] });
  const docker = registerDockerFeatures(connection, { docs, diagnostics, folders: () => folders, log: error, settings, trust });
  registerSmokeFeature(connection, { folders: () => folders, log: error, trust });
  registerInitConfig(connection, { folders: () => folders, log: error, images: () => docker.localImages() });
  // granted trust lets ShellCheck and the engine in: lint again and let the Docker views ask again
  connection.onNotification(PeerExtensionsNotification.method, guard(PeerExtensionsNotification.method, undefined, (p: Partial<PeerExtensionsParams>) => {
    const off = Array.isArray(p?.containerToolsOff) ? p.containerToolsOff.filter((c): c is string => typeof c === 'string') : [];
    peers = { dockerDx: p?.dockerDx === true, containerTools: p?.containerTools === true, containerToolsOff: off };
    linter.invalidate();
    diagnostics.relintAll();
  }));
  connection.onNotification(WorkspaceTrustedNotification.method, guard(WorkspaceTrustedNotification.method, undefined, (p: { trusted?: unknown }) => trust.set(p?.trusted === true)));
  trust.onGranted(() => { diagnostics.relintAll(); docker.trustGranted(); });
  // the engine connection and its event stream end with the session
  connection.onShutdown(() => docker.dispose());

  docs.documents.listen(connection);
  return { docs, diagnostics, linter };
}

/** Log instead of dying on stray errors: an editor session outlives any single bug. */
export function installCrashGuards(connection: Connection): void {
  process.on('uncaughtException', (e) => {
    try { connection.console.error(`Uncaught exception: ${e.stack ?? e.message}`); } catch { /* connection gone */ }
  });
  process.on('unhandledRejection', (reason) => {
    const msg = reason instanceof Error ? reason.stack ?? reason.message : String(reason);
    try { connection.console.error(`Unhandled rejection: ${msg}`); } catch { /* connection gone */ }
  });
}
