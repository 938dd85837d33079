// OpenVEX documents read beside Trivy reports: each statement says whether a vulnerability affects a product (an
// image by its OCI purl, optionally narrowed to packages, or a package itself). A finding whose most recent
// matching statement is `not_affected` or `fixed` is shown as such and does not gate. A statement that carries
// `expires YYYY-MM-DD` in its status_notes (as Hullcheck's export writes it) stops applying on that date.

import { isIsoDate } from '../parse/trivyignore';
import type { FileHost, ReadOptions } from '../core/fileHost';
import { normalizeRepository, parsePurl, purlCovers, referenceDigest, type Purl } from './purl';
import type { TrivyReport, TrivyVulnerability } from './report';

export const VEX_STATUSES = ['not_affected', 'affected', 'fixed', 'under_investigation'] as const;
export type VexStatus = (typeof VEX_STATUSES)[number];

export interface VexProduct {
  /** The product's purl (from `identifiers.purl` or a `pkg:` `@id`); products named otherwise never match. */
  purl?: Purl;
  /** Subcomponent purls that narrow an image product to packages; empty = the whole product. */
  subcomponents: Purl[];
}

export interface VexStatement {
  vulnerability: string;
  aliases: string[];
  products: VexProduct[];
  status: VexStatus;
  justification?: string;
  impactStatement?: string;
  actionStatement?: string;
  /** The statement's timestamp, else the document's (ISO 8601), to pick the newest of several statements. */
  timestamp: string;
  /** YYYY-MM-DD from `expires …` in status_notes: the statement applies before that day only. */
  expires?: string;
  /** The document it came from, as named to the user. */
  source: string;
}

export interface VexDocument { id: string; author: string; source: string; statements: VexStatement[] }

export type VexResult = { ok: true; doc: VexDocument; warnings: string[] } | { ok: false; error: string };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** `expires YYYY-MM-DD` in a statement's notes (the expiry of the ignore entry it was exported from). */
export function notesExpiry(notes: string): string | undefined {
  const m = /\bexpires (\d{4}-\d{2}-\d{2})\b/.exec(notes);
  return m && isIsoDate(m[1]) ? m[1] : undefined;
}

function productOf(p: unknown): VexProduct | undefined {
  if (!isObj(p)) return undefined;
  const ids = isObj(p.identifiers) ? p.identifiers : {};
  const text = str(ids.purl) || (str(p['@id']).startsWith('pkg:') ? str(p['@id']) : '');
  const subcomponents = (Array.isArray(p.subcomponents) ? p.subcomponents : []).flatMap((s) => {
    if (!isObj(s)) return [];
    const sIds = isObj(s.identifiers) ? s.identifiers : {};
    const t = str(sIds.purl) || (str(s['@id']).startsWith('pkg:') ? str(s['@id']) : '');
    const parsed = t ? parsePurl(t) : undefined;
    // a subcomponent named some other way cannot be matched: it must not widen the statement to every package
    return [parsed ?? null];
  });
  if (subcomponents.includes(null)) return { subcomponents: [] };
  return { purl: text ? parsePurl(text) : undefined, subcomponents: subcomponents as Purl[] };
}

/** Parse an OpenVEX document. `source` names it in messages and on each statement. */
export function parseVex(text: string, source: string): VexResult {
  let raw: unknown;
  try { raw = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text); } catch (e) {
    return { ok: false, error: `${source} is not a VEX document: ${text.trim() === '' ? 'the file is empty' : (e as Error).message}.` };
  }
  if (!isObj(raw) || !/^https:\/\/openvex\.dev\/ns\b/.test(str(raw['@context'])) || !Array.isArray(raw.statements)) {
    return { ok: false, error: `${source} is not an OpenVEX document (no https://openvex.dev/ns @context with statements).` };
  }
  const warnings: string[] = [];
  const docTime = str(raw.timestamp);
  const statements: VexStatement[] = [];
  let skipped = 0;
  for (const s of raw.statements) {
    const vuln = isObj(s) && isObj(s.vulnerability) ? s.vulnerability : undefined;
    const status = isObj(s) ? str(s.status) : '';
    const name = vuln ? str(vuln.name) || str(vuln['@id']) : '';
    if (!isObj(s) || !name || !(VEX_STATUSES as readonly string[]).includes(status)) { skipped++; continue; }
    const products = (Array.isArray(s.products) ? s.products : []).map(productOf).filter((p): p is VexProduct => !!p && !!p.purl);
    const notes = str(s.status_notes);
    statements.push({
      vulnerability: name,
      aliases: Array.isArray(vuln!.aliases) ? vuln!.aliases.map(str).filter(Boolean) : [],
      products, status: status as VexStatus,
      ...(str(s.justification) ? { justification: str(s.justification) } : {}),
      ...(str(s.impact_statement) ? { impactStatement: str(s.impact_statement) } : {}),
      ...(str(s.action_statement) ? { actionStatement: str(s.action_statement) } : {}),
      timestamp: str(s.last_updated) || str(s.timestamp) || str(raw.last_updated) || docTime,
      ...(notesExpiry(notes) ? { expires: notesExpiry(notes) } : {}),
      source,
    });
  }
  if (skipped) warnings.push(`${source}: ${skipped} statement${skipped === 1 ? ' was' : 's were'} skipped (no vulnerability name or an unknown status).`);
  const productless = statements.filter((s) => s.products.length === 0).length;
  if (productless) warnings.push(`${source}: ${productless} statement${productless === 1 ? ' names' : 's name'} no product by purl and ${productless === 1 ? 'applies' : 'apply'} to nothing.`);
  return { ok: true, doc: { id: str(raw['@id']), author: str(raw.author), source, statements }, warnings };
}

/** Read and parse a VEX file through `host` (bounded, and confined when the host is). */
export async function loadVex(file: string, source: string, host: FileHost, opts?: ReadOptions): Promise<VexResult> {
  const r = await host.read(file, 'report', opts);
  if (!r.ok) return { ok: false, error: r.reason === 'missing' ? `${source}: no such VEX document.` : `${source}: cannot read: ${r.message}.` };
  return parseVex(r.text, source);
}

/** How a report's artifact is known to products: its repositories and digests (images), nothing otherwise. */
interface Subject { repositories: Set<string>; digests: Set<string> }

function subjectOf(report: TrivyReport): Subject {
  const refs = report.artifact.type === 'container_image' ? report.imageRefs : [];
  return {
    repositories: new Set(refs.map(normalizeRepository)),
    digests: new Set(refs.map(referenceDigest).filter((d): d is string => !!d)),
  };
}

function productMatches(p: VexProduct, subject: Subject, pkg: Purl | undefined): boolean {
  const purl = p.purl!;
  if (purl.type === 'oci') {
    const repo = purl.qualifiers.get('repository_url');
    // an OCI purl without repository_url names only the image's last path component: too loose to apply
    if (!repo || !subject.repositories.has(normalizeRepository(repo))) return false;
    if (purl.version && !subject.digests.has(purl.version)) return false;
    return p.subcomponents.length === 0 || (!!pkg && p.subcomponents.some((c) => purlCovers(c, pkg)));
  }
  return !!pkg && purlCovers(purl, pkg);
}

/** The statement that decides a finding: the newest one naming its id and a matching product (later wins ties). */
export function statementFor(v: TrivyVulnerability, report: TrivyReport, statements: readonly VexStatement[], today: string, subject = subjectOf(report)): VexStatement | undefined {
  const pkg = v.purl ? parsePurl(v.purl) : undefined;
  let best: VexStatement | undefined;
  for (const s of statements) {
    if (s.vulnerability !== v.id && !s.aliases.includes(v.id)) continue;
    if (s.expires && !(today < s.expires)) continue;
    if (!s.products.some((p) => productMatches(p, subject, pkg))) continue;
    if (!best || Date.parse(s.timestamp) >= Date.parse(best.timestamp) || Number.isNaN(Date.parse(best.timestamp))) best = s;
  }
  return best;
}

export interface VexSuppressed { vulnerability: TrivyVulnerability; statement: VexStatement }

/** Split vulnerabilities into those that remain and those a statement marks `not_affected` or `fixed`. */
export function applyVex(report: TrivyReport, vulns: TrivyVulnerability[], statements: readonly VexStatement[], today: string): { kept: TrivyVulnerability[]; suppressed: VexSuppressed[] } {
  if (statements.length === 0) return { kept: vulns, suppressed: [] };
  const subject = subjectOf(report);
  const kept: TrivyVulnerability[] = [];
  const suppressed: VexSuppressed[] = [];
  for (const v of vulns) {
    const s = statementFor(v, report, statements, today, subject);
    if (s && (s.status === 'not_affected' || s.status === 'fixed')) suppressed.push({ vulnerability: v, statement: s });
    else kept.push(v);
  }
  return { kept, suppressed };
}

/** One line for people: `not affected (vulnerable_code_not_in_execute_path): reason — from vex.json`. */
export function vexSummary(s: VexStatement): string {
  const status = s.status === 'not_affected' ? 'not affected' : s.status.replace(/_/g, ' ');
  const why = s.impactStatement ?? s.actionStatement;
  return `${status}${s.justification ? ` (${s.justification})` : ''}${why ? `: ${why}` : ''}`;
}
