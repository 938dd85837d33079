// A Dockerfile whose last instruction is still open where the text ends (a line continuation with nothing after it,
// or a heredoc that is never terminated) takes any line added after it into that instruction. A fix that adds text
// there would rewrite the instruction instead of adding one, so such fixes are not offered.

import { heredocsOf, type ParsedDockerfile } from '../parse/dockerfile';
import type { Finding, Fix } from '../core/findings';

/**
 * The offset from which added text would join the open last instruction, or undefined when the last
 * instruction is complete.
 */
export function openTailOffset(parsed: ParsedDockerfile): number | undefined {
  const last = parsed.instructions[parsed.instructions.length - 1];
  if (!last) return undefined;
  const { index, text } = parsed;
  const heredocs = heredocsOf(last.onbuild ?? last);
  // Docker skips blank and comment lines inside a continuation, and lines after a heredoc's delimiter are outside
  // it, so the last line with content decides (the instruction's own first line at the latest)
  for (let line = index.lineCount - 1; line >= last.range.start.line; line--) {
    const raw = index.lineText(line).replace(/\r$/, '');
    const t = raw.trim();
    if (t === '' || t.startsWith('#')) continue;
    if (heredocs.length === 0) return t.endsWith(parsed.escapeChar) ? last.endOffset : undefined;
    // a heredoc ends at a line that is exactly its name (after leading tabs with `<<-`), whatever precedes it
    const h = heredocs[heredocs.length - 1];
    const tabbed = heredocs.some((x) => text.charAt(index.offsetAt(x.getStartRange().start) + 2) === '-');
    return (tabbed ? raw.replace(/^\t+/, '') : raw) === h.getName() && line > last.range.start.line ? undefined : last.endOffset;
  }
  return undefined;
}

/** Whether a fix adds text at or after the open tail (whitespace alone changes nothing there). */
function addsToTail(parsed: ParsedDockerfile, fix: Fix, tail: number): boolean {
  return fix.edits.some((e) => /\S/.test(e.newText) && parsed.index.offsetAt(e.range.start) >= tail);
}

/** Drop the fixes of a finding that would add text after an open last instruction. */
export function dropTailFixes(parsed: ParsedDockerfile, finding: Finding, tail: number): void {
  if (finding.fixes.some((f) => addsToTail(parsed, f, tail))) finding.fixes = finding.fixes.filter((f) => !addsToTail(parsed, f, tail));
}
