// The Markdown a hover shows for one rule: its title, id, rationale and a link to its documentation page.

import { RULES_BY_ID } from '../engine/linter';
import { docsUrl } from '../rules/ruleDocs';

/** Markdown for one rule, as shown in hovers. */
export function ruleHoverMarkdown(id: string): string | undefined {
  const rule = RULES_BY_ID.get(id);
  if (!rule) return undefined;
  const m = rule.meta;
  return `**${m.title}** (\`${m.id}\`)\n\n${m.docs.rationale.trim()}\n\n[Rule documentation](${docsUrl(m.id)})`;
}
