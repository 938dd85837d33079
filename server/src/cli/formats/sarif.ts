// `--format sarif`: a SARIF 2.1.0 log for code scanning. Results carry stable `partialFingerprints`, and
// rules carry their help (the rule page as Markdown) and a link to it.

import { RULES_BY_ID } from '../../engine/linter';
import { DOCS_BASE, renderRulePage } from '../../rules/ruleDocs';
import { FINGERPRINT_KEY } from '../../core/findingFingerprint';
import type { RuleMeta } from '../../core/ruleMeta';
import type { Severity } from '../../core/findings';
import type { FileFinding } from '../format';
import { reportPath } from '../../core/reportPath';

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/** A SARIF 2.1.0 log with one run; rules carry their help and default levels. */
export function toSarif(findings: readonly FileFinding[], version: string): string {
  const ruleIds = [...new Set(findings.map((f) => f.rule))].sort();
  const rules = ruleIds.map((id) => {
    const meta = RULES_BY_ID.get(id)?.meta;
    const rationale = meta?.docs.rationale.replace(/\s+/g, ' ').trim();
    return {
      id,
      name: id,
      shortDescription: { text: meta?.title ?? id },
      ...(meta ? {
        fullDescription: { text: rationale },
        help: { text: `${meta.title}. ${rationale} See ${DOCS_BASE}${id}.md`, markdown: helpMarkdown(meta) },
      } : {}),
      helpUri: `${DOCS_BASE}${id}.md`,
      defaultConfiguration: { level: meta && meta.severity !== 'off' ? SARIF_LEVEL[meta.severity] : 'warning' },
      properties: { tags: meta ? [...new Set([meta.language, meta.category])] : [] },
    };
  });
  const results = findings.map((f) => ({
    ruleId: f.rule,
    ruleIndex: ruleIds.indexOf(f.rule),
    level: SARIF_LEVEL[f.severity],
    message: { text: f.message },
    locations: [{
      physicalLocation: {
        // relative to the working folder like the GitHub and GitLab formats, so code scanning maps it to the repository
        artifactLocation: { uri: toUri(reportPath(f.file)) },
        region: {
          startLine: f.range.start.line + 1,
          startColumn: f.range.start.character + 1,
          endLine: f.range.end.line + 1,
          endColumn: f.range.end.character + 1,
        },
      },
    }],
    ...(f.fingerprint ? { partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint } } : {}),
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

/** A relative path as a URI reference (each segment percent-encoded, forward slashes), as SARIF locations want it. */
export function toUri(file: string): string {
  return file.split(/[\\/]/).map(encodeURIComponent).join('/');
}

/** The rule page as code scanning shows it: without the generator's note, which is for the repository's readers. */
function helpMarkdown(meta: RuleMeta): string {
  return renderRulePage(meta).split('\n').filter((l) => !l.startsWith('<!-- Generated')).join('\n').trim() + '\n';
}
