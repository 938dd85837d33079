// Lints open documents through the engine's lintFile with the cached parse and the editor settings.
// Results are cached per document version and settings epoch, so diagnostics, code actions and hover share one run.

import * as path from 'node:path';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { lintFile } from '../engine/lintFile';
import { memoizedLookups } from '../core/fileHost';
import type { ConfigProblem } from '../config/resolvedConfig';
import type { HadolintConfig } from '../config/hadolintConfig';
import { INTERNAL_ERROR_RULE, type Finding, type Language } from '../core/findings';
import { type ResolvedConfig } from '../config/resolvedConfig';
import { skippedFinding, uriToPath, type DocumentStore } from './documents';
import { toOverrides, type SettingsService } from './editorSettings';
import { lintLarge } from './largeLint';
import { ConfigReadCache } from './lintHost';
import { EditorBaseline } from './baselineView';
import { filterDuplicates } from './peerDuplicates';
import type { PeerExtensionsParams } from '../protocol/messages';

const NO_PEERS: PeerExtensionsParams = { dockerDx: false, containerTools: false };
import { folderOf } from '../core/projectScope';

export interface LintOutcome {
  uri: string;
  version: number;
  /** The text the findings were computed on (fix edits refer to it). */
  text: string;
  language: Language | undefined;
  /** False when `hullcheck.enable` is off for the document. */
  enabled: boolean;
  findings: Finding[];
  configProblems: ConfigProblem[];
  configFiles: string[];
  /** The configuration the findings were computed with (for analyses that run later, such as ShellCheck). */
  config?: ResolvedConfig;
  hadolint?: HadolintConfig;
  /** The parse the findings were computed on (a ParsedDockerfile for Dockerfiles), reused by later analyses. */
  parsed?: unknown;
}

export interface LintDeps {
  docs: DocumentStore;
  settings: SettingsService;
  /** Workspace folder paths, first one first. */
  folders(): string[];
  log(message: string): void;
  /** Which peer extensions the client reports active (for `hullcheck.duplicates: auto`). */
  peers?(): PeerExtensionsParams;
}

/** HULLCHECK_TRACE_ANALYSIS=1: one log line per analysis with its duration (benchmarks count and time analyses). */
const TRACE_ANALYSIS = process.env.HULLCHECK_TRACE_ANALYSIS === '1';

function internalError(message: string): Finding {
  return { rule: INTERNAL_ERROR_RULE, severity: 'error', message, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, fixes: [] };
}

interface CachedRun {
  version: number;
  epoch: number;
  promise: Promise<LintOutcome>;
  /** Set once the run finished and only its findings are kept. */
  slim?: boolean;
}

/** What a cached result keeps: the outcome without the parse and the configuration objects. */
function retained(o: LintOutcome): LintOutcome {
  if (o.parsed === undefined && o.config === undefined && o.hadolint === undefined) return o;
  const { parsed: _p, config: _c, hadolint: _h, ...rest } = o;
  return rest;
}

export class LintService {
  /** Per document, the latest run. */
  private readonly results = new Map<string, CachedRun>();
  /** Bumped whenever settings or config/ignore files change: every cached result is then stale. */
  private epoch = 0;
  /** Config and ignore file lookups, remembered until the next invalidate() (their changes are watched). */
  private readonly configReads: ConfigReadCache;
  /** Findings the folder's baseline holds are lowered or hidden (`hullcheck.baseline.mode`). */
  private readonly baseline: EditorBaseline;

  constructor(private readonly deps: LintDeps) {
    this.configReads = new ConfigReadCache(deps.docs.host, (file) => deps.docs.byPath(file) !== undefined);
    this.baseline = new EditorBaseline(this.configReads.host, deps.log);
  }

  invalidate(): void {
    this.epoch++;
    this.configReads.clear();
  }

  forget(uri: string): void {
    this.results.delete(uri);
    // a closed document's disk text may differ from what was remembered before it was opened
    this.configReads.clear();
  }

  /**
   * Findings for the document's current version (cached). Never rejects. `full` asks for the parse and configuration
   * too (publishing runs the late analyses on them): a cached result that no longer holds them is computed again.
   */
  lintDocument(doc: TextDocument, opts: { full?: boolean } = {}): Promise<LintOutcome> {
    const cached = this.results.get(doc.uri);
    if (cached && cached.version === doc.version && cached.epoch === this.epoch && !(opts.full && cached.slim)) return cached.promise;
    const started = performance.now();
    const promise = this.run(doc);
    if (TRACE_ANALYSIS) void promise.then((o) => this.deps.log(`analysis ${o.uri} v${o.version} ${(performance.now() - started).toFixed(2)} ms`));
    const entry: CachedRun = { version: doc.version, epoch: this.epoch, promise };
    this.results.set(doc.uri, entry);
    // The caller that started the run gets everything (the late analyses read the parse and the configuration); what
    // stays cached for hover and code actions is the findings alone, so an open document that is not being edited
    // keeps its text and findings, not its parse tree (the document store keeps the parses of the last few in use).
    void promise.then((o) => {
      if (this.results.get(doc.uri) !== entry) return;
      entry.promise = Promise.resolve(retained(o));
      entry.slim = true;
    });
    return promise;
  }

  private async run(doc: TextDocument): Promise<LintOutcome> {
    // Snapshot synchronously: the document object is updated in place by later changes.
    const { uri, version } = doc;
    const text = doc.getText();
    const base: LintOutcome = { uri, version, text, language: undefined, enabled: true, findings: [], configProblems: [], configFiles: [] };
    try {
      const entry = this.deps.docs.parsedOf(doc);
      if (!entry) return base;
      base.language = entry.language;
      const settings = await this.deps.settings.get(uri);
      if (!settings.enable) return { ...base, enabled: false };
      const real = uriToPath(uri);
      // An unsaved document lints as if it lived in the first workspace folder (for its config) with no build context.
      const file = real ?? path.join(this.deps.folders()[0] ?? path.parse(process.cwd()).root, entry.language === 'dockerignore' ? '.dockerignore' : 'Dockerfile');
      if (entry.large) {
        const r = await lintLarge(uri, { file, text, language: entry.language, overrides: toOverrides(settings, this.deps.log), unsaved: !real, workspaceFolder: folderOf(this.deps.folders(), file) }, this.deps.log);
        return { ...base, findings: filterDuplicates(r.findings, settings.duplicates ?? 'auto', this.deps.peers?.() ?? NO_PEERS, text) };
      }
      if (entry.skipped) return { ...base, findings: [skippedFinding(entry.skipped)] };
      const r = await lintFile(file, text, {
        // one analysis asks the disk the same questions many times; its answers are not kept past this analysis
        host: memoizedLookups(this.configReads.host),
        language: entry.language,
        parsed: entry.parsed,
        facts: real ? undefined : {},
        overrides: toOverrides(settings, this.deps.log),
        log: this.deps.log,
        workspaceFolder: folderOf(this.deps.folders(), file),
      });
      const kept = filterDuplicates(r.findings, settings.duplicates ?? 'auto', this.deps.peers?.() ?? NO_PEERS, text);
      const findings = real
        ? await this.baseline.apply(file, text, entry.language, kept, this.deps.folders(), settings.baseline?.mode ?? 'lower')
        : kept;
      return { ...base, findings, configProblems: r.configProblems, configFiles: r.configFiles, config: r.config, hadolint: r.hadolint, parsed: entry.parsed };
    } catch (e) {
      const err = e as Error;
      this.deps.log(`Linting ${uri} failed: ${err.stack ?? err.message}`);
      return { ...base, findings: [internalError(`Internal error while linting: ${err.message}`)] };
    }
  }
}
