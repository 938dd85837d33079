// The Vulnerabilities view's tree as plain data: image -> severity -> vulnerability, plus secret and
// misconfiguration groups, filtered by the chosen severities. No VS Code imports, so it is unit-tested directly.

import type { ImageBudgetsResult } from '../../../server/src/protocol/dockerMessages';
import type { TrivyAddIgnoreParams, TrivyFindingItem, TrivyImageGroup, TrivySeverityName } from '../../../server/src/protocol/trivyMessages';

export const SEVERITY_ORDER: readonly TrivySeverityName[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'];

export type TrivyNode =
  | { kind: 'image'; key: string; image: TrivyImageGroup; children: TrivyNode[]; shown: number }
  | { kind: 'severity'; key: string; image: TrivyImageGroup; severity: TrivySeverityName; children: TrivyNode[]; fixable: number }
  | { kind: 'origin'; key: string; image: TrivyImageGroup; label: string; children: TrivyNode[]; fixable: number; counts: Record<TrivySeverityName, number> }
  | { kind: 'group'; key: string; image: TrivyImageGroup; group: 'secrets' | 'misconfigurations'; children: TrivyNode[] }
  | { kind: 'finding'; key: string; image: TrivyImageGroup; finding: TrivyFindingItem; children: [] }
  | { kind: 'message'; key: string; text: string; children: [] };

/** A stored filter value made safe: known severities only, in severity order; all of them when empty or invalid. */
export function normalizeSeverities(raw: unknown): TrivySeverityName[] {
  const wanted = new Set(Array.isArray(raw) ? raw.filter((s): s is string => typeof s === 'string').map((s) => s.toUpperCase()) : []);
  const picked = SEVERITY_ORDER.filter((s) => wanted.has(s));
  return picked.length ? picked : [...SEVERITY_ORDER];
}

/** Whether the filter hides anything. */
export function isFiltered(severities: readonly TrivySeverityName[]): boolean {
  return SEVERITY_ORDER.some((s) => !severities.includes(s));
}

/** The view title's description for a filter: empty when everything is shown. */
export function filterDescription(severities: readonly TrivySeverityName[]): string {
  return isFiltered(severities) ? `Showing ${normalizeSeverities(severities).map(titleCase).join(', ')}` : '';
}

export function titleCase(s: string): string {
  return s.charAt(0) + s.slice(1).toLowerCase();
}

function sortBySeverity(findings: TrivyFindingItem[]): TrivyFindingItem[] {
  return [...findings].sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || a.id.localeCompare(b.id));
}

/** A stable key per image: the same report keeps its expansion state across refreshes. */
export function imageKey(image: TrivyImageGroup): string {
  return `${image.origin}:${image.source}`;
}

function findingNode(parent: string, image: TrivyImageGroup, finding: TrivyFindingItem, i: number): TrivyNode {
  return { kind: 'finding', key: `${parent}/${finding.kind}:${finding.id}:${finding.pkg ?? ''}:${finding.target}:${i}`, image, finding, children: [] };
}

/** How vulnerabilities are grouped under an image: by severity, or by the layer/instruction that introduced them. */
export type TrivyGroupBy = 'severity' | 'introducedBy';

/** Vulnerabilities under one node per origin, in build order (unknown layers last), most severe first inside. */
function originNodes(key: string, image: TrivyImageGroup, vulns: TrivyFindingItem[]): TrivyNode[] {
  const groups = new Map<string, { label: string; order: number; items: TrivyFindingItem[] }>();
  for (const f of vulns) {
    const by = f.introducedBy ?? { key: 'unknown', label: 'Layer not known', order: Number.MAX_SAFE_INTEGER };
    const g = groups.get(by.key) ?? { label: by.label, order: by.order, items: [] };
    g.items.push(f);
    groups.set(by.key, g);
  }
  return [...groups].sort((a, b) => a[1].order - b[1].order).map(([k, g]) => {
    const oKey = `${key}/origin:${k}`;
    const counts = Object.fromEntries(SEVERITY_ORDER.map((s) => [s, g.items.filter((f) => f.severity === s).length])) as Record<TrivySeverityName, number>;
    return { kind: 'origin', key: oKey, image, label: g.label, counts, fixable: g.items.filter((f) => !!f.fixed).length,
      children: sortBySeverity(g.items).map((f, i) => findingNode(oKey, image, f, i)) };
  });
}

/** `2 critical · 5 high · 6 fixable` for an origin row. */
export function originDescription(node: TrivyNode & { kind: 'origin' }): string {
  const parts = SEVERITY_ORDER.filter((s) => node.counts[s] > 0).map((s) => `${node.counts[s]} ${s.toLowerCase()}`);
  if (node.fixable) parts.push(`${node.fixable} fixable`);
  return parts.join(' · ');
}

/** One image's subtree under the filter; findings of other severities are left out. */
export function buildImage(image: TrivyImageGroup, severities: readonly TrivySeverityName[], groupBy: TrivyGroupBy = 'severity', fixableOnly = false): TrivyNode & { kind: 'image' } {
  const key = imageKey(image);
  const allowed = new Set(severities);
  // fixable-only hides vulnerabilities without a fixed version; secrets and misconfigurations stay
  const all = image.severities.flatMap((g) => g.findings).filter((f) => allowed.has(f.severity) && (!fixableOnly || f.kind !== 'vulnerability' || !!f.fixed));
  const children: TrivyNode[] = [];
  if (groupBy === 'introducedBy') children.push(...originNodes(key, image, all.filter((f) => f.kind === 'vulnerability')));
  else for (const severity of SEVERITY_ORDER) {
    const vulns = all.filter((f) => f.kind === 'vulnerability' && f.severity === severity);
    if (!vulns.length) continue;
    const sevKey = `${key}/${severity}`;
    children.push({
      kind: 'severity', key: sevKey, image, severity, fixable: vulns.filter((f) => !!f.fixed).length,
      children: vulns.map((f, i) => findingNode(sevKey, image, f, i)),
    });
  }
  for (const [group, kind] of [['secrets', 'secret'], ['misconfigurations', 'misconfiguration']] as const) {
    const items = sortBySeverity(all.filter((f) => f.kind === kind));
    if (!items.length) continue;
    const gKey = `${key}/${group}`;
    children.push({ kind: 'group', key: gKey, image, group, children: items.map((f, i) => findingNode(gKey, image, f, i)) });
  }
  if (!children.length) {
    const text = image.severities.length ? 'No findings at the selected severities' : 'No findings';
    children.push({ kind: 'message', key: `${key}/empty`, text, children: [] });
  }
  return { kind: 'image', key, image, children, shown: all.length };
}

export function buildTree(images: readonly TrivyImageGroup[], severities: readonly TrivySeverityName[], groupBy: TrivyGroupBy = 'severity', fixableOnly = false): TrivyNode[] {
  return images.map((image) => buildImage(image, severities, groupBy, fixableOnly));
}

/** The image row's description: vulnerability counts of the whole report, most severe first (`2 critical · 5 high`). */
export function countsDescription(image: TrivyImageGroup): string {
  const parts = SEVERITY_ORDER.filter((s) => image.counts[s] > 0).map((s) => `${image.counts[s]} ${s.toLowerCase()}`);
  const secrets = image.severities.reduce((n, g) => n + g.findings.filter((f) => f.kind === 'secret').length, 0);
  const misconf = image.severities.reduce((n, g) => n + g.findings.filter((f) => f.kind === 'misconfiguration').length, 0);
  if (secrets) parts.push(`${secrets} secret${secrets === 1 ? '' : 's'}`);
  if (misconf) parts.push(`${misconf} misconfiguration${misconf === 1 ? '' : 's'}`);
  return parts.length ? parts.join(' · ') : 'no findings';
}

/** A finding row: the id as label; package, installed -> fixed version and title as description. */
export function findingLabel(f: TrivyFindingItem): { label: string; description: string } {
  const parts: string[] = [];
  if (f.kind === 'vulnerability') {
    const versions = f.fixed ? `${f.installed ?? '?'} → ${f.fixed}` : `${f.installed ?? '?'} (no fix yet)`;
    parts.push(`${f.pkg ?? '?'} ${versions}`);
  } else {
    parts.push(`${titleCase(f.severity)} · ${f.target}`);
  }
  if (f.title) parts.push(f.title);
  if (f.vex) parts.unshift(f.vex.status === 'fixed' ? 'fixed (VEX)' : 'not affected (VEX)');
  if (f.ignored) parts.unshift('ignored');
  return { label: f.id, description: parts.join(' · ') };
}

/** Where an ignore entry for this finding goes in `.trivyignore.yaml`. */
export function ignoreSection(f: TrivyFindingItem): NonNullable<TrivyAddIgnoreParams['section']> {
  if (f.kind === 'secret') return 'secrets';
  if (f.kind === 'misconfiguration') return 'misconfigurations';
  return 'vulnerabilities';
}

/** `today` (YYYY-MM-DD) plus whole days, in UTC. */
export function addDays(today: string, days: number): string {
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Why an expiry date is unacceptable (undefined when it is fine): real calendar date, YYYY-MM-DD, not in the past. */
export function validateExpiry(value: string, today: string): string | undefined {
  const v = value.trim();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return 'Enter the date as YYYY-MM-DD.';
  const d = new Date(`${v}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v) return `${v} is not a calendar date.`;
  if (v < today) return 'The expiry date is in the past; the entry would have no effect.';
  return undefined;
}

/** Image references to scan for "Scan All Budgeted Images": the budgeted images, each once. */
export function budgetedRefs(budgets: Pick<ImageBudgetsResult, 'budgeted'>): string[] {
  return [...new Set(budgets.budgeted.map((b) => b.tags[0] || b.ref).filter((r) => !!r && !/^sha256:/.test(r)))];
}

/** The fallback: container images named by loaded reports, each once (folders and repositories are not images). */
export function reportRefs(images: readonly TrivyImageGroup[]): string[] {
  return [...new Set(images.filter((i) => i.artifactType === 'container_image' && i.image).map((i) => i.image))];
}
