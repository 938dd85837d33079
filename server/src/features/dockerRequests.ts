// The language server's Docker features: engine state, Image Budgets and Container Health data, builds with
// progress and cancellation, image checks, logs and confirmed restarts, all as custom requests; engine events
// become hullcheck/dockerChanged notifications, code lens refreshes and budget diagnostics (no idle polling).

import * as path from 'node:path';
import { CodeLensRefreshRequest, type CancellationToken, type CodeLens, type Connection } from 'vscode-languageserver/node';
import type { ParsedDockerfile } from '../parse/dockerfile';
import { folderReports, keptVulnerabilities } from './trivy';
import { toCodeLenses, vulnLensesFor } from './vulnLens';
import { pathToUri, uriToPath, type DocumentStore } from './documents';
import { imageBudgets } from '../docker/budgetView';
import { buildImage } from '../docker/build';
import { buildContextOrFolder } from '../facts/buildContext';
import { nodeHost } from '../core/fileHost';
import { checkImage } from '../engine/imageRules';
import { EngineUnavailableError, type DockerEngine, type EngineOptions, type EngineState } from '../docker/connection';
import { containerLogs, listHealth, restartContainer } from '../docker/health';
import { modelOf } from '../model/dockerfile/model';
import { analyzeImage, findImage, inspectImage, listImages, saveAndAnalyze, type AnalyzedImage, type LocalImage } from '../docker/images';
import type { SaveAnalysis } from '../docker/layers';
import { loadWorkspace, type WorkspaceModel } from '../docker/workspace';
import { BuildImageRequest, BuildProgressNotification, ContainerLogsRequest, DockerChangedNotification, EngineStateRequest, HealthRequest, ImageBudgetsRequest, RestartContainerRequest, ValidateImageRequest, type BuildImageParams, type BuildImageResult, type DockerChangedParams, type EngineStateInfo, type HealthResult, type ImageBudgetsParams, type ImageBudgetsResult, type ValidateImageParams, type ValidateImageResult } from '../protocol/dockerMessages';
import { type RequestSpec } from '../protocol/requestSpec';
import type { DiagnosticsManager } from './diagnostics';
import { toOverrides, type SettingsService } from './editorSettings';
import { emptyConfig, mergeConfig } from '../config/hullcheckConfig';
import type { ResolvedConfig } from '../config/resolvedConfig';
import { budgetDiagnostics, dockerfileLenses, recordedSize } from './dockerLens';
import { readRecorded, readRecordedSizes, SIZES_FILE } from '../docker/recordedSizes';
import { UNTRUSTED_REASON, UntrustedWorkspaceError, type WorkspaceTrust } from './trust';

export interface DockerFeatureDeps {
  docs: DocumentStore;
  diagnostics: DiagnosticsManager;
  folders: () => string[];
  log: (m: string) => void;
  /** The editor's `hullcheck.*` settings (image rule severities come from `hullcheck.rules`). */
  settings: SettingsService;
  /** Engine options for tests (an explicit host, faster backoff). */
  engine?: EngineOptions;
  /** The gate every engine passes: none is created while the workspace is untrusted. */
  trust: WorkspaceTrust;
}

/** Events arrive in bursts (a build commits a container per step); one refresh per burst. */
const EVENT_DEBOUNCE_MS = 300;
const SETTING_TIMEOUT_MS = 3000;
/** Files whose save re-reads the workspace model: `.hullcheck.yaml` and compose files by name. */
const BUDGET_FILE = /^(\.hullcheck\.ya?ml|(docker-)?compose[^/]*\.ya?ml)$/i;

export class DockerFeature {
  private engine: DockerEngine | undefined;
  private host: string | undefined;
  private models: Promise<WorkspaceModel[]> | undefined;
  private analysis: Promise<AnalyzedImage[]> | undefined;
  private latest: AnalyzedImage[] = [];
  private readonly wasted = new Map<string, SaveAnalysis>();
  private readonly pending = new Set<DockerChangedParams['what']>();
  private timer: NodeJS.Timeout | undefined;
  private disposed = false;

  constructor(private readonly connection: Connection, private readonly deps: DockerFeatureDeps) {
    deps.diagnostics.extraSources.push((uri) => budgetDiagnostics(deps.docs, uri, this.latest));
  }

  /** Wire the requests and the code lens handler. */
  register(): this {
    // fallbacks are built when a request fails, so they carry the state of that moment (untrusted, say)
    const on = <P, R>(spec: RequestSpec<P, R>, fallback: () => R, fn: (p: P, token: CancellationToken) => Promise<R>) => {
      this.connection.onRequest(spec.method, async (p: P, token: CancellationToken) => {
        try { return await fn(p, token); } catch (e) {
          if (!(e instanceof EngineUnavailableError) && !(e instanceof UntrustedWorkspaceError)) this.deps.log(`${spec.method} failed: ${(e as Error).stack ?? e}`);
          return fallback();
        }
      });
    };
    const unreachable = () => (this.deps.trust.trusted ? 'The Docker engine is not reachable.' : UNTRUSTED_REASON);
    on(EngineStateRequest, () => this.stateInfo(), async (p) => this.stateInfo(await (p?.retry ? this.ensure().retry() : this.ensure().connect())));
    on(ImageBudgetsRequest, () => ({ engine: this.stateInfo(), budgeted: [], unbudgeted: [], missing: [] }), (p) => this.imageBudgets(p ?? {}));
    on(HealthRequest, () => ({ engine: this.stateInfo(), projects: [] }), () => this.health());
    on(ContainerLogsRequest, () => ({ text: '', truncated: false }), async (p) => containerLogs(await this.connected(), p.id, p.tail));
    on(RestartContainerRequest, () => ({ ok: false, error: unreachable() }), async (p) => restartContainer(await this.connected(), p.id, p.confirmed === true));
    on(BuildImageRequest, () => ({ ok: false, error: unreachable() }), (p, t) => this.build(p, t));
    on(ValidateImageRequest, () => ({ ok: false, error: unreachable(), findings: [] }), (p, t) => this.validate(p, t));
    // a saved compose file or .hullcheck.yaml can change budgets and which service an image belongs to
    this.deps.docs.documents.onDidSave((e) => { if (this.affectsBudgets(e.document.uri)) this.workspaceChanged(); });
    this.connection.onCodeLens(async (p) => {
      const doc = this.deps.docs.get(p.textDocument.uri);
      if (!doc || this.deps.docs.languageOf(doc) !== 'dockerfile') return [];
      // report lenses need no engine: they stay when the engine is unreachable or the workspace untrusted
      const vulns = await this.vulnerabilityLenses(p.textDocument.uri).catch(() => []);
      try {
        const mode = (await this.deps.settings.get(p.textDocument.uri)).lens?.sizes ?? 'large';
        if (mode === 'off') return vulns;
        const images = await this.analyzed();
        const recorded = await readRecordedSizes(this.deps.docs.host, this.deps.folders());
        return [...dockerfileLenses(this.deps.docs, p.textDocument.uri, images, mode, (i) => recordedSize(recorded, i)), ...vulns];
      } catch { return vulns; }
    });
    return this;
  }

  /** Lenses from the Trivy reports of the document's folder whose image was built from this Dockerfile (no engine needed). */
  private async vulnerabilityLenses(uri: string): Promise<CodeLens[]> {
    const file = uriToPath(uri);
    const doc = this.deps.docs.get(uri);
    const entry = doc ? this.deps.docs.parsedOf(doc) : undefined;
    if (!file || entry?.language !== 'dockerfile' || !entry.parsed) return [];
    const folder = this.deps.folders().filter((f) => file.startsWith(f + path.sep)).sort((a, b) => b.length - a.length)[0];
    if (!folder) return [];
    // the lens counts what the ignore file and the folder's VEX documents leave, as the Vulnerabilities view does
    const vexFiles = async (f: string) => (await this.deps.settings.get(pathToUri(f))).trivy?.vex ?? [];
    const { reports, ignore, vex } = await folderReports({ docs: this.deps.docs, vexFiles }, folder);
    const parsed = entry.parsed as ParsedDockerfile;
    return toCodeLenses(vulnLensesFor(parsed, reports.filter((r) => r.image).map((report) => ({ report, kept: keptVulnerabilities(report, ignore, vex) }))));
  }

  /** The engine, created on first use so sessions that never look at Docker never connect. */
  private ensure(): DockerEngine {
    if (this.engine) return this.engine;
    const engine = this.deps.trust.engine({ ...this.deps.engine, host: this.host ?? this.deps.engine?.host, watchEvents: true, log: this.deps.log });
    this.engine = engine;
    engine.onState((s) => {
      this.invalidate();
      this.notify('engine');
      if (s.status === 'connected') { this.notify('images'); this.notify('containers'); }
    });
    engine.onEvent((e) => {
      if (e.type === 'image') { this.invalidate(); this.notify('images'); } else this.notify('containers');
    });
    void this.readHostSetting();
    return engine;
  }

  /** The engine's local images when the workspace is trusted and the engine answers; undefined otherwise. */
  async localImages(): Promise<LocalImage[] | undefined> {
    if (!this.deps.trust.trusted) return undefined;
    try { return await listImages(await this.connected()); } catch { return undefined; }
  }

  private async connected(): Promise<DockerEngine> {
    const engine = this.ensure();
    const s = await engine.connect();
    if (s.status !== 'connected') throw new EngineUnavailableError(s);
    return engine;
  }

  private stateInfo(s: EngineState | undefined = this.engine?.state): EngineStateInfo {
    if (!this.deps.trust.trusted) return { status: 'untrusted', host: '', source: '', reason: UNTRUSTED_REASON };
    if (!s) return { status: 'connecting', host: '', source: '', reason: 'Not connected to the Docker engine yet.' };
    return { status: s.status, host: s.host, source: s.source, reason: s.reason, version: s.version };
  }

  /** didChangeConfiguration: re-read the machine-scoped `hullcheck.docker.host` and forget workspace models. */
  configurationChanged(): void {
    this.models = undefined;
    this.invalidate();
    if (this.engine) void this.readHostSetting();
  }

  /** The workspace became trusted: views that showed the untrusted state ask again. */
  trustGranted(): void {
    this.invalidate();
    quiet(() => this.connection.sendNotification(DockerChangedNotification.method, { what: 'engine' } satisfies DockerChangedParams));
  }

  /** Budgets or compose files changed on disk. */
  workspaceChanged(): void {
    this.models = undefined;
    this.invalidate();
    this.notify('images');
  }

  /** Compose files and `.hullcheck.yaml` declare budgets, services and their images. */
  /**
   * True for compose files and `.hullcheck.yaml` (saving or changing one on disk can change budgets and mappings)
   * and for `.hullcheck-sizes.json` (the recorded sizes the view and the lenses compare with).
   */
  affectsBudgets(uri: string): boolean {
    const doc = this.deps.docs.get(uri);
    if (doc && this.deps.docs.languageOf(doc) === 'compose') return true;
    const file = uriToPath(uri);
    return !!file && (BUDGET_FILE.test(path.basename(file)) || path.basename(file) === SIZES_FILE);
  }

  /** The editor's `hullcheck.rules` settings (of the first folder) as config overrides for the image rules. */
  private async editorRuleOverrides(): Promise<Partial<ResolvedConfig>> {
    const folder = this.deps.folders()[0];
    return toOverrides(await this.deps.settings.get(folder ? pathToUri(folder) : undefined), this.deps.log);
  }

  private async readHostSetting(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<undefined>((r) => { timer = setTimeout(() => r(undefined), SETTING_TIMEOUT_MS); });
      const v = await Promise.race([this.connection.workspace.getConfiguration({ section: 'hullcheck.docker' }), timeout]) as { host?: unknown } | undefined;
      const host = typeof v?.host === 'string' && v.host.trim() ? v.host.trim() : undefined;
      if (host !== this.host) { this.host = host; this.engine?.setHost(host); }
    } catch { /* a client without workspace/configuration keeps the environment's host */ } finally {
      if (timer) clearTimeout(timer);
    }
  }

  private workspaceModels(): Promise<WorkspaceModel[]> {
    this.models ??= Promise.all(this.deps.folders().map((f) => loadWorkspace(f, this.deps.docs.host)));
    return this.models;
  }

  private invalidate(): void {
    this.analysis = undefined;
  }

  /** Analysed images (cached until an image event); refreshes lenses and budget diagnostics when it changes. */
  private analyzed(): Promise<AnalyzedImage[]> {
    if (!this.analysis) {
      const run = (async () => {
        const engine = await this.connected();
        const r = await imageBudgets(engine, await this.workspaceModels(), this.deps.docs.host, this.wasted);
        return r.analyzed;
      })();
      this.analysis = run;
      run.then((images) => this.publish(images), () => this.publish([]));
    }
    return this.analysis;
  }

  private publish(images: AnalyzedImage[]): void {
    const overBefore = new Set(this.latest.filter((i) => i.mapping.budget && i.size > i.mapping.budget.bytes).map((i) => i.mapping.dockerfile));
    this.latest = images;
    const overNow = new Set(images.filter((i) => i.mapping.budget && i.size > i.mapping.budget.bytes).map((i) => i.mapping.dockerfile));
    const touched = [...new Set([...overBefore, ...overNow])].filter((f): f is string => !!f).map((f) => pathToUri(path.resolve(f)));
    if (touched.length) this.deps.diagnostics.relintUris(touched);
    // the client may not support refresh, or the connection may be closing: neither is an error here
    quiet(() => this.connection.sendRequest(CodeLensRefreshRequest.type));
  }

  private notify(what: DockerChangedParams['what']): void {
    // nobody has asked for Docker data yet: there is nothing to refresh, and no engine to talk to
    if (!this.engine || this.disposed) return;
    this.pending.add(what);
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const whats = [...this.pending];
      this.pending.clear();
      if (whats.includes('images')) void this.analyzed().catch(() => undefined);
      // a notification racing the connection's end is dropped, not an error
      for (const w of whats) quiet(() => this.connection.sendNotification(DockerChangedNotification.method, { what: w } satisfies DockerChangedParams));
    }, EVENT_DEBOUNCE_MS);
  }

  async imageBudgets(params: ImageBudgetsParams): Promise<ImageBudgetsResult> {
    const engine = this.ensure();
    const state = await engine.connect();
    if (state.status !== 'connected') return { engine: this.stateInfo(state), budgeted: [], unbudgeted: [], missing: [] };
    if (params.wastedFor) {
      const local = await findImage(engine, params.wastedFor);
      if (local && !this.wasted.has(local.id)) this.wasted.set(local.id, await saveAndAnalyze(engine, local.id));
    }
    // the view shows each image's change since the size `hullcheck budgets --record` wrote
    const recorded = await readRecorded(this.deps.docs.host, this.deps.folders());
    const r = await imageBudgets(engine, await this.workspaceModels(), this.deps.docs.host, this.wasted, recorded);
    this.analysis = Promise.resolve(r.analyzed);
    this.publish(r.analyzed);
    return { engine: this.stateInfo(), budgeted: r.budgeted, unbudgeted: r.unbudgeted, missing: r.missing };
  }

  async health(): Promise<HealthResult> {
    const engine = this.ensure();
    const state = await engine.connect();
    if (state.status !== 'connected') return { engine: this.stateInfo(state), projects: [] };
    const projects = await listHealth(engine);
    const images = await this.analyzed().catch(() => [] as AnalyzedImage[]);
    for (const c of projects.flatMap((p) => p.containers)) {
      const image = images.find((i) => i.tags.includes(c.image) || i.id === c.image || i.ref === c.image);
      if (!image?.parsed || !image.mapping.dockerfile) continue;
      const hc = modelOf(image.parsed).finalImage(image.mapping.target)?.healthcheck;
      if (hc) { c.healthcheckUri = pathToUri(image.mapping.dockerfile); c.healthcheckLine = hc.range.start.line; }
    }
    return { engine: this.stateInfo(), projects };
  }

  async build(p: BuildImageParams, token: CancellationToken): Promise<BuildImageResult> {
    const dockerfile = uriToPath(p.dockerfileUri);
    if (!dockerfile) return { ok: false, error: 'Only Dockerfiles saved on disk can be built.' };
    // the context the lint rules judge: the compose service's, the configured one, or where the sources are
    const context = (p.contextUri && uriToPath(p.contextUri)) || await buildContextOrFolder(nodeHost, dockerfile);
    const folder = this.deps.folders().find((f) => !path.relative(f, dockerfile).startsWith('..')) ?? context;
    const tag = p.tag || `${path.basename(path.dirname(dockerfile)).toLowerCase().replace(/[^a-z0-9_.-]/g, '') || 'image'}:dev`;
    const engine = await this.connected();
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    try {
      const r = await buildImage(engine, {
        dockerfile, context, tag, target: p.target, buildArgs: p.buildArgs, labelBase: folder, signal: abort.signal,
        onProgress: (message) => {
          const m = /^Step (\d+)\/(\d+)/.exec(message);
          quiet(() => this.connection.sendNotification(BuildProgressNotification.method, { buildId: p.buildId, message, step: m ? +m[1] : undefined, steps: m ? +m[2] : undefined }));
        },
      });
      return { ...r, tag: r.ok ? tag : undefined };
    } finally {
      sub.dispose();
    }
  }

  async validate(p: ValidateImageParams, token: CancellationToken): Promise<ValidateImageResult> {
    const engine = await this.connected();
    const local = await findImage(engine, p.ref);
    if (!local) return { ok: false, error: `The engine has no image ${p.ref}.`, findings: [] };
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    try {
      // the save stream takes longest: the mapping, history and inspect are read while it flows
      const saving = saveAndAnalyze(engine, local.id, abort.signal);
      saving.catch(() => undefined); // awaited below; a failure meanwhile must not count as unhandled
      const models = await this.workspaceModels();
      let image = await analyzeImage(engine, models[0] ?? { folder: process.cwd(), services: [], budgets: [], allowRoot: [], dockerfiles: [], problems: [] }, this.deps.docs.host, { ...local, ref: p.ref });
      for (const m of models.slice(1)) {
        if (image.mapping.dockerfile || image.mapping.budget) break;
        image = await analyzeImage(engine, m, this.deps.docs.host, { ...local, ref: p.ref });
      }
      const [inspect, save, overrides] = await Promise.all([inspectImage(engine, local.id), saving, this.editorRuleOverrides()]);
      this.wasted.set(local.id, save);
      // `hullcheck.rules` editor settings apply over the folder's .hullcheck.yaml, as they do for linting
      const config = mergeConfig(image.mapping.config ?? emptyConfig(), overrides);
      const findings = checkImage({ image, inspect, save, config, log: this.deps.log }).map((f) => ({
        rule: f.rule, severity: f.severity, message: f.message, range: f.range, fixable: false, image: p.ref,
        dockerfileUri: f.dockerfile ? pathToUri(f.dockerfile) : undefined, docsUrl: f.url,
      }));
      return { ok: true, findings };
    } catch (e) {
      if (abort.signal.aborted) return { ok: false, error: 'Cancelled.', findings: [] };
      throw e;
    } finally {
      sub.dispose();
      // on a failure elsewhere the save may still be streaming: stop it (a finished save ignores this)
      abort.abort();
    }
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.engine?.dispose();
  }
}

/** Send without caring about the outcome: a closed connection throws synchronously or rejects. */
function quiet(send: () => Promise<unknown>): void {
  try { send().catch(() => undefined); } catch { /* connection closed */ }
}

export function registerDockerFeatures(connection: Connection, deps: DockerFeatureDeps): DockerFeature {
  return new DockerFeature(connection, deps).register();
}
