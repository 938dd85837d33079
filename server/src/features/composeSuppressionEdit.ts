// The edit behind "Disable <rule> for this line" in compose files: a `# hullcheck ignore=<id>` comment above the
// innermost key whose line or value holds the finding, indented like that key, or the id appended to such a comment.

import { collectComposeSuppressions } from '../engine/composeSuppressions';
import { applyEdits } from '../core/text';
import type { TextEdit } from '../core/findings';
import { parseCompose, type ParsedCompose } from '../parse/compose';
import { mergeIgnore } from '../parse/pragma';

/** Key lines whose key or value covers `line`, innermost (nearest) first. */
function enclosingKeyLines(parsed: ParsedCompose, line: number): number[] {
  const out: number[] = [];
  for (const [keyLine, end] of parsed.keyExtents) {
    // a block value's end can be the start of the line after it, which the value does not hold
    const pos = parsed.index.positionAt(end);
    const last = pos.character === 0 && pos.line > keyLine ? pos.line - 1 : pos.line;
    if (keyLine <= line && line <= last) out.push(keyLine);
  }
  return out.sort((a, b) => b - a);
}

/** The edit for one key line: merged into an ignore comment right above it, or a new comment line. */
function editAbove(parsed: ParsedCompose, keyLine: number, id: string): TextEdit | undefined {
  const { index } = parsed;
  const above = keyLine > 0 ? index.lineText(keyLine - 1) : '';
  const merge = mergeIgnore(above, id);
  if (merge.kind === 'listed') return undefined;
  if (merge.kind === 'append') {
    const at = { line: keyLine - 1, character: merge.character };
    return { range: { start: at, end: at }, newText: merge.text };
  }
  // the key's own indentation; a key after a sequence dash (`- name: x`) takes the dash's
  const indent = /^[ \t]*/.exec(index.lineText(keyLine))?.[0] ?? '';
  const at = { line: keyLine, character: 0 };
  return { range: { start: at, end: at }, newText: `${indent}# hullcheck ignore=${id}${index.eol}` };
}

/**
 * The edit that silences `id` for a finding starting on `line`, or undefined when no comment placement would. Each
 * candidate is checked on the edited text: it must parse with no more errors than before (a comment line cannot go
 * inside a block scalar or a multi-line flow value) and its suppression must cover the finding's line.
 */
export function composeDisableEdit(parsed: ParsedCompose, line: number, id: string): TextEdit | undefined {
  const errors = parsed.documents.reduce((n, d) => n + d.errors.length, 0);
  for (const keyLine of enclosingKeyLines(parsed, line).slice(0, 8)) {
    const edit = editAbove(parsed, keyLine, id);
    if (!edit) return undefined; // already ignored right above this key
    const inserted = edit.newText.endsWith(parsed.index.eol) ? 1 : 0;
    const after = parseCompose(applyEdits(parsed.text, [edit]));
    if (after.documents.reduce((n, d) => n + d.errors.length, 0) > errors) continue;
    const target = line + inserted;
    const covered = collectComposeSuppressions(after).spans.some((s) => s.ids.has(id) && s.first <= target && target <= s.last);
    if (covered) return edit;
  }
  return undefined;
}
