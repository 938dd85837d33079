// OpenVEX v0.2.0 from the reviewed entries of a Trivy ignore file: an entry with a reason (a comment, or a
// `statement`) that hides vulnerabilities of the scanned reports becomes a `not_affected` statement for those
// images (narrowed to packages when the entry names purls or paths), its reason the impact statement, and its
// expiry kept in the status notes as `expires YYYY-MM-DD`.

import { createHash } from 'node:crypto';
import type { TrivyignoreEntry } from '../parse/trivyignore';
import { entryIgnores } from './applyIgnores';
import { guessKind } from './ids';
import { normalizeRepository, ociPurl, parsePurl } from './purl';
import type { TrivyReport, TrivyVulnerability } from './report';

export const OPENVEX_CONTEXT = 'https://openvex.dev/ns/v0.2.0';

/** The justifications OpenVEX defines; one named in a reason (`_`, `-` or spaces) becomes the statement's. */
export const JUSTIFICATIONS = [
  'component_not_present', 'vulnerable_code_not_present', 'vulnerable_code_not_in_execute_path',
  'vulnerable_code_cannot_be_controlled_by_adversary', 'inline_mitigations_already_exist',
] as const;

export function justificationIn(reason: string): string | undefined {
  // words joined by single underscores, so that `vulnerable code not present` and `vulnerable-code…` read alike
  const words = `_${reason.toLowerCase().replace(/[^a-z0-9]+/g, '_')}_`;
  return JUSTIFICATIONS.find((j) => words.includes(`_${j}_`));
}

export interface VexExportInput {
  /** The ignore file's active entries (expired ones are not statements any more). */
  entries: TrivyignoreEntry[];
  /** The ignore file as named to the user, for the status notes. */
  ignoreFile: string;
  reports: TrivyReport[];
  author: string;
  tooling: string;
  now: Date;
}

export interface VexExport {
  text: string;
  statements: number;
  /** Entries that were not exported and why, for a notice. */
  skipped: { id: string; line: number; why: string }[];
}

type Product = { '@id': string; subcomponents?: { '@id': string }[] };

/** The products one entry covers in one report, or why it cannot say. */
function productsIn(entry: TrivyignoreEntry, report: TrivyReport, hit: TrivyVulnerability[]): Product[] | string {
  const purls = (vs: TrivyVulnerability[]) => {
    if (vs.some((v) => !v.purl)) return undefined;
    return [...new Set(vs.map((v) => v.purl!))].sort();
  };
  if (report.artifact.type !== 'container_image') {
    const p = purls(hit);
    return p ? p.map((id) => ({ '@id': id })) : `${report.source}: a matched package has no purl`;
  }
  const repos = [...new Set(report.imageRefs.map(normalizeRepository))].sort();
  if (!repos.length) return `${report.source}: the report names no image repository`;
  let subs: string[] | undefined;
  if (entry.paths.length) {
    // a VEX product has no file paths: the entry is narrowed to the packages it hid at those paths (and purls)
    subs = purls(hit);
    if (!subs) return `${report.source}: a package the entry hides has no purl, so its paths cannot be expressed`;
  } else if (entry.purls.length) {
    // a purl that cannot be read must not leave the statement covering every package of the image
    if (!entry.purls.every((p) => parsePurl(p))) return `${entry.purls.find((p) => !parsePurl(p))} is not a package URL`;
    subs = [...entry.purls];
  }
  return repos.map((r) => ({ '@id': ociPurl(r), ...(subs?.length ? { subcomponents: subs.map((id) => ({ '@id': id })) } : {}) }));
}

export function exportVex(input: VexExportInput): VexExport {
  const statements: Record<string, unknown>[] = [];
  const skipped: VexExport['skipped'] = [];
  const seen = new Set<string>();
  for (const entry of input.entries) {
    if (entry.section && entry.section !== 'vulnerabilities') continue;
    const line = entry.range.start.line + 1;
    const products: Product[] = [];
    let problem: string | undefined;
    for (const report of input.reports) {
      const hit = report.vulnerabilities.filter((v) => entryIgnores(entry, v));
      if (!hit.length) continue;
      const p = productsIn(entry, report, hit);
      if (typeof p === 'string') problem ??= p;
      else products.push(...p);
    }
    const unique = [...new Map(products.map((p) => [JSON.stringify(p), p])).values()];
    if (!unique.length) {
      if (problem) skipped.push({ id: entry.id, line, why: problem });
      else if (entry.section || guessKind(entry.id) === 'vulnerability') skipped.push({ id: entry.id, line, why: 'it hides no vulnerability of the scanned reports' });
      continue;
    }
    if (!entry.reason) { skipped.push({ id: entry.id, line, why: 'it has no reason (a comment, or a statement in YAML), so it was never reviewed' }); continue; }
    const justification = justificationIn(entry.reason);
    const statement = {
      vulnerability: { name: entry.id },
      products: unique,
      status: 'not_affected',
      ...(justification ? { justification } : {}),
      impact_statement: entry.reason,
      status_notes: `Accepted in ${input.ignoreFile} (line ${line})${entry.expires?.valid ? `; expires ${entry.expires.value}` : ''}.`,
    };
    const key = JSON.stringify(statement);
    if (!seen.has(key)) { seen.add(key); statements.push(statement); }
  }
  const hash = createHash('sha256').update(JSON.stringify(statements)).digest('hex').slice(0, 32);
  const doc = {
    '@context': OPENVEX_CONTEXT,
    '@id': `urn:hullcheck:vex:${hash}`,
    author: input.author,
    timestamp: input.now.toISOString(),
    version: 1,
    tooling: input.tooling,
    statements,
  };
  return { text: JSON.stringify(doc, null, 2) + '\n', statements: statements.length, skipped };
}
