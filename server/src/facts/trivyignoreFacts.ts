// Facts for the .trivyignore rules: the ids found in the workspace's Trivy reports (`trivy-reports/*.json` next to
// the ignore file, or the `trivy.reports` glob of .hullcheck.yaml) and today's date. Reports are cached by
// modification time and size, so re-linting an ignore file does not re-read large reports.

import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { ResolvedConfig } from '../config/resolvedConfig';
import type { TrivyignoreFacts } from './fileFacts';
import { glob } from '../core/glob';
import { loadReport, reportIds, type TrivyReport } from '../trivy/report';
import type { FileHost } from '../core/fileHost';
import { escapesBase } from '../core/projectScope';
import { isSkippedFolder } from './skippedFolders';

export const DEFAULT_REPORTS_GLOB = 'trivy-reports/*.json';
const MAX_REPORTS = 200;

type Kind = 'vulnerability' | 'misconfiguration' | 'secret' | 'license';

import { todayIso } from '../model/suppressionLedger';

export { todayIso };

/** The report globs configured in `.hullcheck.yaml` (`trivy: { reports: GLOB | [GLOB...] }`), or the default. */
export function reportGlobs(config: ResolvedConfig): string[] {
  const trivy = (config as unknown as { trivy?: unknown }).trivy;
  const raw = trivy && typeof trivy === 'object' ? (trivy as { reports?: unknown }).reports : undefined;
  if (typeof raw === 'string' && raw.trim()) return [raw.trim()];
  if (Array.isArray(raw)) {
    const globs = raw.filter((g): g is string => typeof g === 'string' && g.trim() !== '').map((g) => g.trim());
    if (globs.length) return globs;
  }
  return [DEFAULT_REPORTS_GLOB];
}

/** Files matching a glob relative to `base` (`**` for any depth), sorted; at most `limit`. */
export async function expandGlob(base: string, pattern: string, limit = MAX_REPORTS): Promise<string[]> {
  const abs = path.isAbsolute(pattern);
  const segs = pattern.split(/[\\/]+/).filter((s) => s !== '' && s !== '.');
  const out = new Set<string>();
  const walk = async (dir: string, i: number, depth: number): Promise<void> => {
    if (out.size >= limit || depth > 12) return;
    if (i === segs.length) return;
    const seg = segs[i];
    const last = i === segs.length - 1;
    if (seg === '**') {
      await walk(dir, i + 1, depth);
      for (const e of await entries(dir)) if (e.isDirectory() && !isSkippedFolder(e.name)) await walk(path.join(dir, e.name), i, depth + 1);
      return;
    }
    if (!/[*?[]/.test(seg)) {
      const next = path.join(dir, seg);
      if (last) { if (await isFile(next)) out.add(next); } else await walk(next, i + 1, depth);
      return;
    }
    const re = glob(seg, { classes: true });
    for (const e of await entries(dir)) {
      if (!re.test(e.name) || (e.name.startsWith('.') && !seg.startsWith('.'))) continue;
      const next = path.join(dir, e.name);
      if (last) { if (e.isFile()) out.add(next); } else if (e.isDirectory()) await walk(next, i + 1, depth);
    }
  };
  await walk(abs ? path.parse(pattern).root : base, 0, 0);
  return [...out].sort().slice(0, limit);
}

async function entries(dir: string): Promise<Dirent[]> {
  try { return (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name)); } catch { return []; }
}

async function isFile(p: string): Promise<boolean> {
  try { return (await stat(p)).isFile(); } catch { return false; }
}

interface Cached { key: string; report: TrivyReport | undefined }
const cache = new Map<string, Cached>();

/** A report file, parsed once per (mtime, size); undefined when it cannot be read or is not a report. */
export async function cachedReport(file: string, host?: FileHost): Promise<TrivyReport | undefined> {
  // the stat only keys the cache; whether the file may be read at all is the host's decision
  if (host && (await host.kind(file)) !== 'file') return undefined;
  let key: string;
  try { const st = await stat(file); key = `${st.mtimeMs}:${st.size}`; } catch { return undefined; }
  const hit = cache.get(file);
  if (hit && hit.key === key) return hit.report;
  const r = await loadReport(file, file, host);
  const report = r.ok ? r.report : undefined;
  cache.set(file, { key, report });
  return report;
}

/**
 * The reports that apply to files in `dir`, per the configured globs. The globs come from the project's
 * `.hullcheck.yaml`: one that is absolute or climbs out with `..` is not expanded (the host notes it, unread), and
 * every report is read through `host`, which keeps reads inside the project.
 */
export async function workspaceReports(dir: string, config: ResolvedConfig, host: FileHost): Promise<TrivyReport[]> {
  const files = new Set<string>();
  for (const g of reportGlobs(config)) {
    // asking the confining host about the glob's path records it as outside the project, without looking at it
    if (escapesBase(g)) { await host.kind(path.resolve(dir, g)); continue; }
    for (const f of await expandGlob(dir, g)) files.add(f);
  }
  const reports: TrivyReport[] = [];
  for (const f of [...files].sort()) {
    const r = await cachedReport(f, host);
    if (r) reports.push(r);
  }
  return reports;
}

const CLASS_KIND: Record<string, Kind> = {
  'os-pkgs': 'vulnerability', 'lang-pkgs': 'vulnerability', config: 'misconfiguration', secret: 'secret',
  license: 'license', 'license-file': 'license',
};

/** Gather the facts for an ignore file at `file` (undefined path: stdin or unsaved, so no reports). */
export async function trivyignoreFacts(file: string | undefined, config: ResolvedConfig, host: FileHost): Promise<TrivyignoreFacts> {
  const today = todayIso();
  if (!file) return { today };
  const reports = await workspaceReports(path.dirname(path.resolve(file)), config, host);
  if (reports.length === 0) return { today };
  const ids = new Set<string>();
  const scanned = new Set<Kind>();
  for (const r of reports) {
    for (const id of reportIds(r)) ids.add(id);
    for (const c of r.classes) if (CLASS_KIND[c]) scanned.add(CLASS_KIND[c]);
    if (r.vulnerabilities.length) scanned.add('vulnerability');
  }
  return { ids, scanned, reports: reports.map((r) => r.source), today };
}
