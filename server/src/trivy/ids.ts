// What kind of finding an ignore-file id names. The plain `.trivyignore` applies an id to every scanner, so the
// kind is guessed from the id's shape; YAML entries say it through their section.

import type { IgnoreSection } from '../parse/trivyignore';

export type FindingKind = 'vulnerability' | 'misconfiguration' | 'secret' | 'license';

export const SECTION_KIND: Record<IgnoreSection, FindingKind> = {
  vulnerabilities: 'vulnerability', misconfigurations: 'misconfiguration', secrets: 'secret', licenses: 'license',
};

/** Advisory prefixes seen in Trivy's vulnerability data sources. */
const ADVISORY = /^(CVE|GHSA|GO|PYSEC|RUSTSEC|OSV|GMS|DLA|DSA|DTSA|RHSA|RHBA|ALAS\d*|ELSA|USN|TEMP|NSWG|SNYK|BIT|MAL|ALSA|RLSA|SUSE|openSUSE|MGASA|PHSA|CGA|BDU|JLSEC)-/i;

/** The kind an id most likely names, or undefined when its shape says nothing (e.g. a license name). */
export function guessKind(id: string): FindingKind | undefined {
  if (ADVISORY.test(id)) return 'vulnerability';
  // DS002, DS-0002, AVD-DS-0002, AVD-AWS-0104, KSV001, ID300
  if (/^(AVD-)?[A-Z]{2,}-?\d{3,4}$/.test(id)) return 'misconfiguration';
  // secret rules are lower-case words joined by dashes: aws-access-key-id, github-pat
  if (/^[a-z0-9]+(-[a-z0-9]+)+$/.test(id)) return 'secret';
  return undefined;
}

/** The spellings under which a report may list the id (misconfigurations have an `AVD-` alias). */
export function idAliases(id: string): string[] {
  if (/^AVD-/.test(id)) return [id, id.slice(4)];
  if (/^[A-Z]{2,}-?\d{3,4}$/.test(id)) return [id, `AVD-${id}`];
  return [id];
}
