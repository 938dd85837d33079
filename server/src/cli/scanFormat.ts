// Output of `hullcheck scan`: a per-report severity table with the remaining findings for people, a stable JSON
// shape for scripts, and SARIF 2.1.0 in the same style as the lint command's.

import { toUri } from './formats/sarif';
import { SEVERITIES, type SeverityCounts, type TrivyMisconfiguration, type TrivyReport, type TrivySecret, type TrivySeverity, type TrivyVulnerability } from '../trivy/report';
import { printable } from '../core/terminal';
import { vexSummary, type VexSuppressed } from '../trivy/vex';
import { countsSummary, groupByOrigin, originOf, type LayerOrigin, type OriginGroup } from '../trivy/layers';

/** A report after the ignore file was applied: `counts` stays the report's own, the lists hold what remains. */
export interface ScannedReport {
  report: TrivyReport;
  vulnerabilities: TrivyVulnerability[];
  secrets: TrivySecret[];
  misconfigurations: TrivyMisconfiguration[];
  ignored: number;
  /** Where each layer came from, by DiffID (see trivy/layers). */
  origins?: Map<string, LayerOrigin>;
  /** The Dockerfile the origins were attributed with, as the user named it. */
  dockerfile?: string;
  /** Vulnerabilities a VEX statement marks not_affected or fixed (present when VEX documents were given). */
  vex?: VexSuppressed[];
}

/** A VEX-suppressed vulnerability for JSON output: the finding and the statement that decided it. */
function vexJson({ vulnerability: v, statement: s }: VexSuppressed, it: ScannedReport): Record<string, unknown> {
  const by = introducedBy(v, it);
  return {
    id: v.id, pkg: v.pkg, installed: v.installed, fixed: v.fixed, severity: v.severity, title: v.title, url: v.url,
    ...(by ? { introducedBy: by } : {}),
    vex: {
      status: s.status, ...(s.justification ? { justification: s.justification } : {}),
      ...(s.impactStatement ? { impactStatement: s.impactStatement } : {}), ...(s.actionStatement ? { actionStatement: s.actionStatement } : {}),
      ...(s.expires ? { expires: s.expires } : {}), source: s.source,
    },
  };
}

/** The origin of a vulnerability for JSON output: its layer, the history entry, and the line or base image. */
function introducedBy(v: TrivyVulnerability, it: ScannedReport): Record<string, unknown> | undefined {
  const layer = it.report.layers.get(v);
  // the JSON shape grows only when the user asked for tracing to a Dockerfile
  if (!layer || !it.dockerfile) return undefined;
  const o = it.origins?.get(layer);
  if (!o) return { layer };
  return {
    layer, layerIndex: o.layerIndex, createdBy: o.short, base: o.base,
    ...(o.baseImage !== undefined ? { baseImage: o.baseImage } : {}),
    ...(o.instr && it.dockerfile ? { file: it.dockerfile, line: o.instr.range.start.line + 1 } : {}),
  };
}

export function scanJson(items: ScannedReport[]): string {
  return JSON.stringify({
    reports: items.map((it) => ({ it, ...it })).map(({ it, report, vulnerabilities, secrets, misconfigurations, vex }) => ({
      source: report.source,
      artifact: { name: report.artifact.name, type: report.artifact.type },
      counts: report.counts,
      vulnerabilities: vulnerabilities.map((v) => {
        const by = introducedBy(v, it);
        return { id: v.id, pkg: v.pkg, installed: v.installed, fixed: v.fixed, severity: v.severity, title: v.title, url: v.url, ...(by ? { introducedBy: by } : {}) };
      }),
      secrets: secrets.map((s) => ({ id: s.id, category: s.category, severity: s.severity, title: s.title, target: s.target, startLine: s.startLine, endLine: s.endLine })),
      misconfigurations: misconfigurations.map((m) => ({
        id: m.id, ...(m.avdId ? { avdId: m.avdId } : {}), type: m.type, title: m.title, message: m.message,
        resolution: m.resolution, severity: m.severity, url: m.url, status: m.status, target: m.target,
      })),
      // the shape grows only when VEX documents were given
      ...(vex ? { notAffected: vex.map((x) => vexJson(x, it)) } : {}),
    })),
  }, null, 2) + '\n';
}

const COLOR: Record<TrivySeverity, string> = { CRITICAL: '1;31', HIGH: '31', MEDIUM: '33', LOW: '36', UNKNOWN: '2' };

function table(counts: SeverityCounts): string[] {
  const widths = SEVERITIES.map((s) => Math.max(s.length, String(counts[s]).length));
  return [
    '  ' + SEVERITIES.map((s, i) => s.padStart(widths[i])).join('  '),
    '  ' + SEVERITIES.map((s, i) => String(counts[s]).padStart(widths[i])).join('  '),
  ];
}

export function scanText(items: ScannedReport[], color: boolean): string {
  const paint = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const sev = (s: TrivySeverity) => paint(COLOR[s], s.padEnd(8));
  const p = (s: string | number | undefined) => printable(String(s ?? ''));
  const lines: string[] = [];
  for (const it of items) {
    const { report, vulnerabilities, secrets, misconfigurations, ignored } = it;
    const artifact = report.artifact.name ? ` (${p(report.artifact.name)}${report.artifact.type ? `, ${p(report.artifact.type)}` : ''})` : '';
    lines.push(paint('1', `${p(report.source)}${artifact}`));
    lines.push(...table(report.counts));
    const groups: OriginGroup[] = it.origins?.size ? groupByOrigin(vulnerabilities, report.layers, it.origins, it.dockerfile)
      : [{ key: '', label: '', counts: report.counts, fixable: 0, vulnerabilities }];
    for (const g of groups) {
      if (g.label) lines.push(`  introduced by ${p(g.label)}: ${countsSummary(g.counts, g.fixable)}`);
      for (const v of g.vulnerabilities) {
        const fix = v.fixed ? ` -> ${p(v.fixed)}` : ' (no fix yet)';
        lines.push(`  ${g.label ? '  ' : ''}${sev(v.severity)} ${p(v.id)}  ${p(v.pkg)} ${p(v.installed)}${fix}${v.title ? `  ${p(v.title)}` : ''}`);
      }
    }
    for (const s of secrets) lines.push(`  ${sev(s.severity)} ${p(s.id)}  secret in ${p(s.target)}:${p(s.startLine)}${s.title ? `  ${p(s.title)}` : ''}`);
    for (const m of misconfigurations.filter((x) => x.status !== 'PASS')) lines.push(`  ${sev(m.severity)} ${p(m.id)}  ${p(m.target)}  ${p(m.title || m.message)}`);
    for (const { vulnerability: v, statement } of it.vex ?? []) {
      lines.push(`  ${paint('2', `${v.severity.padEnd(8)} ${p(v.id)}  ${p(v.pkg)} ${p(v.installed)}  ${p(vexSummary(statement))} (VEX: ${p(statement.source)})`)}`);
    }
    const remaining = vulnerabilities.length + secrets.length + misconfigurations.filter((x) => x.status !== 'PASS').length;
    const vexed = it.vex?.length ?? 0;
    lines.push(`  ${remaining} finding${remaining === 1 ? '' : 's'}${ignored ? `, ${ignored} ignored by the ignore file` : ''}${vexed ? `, ${vexed} not affected or fixed by VEX` : ''}.`, '');
  }
  return lines.join('\n');
}

const SARIF_LEVEL: Record<TrivySeverity, 'error' | 'warning' | 'note'> = { CRITICAL: 'error', HIGH: 'error', MEDIUM: 'warning', LOW: 'note', UNKNOWN: 'note' };

interface SarifItem {
  ruleId: string; title: string; url: string; severity: TrivySeverity; text: string; uri: string; line: number; kind: string;
  /** Why a VEX statement suppresses the result (SARIF `suppressions`, kind external). */
  suppressedBy?: string;
}

/** SARIF 2.1.0, one run; each finding id is a rule, located at the report's Target. */
export function scanSarif(items: ScannedReport[], version: string): string {
  const found: SarifItem[] = [];
  for (const it of items) {
    const vexed = new Map((it.vex ?? []).map((x) => [x.vulnerability, x.statement]));
    for (const v of [...it.vulnerabilities, ...vexed.keys()]) {
      // traced to a Dockerfile line: the finding is located there (the FROM for the base image's share)
      const layer = it.report.layers.get(v);
      const o = layer ? it.origins?.get(layer) : undefined;
      const at = o?.instr && it.dockerfile ? { uri: it.dockerfile, line: o.instr.range.start.line + 1 } : { uri: v.target || it.report.source, line: 1 };
      const from = o ? ` Introduced by ${originOf(layer, it.origins!, it.dockerfile).label}.` : '';
      const statement = vexed.get(v);
      found.push({ ruleId: v.id, title: v.title || v.id, url: v.url, severity: v.severity, kind: 'vulnerability', ...at,
        text: `${v.pkg} ${v.installed} is affected by ${v.id}${v.title ? ` (${v.title})` : ''}; ${v.fixed ? `fixed in ${v.fixed}` : 'no fixed version yet'}.${from}`,
        ...(statement ? { suppressedBy: `VEX ${vexSummary(statement)} (${statement.source})` } : {}) });
    }
    for (const s of it.secrets) {
      found.push({ ruleId: s.id, title: s.title || s.id, url: '', severity: s.severity, kind: 'secret', uri: s.target, line: Math.max(1, s.startLine),
        text: `${s.title || s.id} found in ${s.target}.` });
    }
    for (const m of it.misconfigurations.filter((x) => x.status !== 'PASS')) {
      found.push({ ruleId: m.id, title: m.title || m.id, url: m.url, severity: m.severity, kind: 'misconfiguration', uri: m.target || it.report.source, line: 1,
        text: m.message || m.title || m.id });
    }
  }
  const ruleIds = [...new Set(found.map((f) => f.ruleId))].sort();
  const rules = ruleIds.map((id) => {
    const f = found.find((x) => x.ruleId === id)!;
    return {
      id, name: id, shortDescription: { text: f.title },
      ...(f.url ? { helpUri: f.url } : {}),
      defaultConfiguration: { level: SARIF_LEVEL[f.severity] },
      properties: { tags: [f.kind, f.severity] },
    };
  });
  const results = found.map((f) => ({
    ruleId: f.ruleId, ruleIndex: ruleIds.indexOf(f.ruleId), level: SARIF_LEVEL[f.severity], message: { text: f.text },
    locations: [{ physicalLocation: { artifactLocation: { uri: toUri(f.uri) }, region: { startLine: f.line } } }],
    ...(f.suppressedBy ? { suppressions: [{ kind: 'external', status: 'accepted', justification: f.suppressedBy }] } : {}),
    properties: { severity: f.severity },
  }));
  return JSON.stringify({
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'Hullcheck', version, informationUri: 'https://github.com/hullcheck/hullcheck', rules } }, results }],
  }, null, 2) + '\n';
}

