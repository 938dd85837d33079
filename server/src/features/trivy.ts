// Custom requests behind the client's Vulnerabilities view: list the loaded Trivy reports (image -> severity ->
// finding), run a scan with progress and cancellation, and add an ignore entry as a WorkspaceEdit the client
// applies (so it is undoable). Trivy runs only when the client says the workspace is trusted, and only the
// executable path the client passes (from a machine-scoped setting) is ever run.

import * as path from 'node:path';
import {
  CancellationToken, RequestType, type Connection, type WorkDoneProgressReporter, type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { findUp, loadConfigFor } from '../config/hullcheckConfig';
import { pathToUri, uriToPath, type DocumentStore } from './documents';
import { parseTrivyignore } from '../parse/trivyignore';
import { activeEntries, applyIgnores } from '../trivy/applyIgnores';
import { cachedReport, todayIso, workspaceReports } from '../facts/trivyignoreFacts';
import { confinedHost, type ReadNotice } from '../core/projectScope';
import { addIgnoreEntry, formatForPath } from '../trivy/ignoreFile';
import { SEVERITIES, type TrivyReport, type TrivyVulnerability } from '../trivy/report';
import { layerOrigins, originOf } from '../trivy/layers';
import { scanImage } from '../trivy/runner';
import { applyVex, vexSummary, type VexStatement } from '../trivy/vex';
import { exportFolderVex, folderVex } from './trivyVex';
import { version } from '../../../package.json';
import { TrivyAddIgnoreRequest, TrivyExportVexRequest, TrivyResultsChangedNotification, type TrivyExportVexParams, type TrivyExportVexResult, TrivyResultsRequest, TrivyScanRequest, type TrivyAddIgnoreParams, type TrivyAddIgnoreResult, type TrivyFindingItem, type TrivyImageGroup, type TrivyResultsParams, type TrivyResultsResult, type TrivyScanParams, type TrivyScanResult } from '../protocol/trivyMessages';

export const IGNORE_FILE_NAMES = ['.trivyignore', '.trivyignore.yaml', '.trivyignore.yml'];

import type { WorkspaceTrust } from './trust';
export interface TrivyDeps {
  docs: DocumentStore;
  folders(): string[];
  log(message: string): void;
  /** Trivy runs only in a trusted workspace, and never from a PATH entry inside it. */
  trust: WorkspaceTrust;
  /** `hullcheck.trivy.vex` for a folder: OpenVEX documents, relative to it. */
  vexFiles?(folder: string): Promise<string[]>;
}

/** Reports scanned in this session, by image reference (the newest scan wins). */
const scans = new Map<string, { report: TrivyReport; warnings: string[] }>();

/** The folder's ignore file (open document text wins), if any. */
async function ignoreFileOf(deps: Pick<TrivyDeps, 'docs'>, folder: string): Promise<{ file: string; text: string } | undefined> {
  const found = await findUp(deps.docs.host, folder, IGNORE_FILE_NAMES, folder);
  return found?.text === undefined ? undefined : found;
}

/** Group one report for the view, marking what the folder's active ignore entries hide. */
export function groupReport(report: TrivyReport, origin: 'file' | 'scan', warnings: string[], ignore?: { file: string; text: string }, statements: readonly VexStatement[] = []): TrivyImageGroup {
  const entries = ignore ? activeEntries(parseTrivyignore(ignore.text, formatForPath(ignore.file)), todayIso()) : [];
  const kept = applyIgnores(report, entries);
  const vexed = new Map(applyVex(report, kept.vulnerabilities, statements, todayIso()).suppressed.map((x) => [x.vulnerability, x.statement]));
  const keptSet = new Set<object>([...kept.vulnerabilities, ...kept.secrets, ...kept.misconfigurations]);
  const origins = layerOrigins(report);
  const introducedBy = (v: TrivyVulnerability): TrivyFindingItem['introducedBy'] => {
    const layer = report.layers.get(v);
    if (!layer) return undefined;
    const { key, label, origin } = originOf(layer, origins);
    return { key, label, order: origin ? origin.layerIndex : Number.MAX_SAFE_INTEGER };
  };
  const items: TrivyFindingItem[] = [
    ...report.vulnerabilities.map((v): TrivyFindingItem => {
      const by = introducedBy(v);
      return {
        kind: 'vulnerability', id: v.id, title: v.title, severity: v.severity, pkg: v.pkg, installed: v.installed, fixed: v.fixed,
        target: v.target, url: v.url || undefined, ignored: !keptSet.has(v), ...(by ? { introducedBy: by } : {}),
        ...(vexed.has(v) ? { vex: vexItem(vexed.get(v)!) } : {}),
      };
    }),
    ...report.secrets.map((s): TrivyFindingItem => ({ kind: 'secret', id: s.id, title: s.title, severity: s.severity, target: s.target, ignored: !keptSet.has(s) })),
    ...report.misconfigurations.filter((m) => m.status !== 'PASS').map((m): TrivyFindingItem => ({
      kind: 'misconfiguration', id: m.id, title: m.title || m.message, severity: m.severity, target: m.target, url: m.url || undefined, ignored: !keptSet.has(m),
    })),
  ];
  return {
    source: report.source, image: report.artifact.name, artifactType: report.artifact.type, origin, counts: report.counts,
    severities: SEVERITIES.map((severity) => ({ severity, findings: items.filter((f) => f.severity === severity) })).filter((g) => g.findings.length > 0),
    warnings,
  };
}

function vexItem(s: VexStatement): NonNullable<TrivyFindingItem['vex']> {
  return { status: s.status === 'fixed' ? 'fixed' : 'not_affected', summary: vexSummary(s), source: s.source };
}

/** A folder's reports (`trivy.reports` globs, read inside the folder only), its ignore file and its VEX statements. */
export async function folderReports(deps: Pick<TrivyDeps, 'docs' | 'vexFiles'>, folder: string): Promise<{
  reports: TrivyReport[]; ignore?: { file: string; text: string }; notices: ReadNotice[]; vex: VexStatement[]; vexErrors: string[];
}> {
  const notices = new Map<string, ReadNotice>();
  const host = confinedHost(deps.docs.host, folder, notices);
  const loaded = await loadConfigFor(host, path.join(folder, IGNORE_FILE_NAMES[0]), new Set(), undefined, process.env, { stop: folder });
  const ignore = await ignoreFileOf(deps, folder);
  const reports = await workspaceReports(folder, loaded.config, host);
  const vex = await folderVex(deps.docs.host, folder, (await deps.vexFiles?.(folder)) ?? []);
  return { reports, ignore, notices: [...notices.values()], vex: vex.statements, vexErrors: vex.errors };
}

/** What remains of a report's vulnerabilities after the active entries of an ignore file and the VEX statements. */
export function keptVulnerabilities(report: TrivyReport, ignore?: { file: string; text: string }, statements: readonly VexStatement[] = []): TrivyVulnerability[] {
  const entries = ignore ? activeEntries(parseTrivyignore(ignore.text, formatForPath(ignore.file)), todayIso()) : [];
  return applyVex(report, applyIgnores(report, entries).vulnerabilities, statements, todayIso()).kept;
}

export async function trivyResults(deps: TrivyDeps, params: TrivyResultsParams): Promise<TrivyResultsResult> {
  const wanted = params.folders?.map(uriToPath).filter((p): p is string => !!p) ?? deps.folders();
  const images: TrivyImageGroup[] = [];
  const errors: string[] = [];
  let firstVex: VexStatement[] = [];
  for (const folder of wanted) {
    // the report globs come from the folder's .hullcheck.yaml (`trivy.reports`): they are read inside the folder only
    const { reports, ignore, notices, vex, vexErrors } = await folderReports(deps, folder);
    if (folder === wanted[0]) firstVex = vex;
    for (const report of reports) images.push(groupReport(report, 'file', [], ignore, vex));
    for (const n of notices) if (n.kind !== 'config') errors.push(`Trivy reports: ${n.file} was not read: ${n.message}.`);
    errors.push(...vexErrors);
  }
  const ignore = wanted[0] ? await ignoreFileOf(deps, wanted[0]) : undefined;
  const loaded = new Set(images.map((i) => i.source));
  for (const file of params.reports?.map(uriToPath) ?? []) {
    if (!file || loaded.has(file)) continue;
    loaded.add(file);
    const report = await cachedReport(file);
    if (report) images.push(groupReport(report, 'file', [], ignore, firstVex));
    else errors.push(`${file} is not a readable Trivy JSON report.`);
  }
  for (const { report, warnings } of scans.values()) images.push(groupReport(report, 'scan', warnings, ignore, firstVex));
  return { images, errors };
}

/** Only an absolute path or a bare command name: a relative path would resolve inside the (untrusted) workspace. */
function acceptableExecutable(p: string): boolean {
  return path.isAbsolute(p) || !/[\\/]/.test(p);
}

export async function trivyScan(
  deps: TrivyDeps, connection: Connection, params: TrivyScanParams, token: CancellationToken, workDone: WorkDoneProgressReporter | undefined,
): Promise<TrivyScanResult> {
  if (params.workspaceTrusted !== true || !deps.trust.trusted) {
    return { ok: false, kind: 'untrusted', error: 'Trivy scans are disabled until the workspace is trusted.' };
  }
  const exe = params.trivyPath?.trim() || 'trivy';
  if (!acceptableExecutable(exe)) return { ok: false, kind: 'not-installed', error: `The Trivy path must be absolute or a command name on PATH, not '${exe}'.` };
  const abort = new AbortController();
  token.onCancellationRequested(() => abort.abort());
  let progress = workDone;
  if (!progress) {
    // server-initiated progress; a client without support simply gets none
    try { progress = await connection.window.createWorkDoneProgress(); } catch { progress = undefined; }
  }
  const cancelToken = (progress as { token?: CancellationToken } | undefined)?.token;
  cancelToken?.onCancellationRequested(() => abort.abort());
  progress?.begin('Trivy', undefined, `Waiting to scan ${params.ref}`, true);
  try {
    const r = await scanImage(params.ref, {
      trivyPath: exe, severities: params.severities, signal: abort.signal, untrustedRoots: deps.trust.untrustedRoots(),
      onStart: () => progress?.report(`Scanning ${params.ref}`),
    });
    if (!r.ok) return { ok: false, kind: r.kind, error: r.error };
    scans.set(params.ref, { report: r.report, warnings: r.warnings });
    const folder = (params.folder && uriToPath(params.folder)) || deps.folders()[0];
    const ignore = folder ? await ignoreFileOf(deps, folder) : undefined;
    const vex = folder ? (await folderVex(deps.docs.host, folder, (await deps.vexFiles?.(folder)) ?? [])).statements : [];
    void connection.sendNotification(TrivyResultsChangedNotification.method);
    return { ok: true, image: groupReport(r.report, 'scan', r.warnings, ignore, vex) };
  } finally {
    progress?.done();
  }
}

export async function trivyAddIgnore(deps: TrivyDeps, params: TrivyAddIgnoreParams): Promise<TrivyAddIgnoreResult> {
  let file = params.uri ? uriToPath(params.uri) : undefined;
  if (params.uri && !file) return { ok: false, error: 'Only ignore files on disk can be edited.' };
  let text: string | undefined;
  if (!file) {
    const folder = (params.folder && uriToPath(params.folder)) || deps.folders()[0];
    if (!folder) return { ok: false, error: 'Open a folder first: the ignore file lives in a workspace folder.' };
    const found = await ignoreFileOf(deps, folder);
    file = found?.file ?? path.join(folder, IGNORE_FILE_NAMES[0]);
    text = found?.text;
  } else {
    const r = await deps.docs.host.read(file, 'ignore');
    if (!r.ok && r.reason !== 'missing') return { ok: false, error: `Cannot edit ${path.basename(file)}: ${r.message}.` };
    text = r.ok ? r.text : undefined;
  }
  const r = addIgnoreEntry(text ?? '', formatForPath(file), params);
  if (!r.ok) return r;
  const uri = pathToUri(file);
  const open = deps.docs.byPath(file);
  const edit: WorkspaceEdit = text === undefined
    ? { documentChanges: [{ kind: 'create', uri, options: { ignoreIfExists: true } }, { textDocument: { uri, version: null }, edits: r.edits }] }
    : { documentChanges: [{ textDocument: { uri, version: open ? open.version : null }, edits: r.edits }] };
  return { ok: true, uri, updated: r.updated, edit };
}

/** "Export VEX from Ignore File": the folder's ignore file over its workspace reports and this session's scans. */
export async function trivyExportVex(deps: TrivyDeps, params: TrivyExportVexParams): Promise<TrivyExportVexResult> {
  const folder = (params.folder && uriToPath(params.folder)) || deps.folders()[0];
  const target = uriToPath(params.target);
  if (!folder) return { ok: false, error: 'Open a folder first: the ignore file lives in a workspace folder.', skipped: [] };
  if (!target) return { ok: false, error: 'VEX documents can only be written to files on disk.', skipped: [] };
  const { reports, ignore } = await folderReports(deps, folder);
  const opened: TrivyReport[] = [];
  for (const file of params.reports?.map(uriToPath) ?? []) {
    const report = file && !reports.some((r) => r.source === file) ? await cachedReport(file) : undefined;
    if (report) opened.push(report);
  }
  return exportFolderVex(ignore, folder, [...reports, ...opened, ...[...scans.values()].map((s) => s.report)], target, version);
}

/** Register the requests on the connection. Failures are logged and answered with an error value. */
export function registerTrivyFeatures(connection: Connection, deps: TrivyDeps): void {
  const fail = (name: string, e: unknown) => { deps.log(`${name} failed: ${(e as Error).stack ?? String(e)}`); return (e as Error).message; };
  connection.onRequest(new RequestType<TrivyResultsParams, TrivyResultsResult, void>(TrivyResultsRequest.method), async (p) => {
    try { return await trivyResults(deps, p ?? {}); } catch (e) { return { images: [], errors: [fail(TrivyResultsRequest.method, e)] }; }
  });
  connection.onRequest(new RequestType<TrivyScanParams, TrivyScanResult, void>(TrivyScanRequest.method), async (p, token) => {
    // a client-created progress token in the params is honoured; otherwise trivyScan creates its own
    const workDone = p?.workDoneToken !== undefined ? connection.languages.attachWorkDoneProgress(p) : undefined;
    try { return await trivyScan(deps, connection, p, token, workDone); } catch (e) { return { ok: false, kind: 'failed', error: fail(TrivyScanRequest.method, e) }; }
  });
  connection.onRequest(new RequestType<TrivyAddIgnoreParams, TrivyAddIgnoreResult, void>(TrivyAddIgnoreRequest.method), async (p) => {
    try { return await trivyAddIgnore(deps, p); } catch (e) { return { ok: false, error: fail(TrivyAddIgnoreRequest.method, e) }; }
  });
  connection.onRequest(new RequestType<TrivyExportVexParams, TrivyExportVexResult, void>(TrivyExportVexRequest.method), async (p) => {
    try { return await trivyExportVex(deps, p); } catch (e) { return { ok: false, error: fail(TrivyExportVexRequest.method, e), skipped: [] }; }
  });
}

/** Forget session scans (tests). */
export function clearScans(): void {
  scans.clear();
}
