// Output formats of the CLI: text for people, the JSON contract for scripts, and SARIF 2.1.0 for code scanning.

import { RULES_BY_ID } from '../engine/linter';
import { DOCS_BASE } from '../engine/meta';
import type { Finding, Severity } from '../engine/types';

export interface FileFinding extends Finding { file: string }

export const SEVERITY_RANK: Record<Severity, number> = { hint: 0, info: 1, warning: 2, error: 3 };

/** The JSON contract: 1-based lines and columns, `file` as given. */
export function toJson(findings: FileFinding[]): string {
  return JSON.stringify({
    findings: findings.map((f) => ({
      file: f.file,
      rule: f.rule,
      severity: f.severity,
      message: f.message,
      line: f.range.start.line + 1,
      column: f.range.start.character + 1,
      endLine: f.range.end.line + 1,
      endColumn: f.range.end.character + 1,
      fixable: f.fixes.some((x) => x.safety === 'safe'),
    })),
  }, null, 2) + '\n';
}

export function toText(findings: FileFinding[], filesLinted: number, color: boolean): string {
  const paint = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const sevColor: Record<Severity, string> = { error: '31', warning: '33', info: '36', hint: '2' };
  const lines = findings.map((f) =>
    `${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${paint(sevColor[f.severity], f.severity)} ${f.message} ${paint('2', `[${f.rule}]`)}`);
  const counts = (['error', 'warning', 'info', 'hint'] as Severity[])
    .map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}${n === 1 ? '' : s === 'info' ? '' : 's'}`);
  const fixable = findings.filter((f) => f.fixes.some((x) => x.safety === 'safe')).length;
  const summary = findings.length === 0
    ? `No problems in ${filesLinted} file${filesLinted === 1 ? '' : 's'}.`
    : `${findings.length} problem${findings.length === 1 ? '' : 's'} (${counts.join(', ')}) in ${filesLinted} file${filesLinted === 1 ? '' : 's'}` +
      (fixable ? `; ${fixable} fixable with --fix.` : '.');
  return [...lines, summary].join('\n') + '\n';
}

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/** A SARIF 2.1.0 log with one run; rules carry their help links and default levels. */
export function toSarif(findings: FileFinding[], version: string): string {
  const ruleIds = [...new Set(findings.map((f) => f.rule))].sort();
  const rules = ruleIds.map((id) => {
    const meta = RULES_BY_ID.get(id)?.meta;
    return {
      id,
      name: id,
      shortDescription: { text: meta?.title ?? id },
      ...(meta ? { fullDescription: { text: meta.docs.rationale.replace(/\s+/g, ' ').trim() } } : {}),
      helpUri: `${DOCS_BASE}${id}.md`,
      defaultConfiguration: { level: meta && meta.severity !== 'off' ? SARIF_LEVEL[meta.severity] : 'warning' },
      properties: { tags: meta ? [meta.language, meta.category] : [] },
    };
  });
  const results = findings.map((f) => ({
    ruleId: f.rule,
    ruleIndex: ruleIds.indexOf(f.rule),
    level: SARIF_LEVEL[f.severity],
    message: { text: f.message },
    locations: [{
      physicalLocation: {
        artifactLocation: { uri: toUri(f.file) },
        region: {
          startLine: f.range.start.line + 1,
          startColumn: f.range.start.character + 1,
          endLine: f.range.end.line + 1,
          endColumn: f.range.end.character + 1,
        },
      },
    }],
  }));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'Hullcheck', version, informationUri: 'https://github.com/hullcheck/hullcheck', rules } },
      results,
    }],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

/** SARIF artifact URIs use forward slashes and percent-encoding; relative paths stay relative. */
/** A relative path as a URI reference (each segment percent-encoded), as SARIF locations want it. */
export function toUri(file: string): string {
  return file.split(/[\\/]/).map(encodeURIComponent).join('/');
}
