// Push diagnostics: lint on open at once, debounce edits, drop results for versions that are no longer current,
// and publish configuration problems on the config file itself. Every publish is followed by hullcheck/findingsChanged.

import { DiagnosticSeverity, type Connection, type Diagnostic } from 'vscode-languageserver/node';
import type { ConfigProblem } from '../config/resolvedConfig';
import { RULES_BY_ID } from '../engine/linter';
import { docsUrl } from '../rules/ruleDocs';
import { CONFIG_ERROR_RULE, type Finding, type Severity } from '../core/findings';
import { pathToUri, type DocumentStore } from './documents';
import { FindingsChangedNotification, SOURCE, type DiagnosticData, type FindingsChangedParams } from '../protocol/messages';
import type { LintOutcome, LintService } from './linting';

export const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(f: Finding, version: number): Diagnostic {
  const data: DiagnosticData = { version, fixes: f.fixes };
  const d: Diagnostic = { range: f.range, severity: SEVERITY[f.severity], code: f.rule, source: SOURCE, message: f.message, data };
  // only real rules have a documentation page
  if (RULES_BY_ID.has(f.rule)) d.codeDescription = { href: docsUrl(f.rule) };
  else if (/^SC\d+$/.test(f.rule)) d.codeDescription = { href: `https://www.shellcheck.net/wiki/${f.rule}` };
  return d;
}

function configDiagnostic(p: ConfigProblem): Diagnostic {
  return { range: p.range, severity: SEVERITY[p.severity], code: CONFIG_ERROR_RULE, source: SOURCE, message: p.message };
}

export class DiagnosticsManager {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Latest lint started per document: an older run finishing later must not overwrite it. */
  private readonly generation = new Map<string, number>();
  /** Version last linted or scheduled per document, so the change event that follows open is not linted twice. */
  private readonly requested = new Map<string, number>();
  /** When each open document last changed (performance.now()), for the adaptive debounce. */
  private readonly lastChange = new Map<string, number>();
  /**
   * When each document's last lint finished. Edits that arrived while a lint held the event loop are handled right
   * after it: they are part of a burst even when the lint took longer than the debounce.
   */
  private readonly lastLintEnd = new Map<string, number>();
  /** What we last published per config file URI (JSON), to publish only changes and to clear later. */
  private readonly configPublished = new Map<string, string>();
  /** Diagnostics other features add to a document (an image over budget on its FROM line), merged into each publish. */
  readonly extraSources: ((uri: string) => Diagnostic[])[] = [];
  /**
   * Slower analyses (ShellCheck) whose diagnostics join a version's first publish when they arrive. Each gets a
   * signal that aborts when the document changes or closes.
   */
  readonly lateSources: ((outcome: LintOutcome, signal: AbortSignal) => Promise<Diagnostic[]>)[] = [];
  private readonly lateRuns = new Map<string, AbortController>();
  /** Called whenever a lint runs, whatever started it (an edit, a relint after a settings or file change). */
  onLint: (() => void) | undefined;

  constructor(
    private readonly connection: Connection,
    private readonly docs: DocumentStore,
    private readonly linter: LintService,
    private readonly log: (m: string) => void,
    private readonly delayMs = 150,
  ) {}

  opened(uri: string): void {
    this.lastChange.set(uri, performance.now());
    void this.lintNow(uri);
  }

  changed(uri: string, version: number): void {
    if (this.requested.get(uri) === version) return;
    this.requested.set(uri, version);
    const previous = this.timers.get(uri);
    if (previous) clearTimeout(previous);
    // Adaptive debounce: an edit after a quiet spell is linted at once (a lone keystroke gets its diagnostics without
    // waiting); edits in quick succession wait until they pause, so a burst costs one analysis at its start and one
    // after it.
    const now = performance.now();
    const last = this.lastChange.get(uri);
    this.lastChange.set(uri, now);
    const quietSince = Math.max(last ?? -Infinity, this.lastLintEnd.get(uri) ?? -Infinity);
    if (!previous && last !== undefined && now - quietSince >= this.delayMs) {
      this.timers.delete(uri);
      void this.lintNow(uri);
      return;
    }
    this.timers.set(uri, setTimeout(() => { this.timers.delete(uri); void this.lintNow(uri); }, this.delayMs));
  }

  closed(uri: string): void {
    this.lastChange.delete(uri);
    this.lastLintEnd.delete(uri);
    this.lateRuns.get(uri)?.abort();
    const t = this.timers.get(uri);
    if (t) clearTimeout(t);
    this.timers.delete(uri);
    this.requested.delete(uri);
    this.generation.set(uri, (this.generation.get(uri) ?? 0) + 1);
    this.linter.forget(uri);
    void this.send(uri, []);
  }

  /** Re-lint every open document (settings or config files changed). */
  relintAll(): void {
    for (const doc of this.docs.all()) void this.lintNow(doc.uri);
  }

  /** Re-lint the open documents of one language, debounced like edits. */
  relintLanguage(language: string): void {
    for (const doc of this.docs.all()) {
      if (this.docs.languageOf(doc) !== language) continue;
      this.requested.delete(doc.uri);
      this.changed(doc.uri, doc.version);
    }
  }

  /** Re-lint some open documents whose inputs changed elsewhere (a Dockerfile a compose file builds), debounced. */
  relintUris(uris: string[]): void {
    for (const uri of uris) {
      const doc = this.docs.get(uri);
      if (!doc) continue;
      this.linter.forget(uri);
      this.requested.delete(uri);
      this.changed(uri, doc.version);
    }
  }

  /** Forget what was published for a config file that is gone. */
  async configFileRemoved(uri: string): Promise<void> {
    if (!this.configPublished.has(uri)) return;
    this.configPublished.delete(uri);
    await this.send(uri, []);
  }

  async lintNow(uri: string): Promise<void> {
    try {
      const doc = this.docs.get(uri);
      if (!doc || !this.docs.languageOf(doc)) return;
      this.onLint?.();
      const gen = (this.generation.get(uri) ?? 0) + 1;
      this.generation.set(uri, gen);
      this.requested.set(uri, doc.version);
      const outcome = await this.linter.lintDocument(doc, { full: true });
      if (this.docs.get(uri)) this.lastLintEnd.set(uri, performance.now());
      // stale: the document changed or closed, or a newer run started, while this one ran
      if (this.generation.get(uri) !== gen || this.docs.get(uri)?.version !== outcome.version) return;
      const diagnostics = [...outcome.findings.map((f) => toDiagnostic(f, outcome.version)), ...this.extraSources.flatMap((x) => x(uri))];
      await this.send(uri, diagnostics, outcome.version);
      await this.publishConfigProblems(outcome);
      void this.publishLate(uri, gen, outcome, diagnostics);
    } catch (e) {
      const err = e as Error;
      this.log(`Publishing diagnostics for ${uri} failed: ${err.stack ?? err.message}`);
    }
  }

  /** Run the late sources for a published version and publish again with their diagnostics, unless stale by then. */
  private async publishLate(uri: string, gen: number, outcome: LintOutcome, first: Diagnostic[]): Promise<void> {
    this.lateRuns.get(uri)?.abort();
    if (this.lateSources.length === 0) return;
    const run = new AbortController();
    this.lateRuns.set(uri, run);
    const stale = () => run.signal.aborted || this.generation.get(uri) !== gen || this.docs.get(uri)?.version !== outcome.version;
    try {
      const extra = (await Promise.all(this.lateSources.map((source) => source(outcome, run.signal)))).flat();
      if (stale() || extra.length === 0) return;
      await this.send(uri, [...first, ...extra], outcome.version);
    } catch (e) {
      if (!run.signal.aborted) this.log(`Late diagnostics for ${uri} failed: ${(e as Error).stack ?? (e as Error).message}`);
    } finally {
      if (this.lateRuns.get(uri) === run) this.lateRuns.delete(uri);
    }
  }

  private async publishConfigProblems(outcome: LintOutcome): Promise<void> {
    const byFile = new Map<string, Diagnostic[]>();
    for (const f of outcome.configFiles) byFile.set(f, []);
    for (const p of outcome.configProblems) {
      const list = byFile.get(p.file) ?? [];
      list.push(configDiagnostic(p));
      byFile.set(p.file, list);
    }
    for (const [file, diagnostics] of byFile) {
      const uri = pathToUri(file);
      const json = JSON.stringify(diagnostics);
      if ((this.configPublished.get(uri) ?? '[]') === json) continue;
      this.configPublished.set(uri, json);
      await this.send(uri, diagnostics);
    }
  }

  private async send(uri: string, diagnostics: Diagnostic[], version?: number): Promise<void> {
    await this.connection.sendDiagnostics({ uri, version, diagnostics });
    const params: FindingsChangedParams = { uri };
    await this.connection.sendNotification(FindingsChangedNotification.method, params);
  }
}
