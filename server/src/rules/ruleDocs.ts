// Rule documentation derived from metadata: the public docs location and the Markdown rule page.
// Shared by the generator (server/scripts/gen.ts), the language server (hover, hullcheck/ruleDocs) and the CLI.

import type { RuleMeta } from '../core/ruleMeta';
import { presetNotes, presetSummary } from '../config/presets';

/** Where the generated rule pages are published; a rule's page is DOCS_BASE + id + '.md'. */
export const DOCS_BASE = 'https://github.com/hullcheck/hullcheck/blob/main/server/docs/rules/';

export function docsUrl(id: string): string {
  return `${DOCS_BASE}${id}.md`;
}

function fence(lang: string, text: string): string {
  // an image rule's examples are the Dockerfiles the image is built from
  const name = lang === 'dockerfile' || lang === 'image' ? 'dockerfile' : lang === 'compose' ? 'yaml' : 'text';
  return '```' + name + '\n' + text.replace(/\n$/, '') + '\n```';
}

/** The Markdown page of one rule (server/docs/rules/<id>.md). */
export function renderRulePage(m: RuleMeta): string {
  const lines = [
    `# ${m.id}`,
    '',
    `${m.title}.`,
    '',
    '| | |',
    '|---|---|',
    `| Language | ${[m.language, ...(m.alsoLanguages ?? [])].join(', ')} |`,
    `| Category | ${m.category} |`,
    `| Default severity | ${presetSummary(m).recommended} |`,
    `| Presets | ${presetCell(m)} |`,
    `| Fix | ${m.fix} |`,
    `| Since | ${presetSummary(m).since} |`,
  ];
  if (m.hadolint?.length) lines.push(`| hadolint | ${m.hadolint.join(', ')} |`);
  if (m.buildkit?.length) lines.push(`| BuildKit check | ${m.buildkit.join(', ')} |`);
  if (m.errorReason) lines.push(`| Why an error | ${m.errorReason} |`);
  lines.push('', '## Why', '', m.docs.rationale.trim(), '', '## Invalid', '', fence(m.language, m.docs.invalid), '', '## Valid', '', fence(m.language, m.docs.valid), '');
  if (m.docs.notes) lines.push('## Notes', '', m.docs.notes.trim(), '');
  const changes = presetNotes(m.id);
  if (changes.length) lines.push('## Default changes', '', ...changes.map((c) => `- ${c}`), '');
  lines.push('## Suppressing', '', m.language === 'dockerfile'
    ? `Put \`# hullcheck ignore=${m.id}\` on the line before the instruction, or \`# hullcheck global ignore=${m.id}\` anywhere in the file, or set \`rules: { ${m.id}: off }\` in \`.hullcheck.yaml\`.`
    : m.language === 'compose'
      ? `Put \`# hullcheck ignore=${m.id}\` on the line above the key, or \`# hullcheck global ignore=${m.id}\` anywhere in the file, or set \`rules: { ${m.id}: off }\` in \`.hullcheck.yaml\`.`
      : `Set \`rules: { ${m.id}: off }\` in \`.hullcheck.yaml\`.`, '',
  '<!-- Generated from the rule metadata by server/scripts/gen.ts: do not edit. -->', '');
  return lines.join('\n');
}

/** The severity under each preset, e.g. `recommended: info · strict: warning · hadolint: warning` (opinionated rules say so). */
export function presetCell(m: RuleMeta): string {
  const p = presetSummary(m);
  return `recommended: ${p.recommended} · strict: ${p.strict} · hadolint: ${p.hadolint}${p.opinion ? ' (opinionated)' : ''}`;
}
