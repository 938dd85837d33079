// Trivy JSON reports (SchemaVersion 2) turned into a small, stable model: vulnerabilities, secrets and
// misconfigurations with per-severity counts. Parsing never throws: bad input comes back as an error value,
// and anything unexpected but usable (newer schema, odd entries) comes back as warnings.

import { nodeHost, type FileHost } from '../core/fileHost';

export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'] as const;
export type TrivySeverity = (typeof SEVERITIES)[number];
export type SeverityCounts = Record<TrivySeverity, number>;

/** The newest report schema this parser was written for. */
export const KNOWN_SCHEMA_VERSION = 2;

export interface TrivyVulnerability {
  id: string;
  pkg: string;
  installed: string;
  fixed: string;
  severity: TrivySeverity;
  title: string;
  url: string;
  /** The Result's Target (an OS, a lock file, a jar, ...). */
  target: string;
  /** The package's PURL when the report has one (for `.trivyignore.yaml` purls). */
  purl?: string;
  /** Where the package was found inside the artifact, when known. */
  pkgPath?: string;
}

/** What an image report says about the image's build: its history and layers, as `Metadata.ImageConfig` holds them. */
export interface TrivyImageConfig {
  /** History entries, oldest first; `empty` ones (ENV, CMD, ...) left no layer. */
  history: { createdBy: string; empty: boolean }[];
  /** `rootfs.diff_ids`, oldest first: one per non-empty history entry. */
  diffIds: string[];
  /** `Metadata.RepoTags`, to match the report with an image name. */
  repoTags: string[];
}

export interface TrivySecret {
  /** The rule that matched (`RuleID`), which is what ignore files name. */
  id: string;
  category: string;
  severity: TrivySeverity;
  title: string;
  target: string;
  startLine: number;
  endLine: number;
}

export interface TrivyMisconfiguration {
  /** `ID` (e.g. `DS-0002`; older reports `DS002`). */
  id: string;
  /** `AVDID` (e.g. `AVD-DS-0002`) when the report carries it; ignore files may use either. */
  avdId?: string;
  type: string;
  title: string;
  message: string;
  resolution: string;
  severity: TrivySeverity;
  url: string;
  /** FAIL, PASS or EXCEPTION; reports list only failures unless asked otherwise. */
  status: string;
  target: string;
}

export interface TrivyReport {
  /** Where the report came from: a file path, or `trivy image REF`. */
  source: string;
  schemaVersion: number | undefined;
  artifact: { name: string; type: string };
  vulnerabilities: TrivyVulnerability[];
  secrets: TrivySecret[];
  misconfigurations: TrivyMisconfiguration[];
  /** Every vulnerability entry of the report, by severity (nothing de-duplicated, nothing ignored). */
  counts: SeverityCounts;
  /** Findings Trivy suppressed (ignore file, VEX) but listed with `--show-suppressed`: id and why. */
  suppressed: { id: string; kind: string; status: string }[];
  /** Result classes present (os-pkgs, lang-pkgs, config, secret, license, ...), to know what was scanned. */
  classes: string[];
  /** The image's history and layers (image reports that carry `Metadata.ImageConfig`). */
  image?: TrivyImageConfig;
  /** References that name the scanned image (`Metadata.Reference`, `RepoTags`, `RepoDigests`), for VEX products. */
  imageRefs: string[];
  /**
   * The DiffID of the layer that holds each vulnerability's package (image reports), by entry: kept beside the
   * entries so their shape stays the one scripts and ignore matching know.
   */
  layers: Map<TrivyVulnerability, string>;
}

export type ReportResult =
  | { ok: true; report: TrivyReport; warnings: string[] }
  | { ok: false; error: string };

export function emptyCounts(): SeverityCounts {
  return { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 };
}

/** Trivy's severities are upper case; anything else (missing, misspelt) counts as UNKNOWN. */
export function normalizeSeverity(v: unknown): TrivySeverity {
  const s = typeof v === 'string' ? v.trim().toUpperCase() : '';
  return (SEVERITIES as readonly string[]).includes(s) ? (s as TrivySeverity) : 'UNKNOWN';
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Parse the text of a report. `source` names it in messages and in the model. */
export function parseReport(text: string, source: string): ReportResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    const trimmed = text.trimStart();
    const hint = trimmed === '' ? 'the file is empty' : (e as Error).message;
    return { ok: false, error: `${source} is not a Trivy JSON report: ${hint}.` };
  }
  return reportFromJson(raw, source);
}

/** Build the model from already-parsed JSON. The raw value is only walked, never kept. */
export function reportFromJson(raw: unknown, source: string): ReportResult {
  const warnings: string[] = [];
  let root: Obj;
  if (Array.isArray(raw)) {
    // Trivy before schema 2 printed a bare array of results.
    warnings.push(`${source} uses Trivy's old report layout (a bare list of results); it was read as far as possible.`);
    root = { Results: raw };
  } else if (isObj(raw)) {
    root = raw;
  } else {
    return { ok: false, error: `${source} is not a Trivy JSON report: expected an object with SchemaVersion and Results.` };
  }
  const schema = typeof root.SchemaVersion === 'number' ? root.SchemaVersion : undefined;
  if (schema === undefined && !Array.isArray(raw)) {
    if (!('Results' in root) && !('ArtifactName' in root)) {
      return { ok: false, error: `${source} is not a Trivy JSON report: it has neither SchemaVersion, ArtifactName nor Results.` };
    }
    warnings.push(`${source} has no SchemaVersion; it was read as schema ${KNOWN_SCHEMA_VERSION}.`);
  } else if (schema !== undefined && schema > KNOWN_SCHEMA_VERSION) {
    warnings.push(`${source} uses report schema ${schema}, newer than the ${KNOWN_SCHEMA_VERSION} Hullcheck knows; findings were read on a best-effort basis.`);
  }
  if ('Results' in root && root.Results !== null && !Array.isArray(root.Results)) {
    warnings.push(`${source}: Results is not a list and was skipped.`);
  }

  const report: TrivyReport = {
    source,
    schemaVersion: schema,
    artifact: { name: str(root.ArtifactName), type: str(root.ArtifactType) },
    vulnerabilities: [], secrets: [], misconfigurations: [],
    counts: emptyCounts(),
    suppressed: [],
    classes: [],
    layers: new Map(),
    imageRefs: imageRefsOf(root.Metadata),
  };
  const classes = new Set<string>();
  let skipped = 0;
  for (const result of list(root.Results)) {
    if (!isObj(result)) { skipped++; continue; }
    const target = str(result.Target);
    const cls = str(result.Class);
    if (cls) classes.add(cls);
    for (const v of list(result.Vulnerabilities)) {
      if (!isObj(v) || !str(v.VulnerabilityID)) { skipped++; continue; }
      const severity = normalizeSeverity(v.Severity);
      report.counts[severity]++;
      const ident = isObj(v.PkgIdentifier) ? v.PkgIdentifier : {};
      const entry: TrivyVulnerability = {
        id: str(v.VulnerabilityID), pkg: str(v.PkgName), installed: str(v.InstalledVersion), fixed: str(v.FixedVersion),
        severity, title: str(v.Title), url: str(v.PrimaryURL), target,
        ...(str(ident.PURL) ? { purl: str(ident.PURL) } : {}),
        ...(str(v.PkgPath) ? { pkgPath: str(v.PkgPath) } : {}),
      };
      report.vulnerabilities.push(entry);
      if (isObj(v.Layer) && str(v.Layer.DiffID)) report.layers.set(entry, str(v.Layer.DiffID));
    }
    for (const s of list(result.Secrets)) {
      if (!isObj(s) || !str(s.RuleID)) { skipped++; continue; }
      // Match and Code hold (masked) secret text: deliberately not copied into the model.
      report.secrets.push({
        id: str(s.RuleID), category: str(s.Category), severity: normalizeSeverity(s.Severity), title: str(s.Title),
        target, startLine: num(s.StartLine), endLine: num(s.EndLine),
      });
    }
    for (const m of list(result.Misconfigurations)) {
      if (!isObj(m) || !(str(m.ID) || str(m.AVDID))) { skipped++; continue; }
      report.misconfigurations.push({
        id: str(m.ID) || str(m.AVDID), ...(str(m.AVDID) ? { avdId: str(m.AVDID) } : {}),
        type: str(m.Type), title: str(m.Title), message: str(m.Message), resolution: str(m.Resolution),
        severity: normalizeSeverity(m.Severity), url: str(m.PrimaryURL), status: str(m.Status) || 'FAIL', target,
      });
    }
    for (const m of list(result.ExperimentalModifiedFindings)) {
      const f = isObj(m) && isObj(m.Finding) ? m.Finding : undefined;
      const id = f ? str(f.VulnerabilityID) || str(f.RuleID) || str(f.AVDID) || str(f.ID) : '';
      if (id && isObj(m)) report.suppressed.push({ id, kind: str(m.Type), status: str(m.Status) });
    }
  }
  report.classes = [...classes].sort();
  const image = imageConfigOf(root.Metadata);
  if (image) report.image = image;
  if (skipped) warnings.push(`${source}: ${skipped} malformed entr${skipped === 1 ? 'y was' : 'ies were'} skipped.`);
  return { ok: true, report, warnings };
}

function imageRefsOf(meta: unknown): string[] {
  if (!isObj(meta)) return [];
  return [...new Set([str(meta.Reference), ...list(meta.RepoTags).map(str), ...list(meta.RepoDigests).map(str)].filter(Boolean))];
}

/** History, diff ids and tags from `Metadata`; undefined when the report has no usable image config. */
function imageConfigOf(meta: unknown): TrivyImageConfig | undefined {
  if (!isObj(meta) || !isObj(meta.ImageConfig)) return undefined;
  const config = meta.ImageConfig;
  const history = list(config.history).filter(isObj).map((h) => ({ createdBy: str(h.created_by), empty: h.empty_layer === true }));
  const diffIds = isObj(config.rootfs) ? list(config.rootfs.diff_ids).map(str).filter(Boolean) : [];
  if (!history.length && !diffIds.length) return undefined;
  return { history, diffIds, repoTags: list(meta.RepoTags).map(str).filter(Boolean) };
}

/**
 * Read and parse a report file. IO errors become error values too. `source` names it (default: the path). The
 * default host reads any path: the caller passes a confined one for reports a project file names.
 */
export async function loadReport(file: string, source = file, host: FileHost = nodeHost): Promise<ReportResult> {
  const r = await host.read(file, 'report', { userChosen: host === nodeHost });
  if (!r.ok) return { ok: false, error: r.reason === 'missing' ? `${source}: no such file.` : `${source}: cannot read: ${r.message}.` };
  return parseReport(r.text, source);
}

/** Every id a report contains, as ignore files name them (vulnerability ids, misconfig ID and AVDID, secret rules). */
export function reportIds(report: TrivyReport): Set<string> {
  const ids = new Set<string>();
  for (const v of report.vulnerabilities) ids.add(v.id);
  for (const s of report.secrets) ids.add(s.id);
  for (const m of report.misconfigurations) { ids.add(m.id); if (m.avdId) ids.add(m.avdId); }
  // a suppressed finding is still present in the artifact: its ignore entry is doing its job
  for (const s of report.suppressed) ids.add(s.id);
  return ids;
}

export const SEVERITY_ORDER: Record<TrivySeverity, number> = { UNKNOWN: 0, LOW: 1, MEDIUM: 2, HIGH: 3, CRITICAL: 4 };
