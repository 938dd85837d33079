// Rule metadata for the client: the list of rules (hullcheck/rules) and each rule's Markdown page
// (hullcheck/ruleDocs), rendered by the same function that writes server/docs/rules/<id>.md.

import { RULES } from '../rules';
import { RULES_BY_ID } from '../engine/linter';
import { docsUrl, renderRulePage } from '../rules/ruleDocs';
import type { RuleDocsParams, RuleDocsResult, RuleInfo } from '../protocol/messages';

export function listRules(): RuleInfo[] {
  return RULES.map((r) => ({ ...r.meta, url: docsUrl(r.meta.id) })).sort((a, b) => a.id.localeCompare(b.id));
}

export function ruleDocs(params: RuleDocsParams | undefined): RuleDocsResult | null {
  const rule = params && typeof params.id === 'string' ? RULES_BY_ID.get(params.id) : undefined;
  if (!rule) return null;
  return { id: rule.meta.id, title: rule.meta.title, url: docsUrl(rule.meta.id), markdown: renderRulePage(rule.meta) };
}
