// Completion and hover for the names in suppression comments: Hullcheck rule ids after `# hullcheck ignore=`,
// hadolint codes after `# hadolint ignore=` and BuildKit check names after `# check=skip=`, each tied back to the
// Hullcheck rules it stands for. Positions come from the one pragma reader (parse/pragma).

import { CompletionItemKind, MarkupKind, type CompletionItem, type Hover, type Position } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { RULES } from '../rules';
import type { Language } from '../core/findings';
import type { RuleMeta } from '../core/ruleMeta';
import { idListOf, type IdListKind } from '../parse/pragma';
import { ruleHoverMarkdown } from './ruleHover';

/** The names a list kind takes in a language, each with the rules it stands for. */
function namesFor(kind: IdListKind, language: Language): Map<string, RuleMeta[]> {
  const out = new Map<string, RuleMeta[]>();
  const add = (name: string, m: RuleMeta) => out.set(name, [...(out.get(name) ?? []), m]);
  for (const { meta: m } of RULES) {
    const runsOn = m.language === language || !!m.alsoLanguages?.includes(language);
    if (kind === 'hullcheck' && runsOn) add(m.id, m);
    // hadolint and BuildKit only read Dockerfiles
    else if (kind === 'hadolint' && language === 'dockerfile' && m.language === 'dockerfile') for (const c of m.hadolint ?? []) add(c, m);
    else if (kind === 'check-skip' && language === 'dockerfile' && m.language === 'dockerfile') for (const c of m.buildkit ?? []) add(c, m);
  }
  return out;
}

/** Whether a comment line can hold this list kind in this language (compose reads only hullcheck ignores). */
function applies(kind: IdListKind, language: Language): boolean {
  return language === 'dockerfile' || (language === 'compose' && kind === 'hullcheck');
}

function lineText(doc: TextDocument, line: number): string {
  return doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '');
}

/** The id list under the cursor and the name being typed or pointed at (its start and end in the line). */
function at(doc: TextDocument, language: Language, pos: Position) {
  const text = lineText(doc, pos.line);
  const list = idListOf(text);
  if (!list || !applies(list.kind, language) || pos.character < list.start || pos.character > Math.max(list.end, list.start)) return undefined;
  let start = pos.character, end = pos.character;
  const part = (c: string | undefined) => c !== undefined && c !== ',' && c.trim() !== '';
  while (start > list.start && part(text[start - 1])) start--;
  while (end < list.end && part(text[end])) end++;
  return { list, text, start, end };
}

/** Completion items for the name being typed in a suppression list; names already listed are left out. */
export function pragmaCompletions(doc: TextDocument, language: Language, pos: Position): CompletionItem[] {
  const here = at(doc, language, pos);
  if (!here) return [];
  const listed = new Set(here.text.slice(here.list.start, here.list.end).split(',').map((s) => s.trim()));
  const typed = here.text.slice(here.start, here.end);
  const range = { start: { line: pos.line, character: here.start }, end: { line: pos.line, character: here.end } };
  const items: CompletionItem[] = [];
  for (const [name, metas] of namesFor(here.list.kind, language)) {
    if (listed.has(name) && name !== typed) continue;
    const titles = metas.map((m) => (here.list.kind === 'hullcheck' ? m.title : `${m.id}: ${m.title}`));
    items.push({
      label: name,
      kind: CompletionItemKind.Value,
      detail: titles.join('; '),
      documentation: { kind: MarkupKind.Markdown, value: metas.map((m) => ruleHoverMarkdown(m.id) ?? '').join('\n\n---\n\n') },
      textEdit: { range, newText: name },
    });
  }
  return items.sort((a, b) => a.label.localeCompare(b.label));
}

/** Hover on a name in a suppression list: the title and documentation link of each rule it stands for. */
export function pragmaHover(doc: TextDocument, language: Language, pos: Position): Hover | undefined {
  const here = at(doc, language, pos);
  if (!here || here.start === here.end) return undefined;
  const name = here.text.slice(here.start, here.end);
  const metas = namesFor(here.list.kind, language).get(name);
  if (!metas) return undefined;
  const value = metas.map((m) => ruleHoverMarkdown(m.id)).filter((s): s is string => !!s).join('\n\n---\n\n');
  return { contents: { kind: MarkupKind.Markdown, value }, range: { start: { line: pos.line, character: here.start }, end: { line: pos.line, character: here.end } } };
}
