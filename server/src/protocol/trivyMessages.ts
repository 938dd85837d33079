// Trivy requests between the client and the server: loaded reports grouped by image and severity, scans,
// ignore entries and VEX export (the client's Vulnerabilities view).

import type { WorkspaceEdit } from 'vscode-languageserver-types';
import type { NotificationSpec, RequestSpec } from './requestSpec';

export type TrivySeverityName = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'UNKNOWN';

export interface TrivyFindingItem {
  kind: 'vulnerability' | 'secret' | 'misconfiguration';
  id: string;
  title: string;
  severity: TrivySeverityName;
  /** Package, installed and fixed versions (vulnerabilities only). */
  pkg?: string;
  installed?: string;
  fixed?: string;
  /** The report's Target (OS, lock file, Dockerfile, ...). */
  target: string;
  url?: string;
  /** True when the folder's ignore file (active entries only) hides this finding. */
  ignored: boolean;
  /**
   * Set when a VEX document (`hullcheck.trivy.vex`) says the finding does not apply: `not_affected` or `fixed`,
   * with the statement in one line (`not affected (justification): impact statement`) and the document's path.
   */
  vex?: { status: 'not_affected' | 'fixed'; summary: string; source: string };
  /**
   * What brought a vulnerability into the image (image reports): the layer and its history entry. `order` is the
   * layer's position (oldest first) so groups list in build order; `key` is stable across refreshes.
   */
  introducedBy?: { key: string; label: string; order: number };
}

export interface TrivySeverityGroup { severity: TrivySeverityName; findings: TrivyFindingItem[] }

/** One report, grouped image -> severity -> finding. */
export interface TrivyImageGroup {
  /** The report file path, or `trivy image REF` for scans run in this session. */
  source: string;
  /** ArtifactName: the image reference (or folder) the report is about. */
  image: string;
  artifactType: string;
  origin: 'file' | 'scan';
  /** Every vulnerability entry of the report per severity, before ignores. */
  counts: Record<TrivySeverityName, number>;
  /** Non-empty groups only, most severe first. */
  severities: TrivySeverityGroup[];
  warnings: string[];
}

export interface TrivyResultsParams {
  /** Limit to these workspace folder URIs; all folders when absent. */
  folders?: string[];
  /** More report files (URIs) to load: reports the user opened, or matches of the client's `hullcheck.trivy.reports`. */
  reports?: string[];
}
export interface TrivyResultsResult { images: TrivyImageGroup[]; errors: string[] }

export interface TrivyScanParams {
  ref: string;
  /**
   * The trivy executable, read by the client from a machine-scoped setting (never from workspace settings).
   * An absolute path or a bare name looked up on PATH; default `trivy`.
   */
  trivyPath?: string;
  /** The client says whether the workspace is trusted; the server refuses to run Trivy otherwise. */
  workspaceTrusted: boolean;
  severities?: TrivySeverityName[];
  /** Folder URI whose ignore file marks findings as ignored; the first workspace folder when absent. */
  folder?: string;
  /** Optional client-created progress token (otherwise the server creates one when the client supports it). */
  workDoneToken?: string | number;
}
export type TrivyScanResult =
  | { ok: true; image: TrivyImageGroup }
  | { ok: false; error: string; kind: 'untrusted' | 'not-installed' | 'invalid-ref' | 'failed' | 'bad-output' | 'cancelled' | 'killed' };

export interface TrivyAddIgnoreParams {
  id: string;
  /** YYYY-MM-DD. */
  expires?: string;
  reason?: string;
  /** `.trivyignore.yaml` section; default vulnerabilities. */
  section?: 'vulnerabilities' | 'misconfigurations' | 'secrets' | 'licenses';
  /** The ignore file to edit; otherwise the folder's existing ignore file, or a new `.trivyignore` in it. */
  uri?: string;
  /** Folder URI used when `uri` is absent; the first workspace folder when both are absent. */
  folder?: string;
}
export type TrivyAddIgnoreResult =
  | { ok: true; uri: string; updated: boolean; edit: WorkspaceEdit }
  | { ok: false; error: string };

export interface TrivyExportVexParams {
  /** The workspace folder whose ignore file and reports are exported; the first folder when absent. */
  folder?: string;
  /** The file to write (chosen by the user in a save dialog); written atomically. */
  target: string;
  /** More report files (URIs) the view lists, besides the folder's own reports and this session's scans. */
  reports?: string[];
}
export type TrivyExportVexResult =
  | { ok: true; statements: number; /** Entries left out and why (`.trivyignore:4: CVE-… (no reason)`). */ skipped: string[] }
  | { ok: false; error: string; skipped: string[] };

export const TrivyExportVexRequest: RequestSpec<TrivyExportVexParams, TrivyExportVexResult> = { method: 'hullcheck/trivyExportVex' };
export const TrivyResultsRequest: RequestSpec<TrivyResultsParams, TrivyResultsResult> = { method: 'hullcheck/trivyResults' };
export const TrivyScanRequest: RequestSpec<TrivyScanParams, TrivyScanResult> = { method: 'hullcheck/trivyScan' };
export const TrivyAddIgnoreRequest: RequestSpec<TrivyAddIgnoreParams, TrivyAddIgnoreResult> = { method: 'hullcheck/trivyAddIgnore' };
/** Sent after a scan finishes or report files change, so the view refreshes. */
export const TrivyResultsChangedNotification: NotificationSpec<void> = { method: 'hullcheck/trivyResultsChanged' };
