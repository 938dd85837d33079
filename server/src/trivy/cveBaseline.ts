// CVE baselines for `hullcheck scan --baseline FILE`: the vulnerabilities a project accepted, in the lint
// baseline's file shape (rule = vulnerability id, file = the image repository without tag or digest, fingerprint
// = package and its path), so a gate fails only on findings that are new since, whichever tag was scanned.

import { renderBaseline, type Baseline, type BaselineEntry } from '../core/findingBaseline';
import type { TrivyReport, TrivyVulnerability } from './report';

/** The image repository of an artifact name: `ghcr.io/a/b:1.2@sha256:…` → `ghcr.io/a/b` (other artifacts as named). */
export function artifactKey(report: TrivyReport): string {
  const name = report.artifact.name || report.source;
  if (report.artifact.type !== 'container_image') return name;
  const noDigest = name.replace(/@sha256:[0-9a-f]+$/i, '');
  // a tag has no '/', so a registry port (`localhost:5000/api`) is never taken for one
  return noDigest.replace(/:\w[\w.-]{0,127}$/, '');
}

function fingerprint(v: TrivyVulnerability): string {
  return `${v.pkg}${v.pkgPath ? `@${v.pkgPath}` : ''}`;
}

export function cveEntries(report: TrivyReport, vulns: readonly TrivyVulnerability[]): BaselineEntry[] {
  const file = artifactKey(report);
  return vulns.map((v) => ({ fingerprint: fingerprint(v), rule: v.id, file, message: v.title || v.id }));
}

/** The vulnerabilities the baseline does not hold (the new ones). */
export function newSince(baseline: Baseline, report: TrivyReport, vulns: TrivyVulnerability[]): TrivyVulnerability[] {
  const file = artifactKey(report);
  const known = new Set(baseline.entries.filter((e) => e.file === file).map((e) => `${e.rule}\0${e.fingerprint}`));
  return vulns.filter((v) => !known.has(`${v.id}\0${fingerprint(v)}`));
}

/** A baseline file holding every given report's vulnerabilities, each once. */
export function renderCveBaseline(items: { report: TrivyReport; vulns: readonly TrivyVulnerability[] }[]): string {
  const seen = new Set<string>();
  const entries = items.flatMap(({ report, vulns }) => cveEntries(report, vulns)).filter((e) => {
    const k = `${e.file}\0${e.rule}\0${e.fingerprint}`;
    return !seen.has(k) && !!seen.add(k);
  });
  return renderBaseline(entries);
}
