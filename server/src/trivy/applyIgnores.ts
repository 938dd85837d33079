// Applying a Trivy ignore file to a loaded report the way Trivy does: plain ids apply to every kind of finding,
// YAML entries to their section and optional `paths` / `purls`; entries past their expiry date (or with an
// unreadable `exp:` date) do not apply.

import type { TrivyignoreEntry, ParsedTrivyignore } from '../parse/trivyignore';
import { glob, type Glob } from '../core/glob';
import { SECTION_KIND, type FindingKind } from './ids';
import type { TrivyMisconfiguration, TrivyReport, TrivySecret, TrivyVulnerability } from './report';

/** The entries Trivy would honour on `today` (YYYY-MM-DD). */
export function activeEntries(parsed: ParsedTrivyignore, today: string): TrivyignoreEntry[] {
  return parsed.entries.filter((e) => !e.expires || (e.expires.valid && today < e.expires.value));
}

/** A `paths` glob as Trivy matches it (doublestar, case-sensitive): `**` crosses folders, `*` and `?` stay within one. */
export function pathGlob(pattern: string): Glob {
  return glob(pattern);
}

/** Whether a finding's PURL is covered by an ignore entry's PURL (type/namespace/name, and version when given). */
export function purlMatches(pattern: string, purl: string | undefined): boolean {
  if (!purl) return true; // Trivy applies the entry when the finding has no package identity
  const split = (p: string) => {
    const noQuery = p.split(/[?#]/)[0];
    const at = noQuery.lastIndexOf('@');
    return at > noQuery.indexOf('/') ? { base: noQuery.slice(0, at), version: noQuery.slice(at + 1) } : { base: noQuery, version: '' };
  };
  const want = split(pattern), have = split(purl);
  return want.base.toLowerCase() === have.base.toLowerCase() && (!want.version || want.version === have.version);
}

interface Candidate { kind: FindingKind; ids: string[]; paths: string[]; purl?: string }

function matches(entries: TrivyignoreEntry[], c: Candidate): boolean {
  return entries.some((e) => {
    if (e.section && SECTION_KIND[e.section] !== c.kind) return false;
    if (!c.ids.includes(e.id)) return false;
    if (e.paths.length && !e.paths.some((p) => c.paths.some((x) => pathGlob(p).test(x)))) return false;
    if (e.purls.length && !e.purls.some((p) => purlMatches(p, c.purl))) return false;
    return true;
  });
}

const vulnerabilityCandidate = (v: TrivyVulnerability): Candidate =>
  ({ kind: 'vulnerability', ids: [v.id], paths: [v.target, v.pkgPath ?? ''].filter(Boolean), purl: v.purl });

/** Whether one ignore entry hides a vulnerability (its section, id, paths and purls), expiry aside. */
export function entryIgnores(entry: TrivyignoreEntry, v: TrivyVulnerability): boolean {
  return matches([entry], vulnerabilityCandidate(v));
}

export interface Filtered {
  vulnerabilities: TrivyVulnerability[];
  secrets: TrivySecret[];
  misconfigurations: TrivyMisconfiguration[];
  /** How many findings the ignore file removed. */
  ignored: number;
}

/** The findings of `report` that remain after `entries` (already filtered with activeEntries). */
export function applyIgnores(report: TrivyReport, entries: TrivyignoreEntry[]): Filtered {
  const vulnerabilities = report.vulnerabilities.filter((v) => !matches(entries, vulnerabilityCandidate(v)));
  const secrets = report.secrets.filter((s) => !matches(entries, { kind: 'secret', ids: [s.id], paths: [s.target] }));
  const misconfigurations = report.misconfigurations.filter((m) =>
    !matches(entries, { kind: 'misconfiguration', ids: m.avdId ? [m.id, m.avdId] : [m.id], paths: [m.target] }));
  const ignored = report.vulnerabilities.length - vulnerabilities.length + report.secrets.length - secrets.length +
    report.misconfigurations.length - misconfigurations.length;
  return { vulnerabilities, secrets, misconfigurations, ignored };
}
