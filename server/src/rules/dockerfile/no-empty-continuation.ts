// no-empty-continuation: a blank line inside a continued instruction is skipped today but is slated to become
// an error, and it hides where the instruction really ends.

import type { DockerfileRule } from '../context';
import { fix } from '../../model/dockerfile/wordsAndEdits';
import { heredocsOf, type ParsedDockerfile } from '../../parse/dockerfile';

interface HeredocNode { getContentRange(): { start: { line: number }; end: { line: number } } | null; getDelimiterRange(): { start: { line: number } } | null }

const BLANK = /^[ \t]*$/;

/** Whether a line in [from, to) holds only spaces and tabs, read from the text without slicing lines. */
function hasBlankLine(p: ParsedDockerfile, from: number, to: number): boolean {
  for (let line = from; line < to; line++) {
    let k = p.index.starts[line];
    const end = p.index.lineEnd(line);
    while (k < end && (p.text.charCodeAt(k) === 32 || p.text.charCodeAt(k) === 9)) k++;
    if (k === end) return true;
  }
  return false;
}

const rule: DockerfileRule = {
  meta: {
    id: 'no-empty-continuation',
    containerTools: ['EMPTY_CONTINUATION_LINE'],
    language: 'dockerfile',
    category: 'correctness',
    title: 'Remove empty lines inside a continued instruction',
    severity: 'warning',
    fix: 'safe',
    buildkit: ['NoEmptyContinuation'],
    docs: {
      rationale:
        'After a line-continuation escape, Docker skips empty lines and keeps reading the same instruction. The ' +
        'blank line looks like the end of the instruction but is not, and BuildKit has announced that such lines ' +
        'will become an error.',
      invalid: 'FROM alpine:3.20\nRUN apk add --no-cache \\\n\n    curl\n',
      valid: 'FROM alpine:3.20\nRUN apk add --no-cache \\\n    curl\n',
      notes:
        'Blank lines in a heredoc body are content and are not reported. Comment lines inside a continuation are ' +
        'allowed. As in BuildKit, the finding is reported once per instruction, on its last line, and names the ' +
        'empty lines. The fix deletes them, which does not change how the instruction is parsed.',
    },
  },
  check(ctx) {
    const p = ctx.parsed;
    for (const instr of p.instructions) {
      const { start, end } = instr.range;
      if (end.line === start.line) continue;
      // (most continued instructions hold no blank line: test the characters before building anything)
      if (!hasBlankLine(p, start.line + 1, end.line)) continue;
      const skip = new Set<number>();
      for (const h of heredocsOf(instr) as HeredocNode[]) {
        const c = h.getContentRange();
        const last = h.getDelimiterRange()?.start.line ?? end.line;
        const first = c ? c.start.line : last;
        for (let l = first; l <= last; l++) skip.add(l);
      }
      const blank: number[] = [];
      for (let line = start.line + 1; line < end.line; line++) if (!skip.has(line) && BLANK.test(p.index.lineText(line))) blank.push(line);
      if (blank.length === 0) continue;
      // one finding per instruction, on its last line, where BuildKit reports it; the fix removes every empty line
      const which = blank.length === 1 ? `Line ${blank[0] + 1} is` : `Lines ${blank.map((l) => l + 1).join(', ')} are`;
      const edits = blank.map((line) => ({ range: { start: p.index.positionAt(p.index.starts[line]), end: p.index.positionAt(p.index.starts[line + 1]) }, newText: '' }));
      ctx.report({
        range: { start: { line: end.line, character: 0 }, end: { line: end.line, character: p.index.lineText(end.line).length } },
        message: `${which} empty inside this continued instruction; remove ${blank.length === 1 ? 'it' : 'them'} (empty continuation lines will become an error in a future Docker release).`,
        fixes: [fix(blank.length === 1 ? 'Remove the empty line' : 'Remove the empty lines', 'safe', ...edits)],
      });
    }
  },
};

export default rule;
