// Hover on a flagged range: the rule's title, its rationale and a link to its documentation page; on a rule named in
// a suppression comment, the same for that rule.

import { MarkupKind, type Hover, type HoverParams, type Position, type Range } from 'vscode-languageserver/node';
import { RULES_BY_ID } from '../engine/linter';
import type { DocumentStore } from './documents';
import type { LintService } from './linting';
import { composeKeyHover } from './composeHover';
import type { ParsedCompose } from '../parse/compose';
import { pragmaHover } from './pragmaAssist';
import { ruleHoverMarkdown } from './ruleHover';

function contains(r: Range, p: Position): boolean {
  const afterStart = p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character);
  const beforeEnd = p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character);
  return afterStart && beforeEnd;
}

export class HoverProvider {
  constructor(private readonly docs: DocumentStore, private readonly linter: LintService) {}

  async provide(params: HoverParams): Promise<Hover | null> {
    const doc = this.docs.get(params.textDocument.uri);
    if (!doc || !this.docs.languageOf(doc)) return null;
    const outcome = await this.linter.lintDocument(doc);
    if (outcome.version !== doc.version) return null;
    const hits = outcome.findings.filter((f) => RULES_BY_ID.has(f.rule) && contains(f.range, params.position));
    // compose keys also get their Compose Specification description
    const parsed = this.docs.languageOf(doc) === 'compose' ? this.docs.parsedOf(doc)?.parsed as ParsedCompose | undefined : undefined;
    const key = parsed ? composeKeyHover(parsed, params.position) : undefined;
    // a rule named in a suppression comment: what it stands for
    const pragma = pragmaHover(doc, this.docs.languageOf(doc)!, params.position);
    if (hits.length === 0) return pragma ?? (key ? { contents: { kind: MarkupKind.Markdown, value: key.markdown }, range: key.range } : null);
    const sections = [...new Set(hits.map((f) => f.rule))].map((id) => ruleHoverMarkdown(id)).filter((s): s is string => !!s);
    if (pragma) sections.push((pragma.contents as { value: string }).value);
    if (key) sections.push(key.markdown);
    return { contents: { kind: MarkupKind.Markdown, value: sections.join('\n\n---\n\n') }, range: hits[0].range };
  }
}
