// consistent-instruction-casing: every instruction keyword should follow the file's majority case (all upper
// or all lower); mixed-case keywords like `Run` are always reported.

import type { DockerfileRule } from '../context';
import { fix } from '../../model/dockerfile/wordsAndEdits';

const rule: DockerfileRule = {
  meta: {
    id: 'consistent-instruction-casing',
    containerTools: ['CASING_INSTRUCTION'],
    language: 'dockerfile',
    category: 'style',
    title: 'Write instruction keywords in one consistent case',
    severity: 'warning',
    fix: 'safe',
    buildkit: ['ConsistentInstructionCasing'],
    docs: {
      rationale:
        'Instruction keywords are case-insensitive, but a file that mixes `RUN` and `run` (or writes `Copy`) is ' +
        'harder to read and to search. Upper case is the common convention.',
      invalid: 'FROM alpine:3.20\nRUN echo one\nrun echo two\n',
      valid: 'FROM alpine:3.20\nRUN echo one\nRUN echo two\n',
      notes:
        'The expected case is the majority of the file\'s keywords that are entirely upper or lower case; a tie ' +
        'means upper case, as in BuildKit. The fix rewrites the keyword in the expected case. The instruction an ' +
        '`ONBUILD` wraps is counted and checked as well.',
    },
  },
  check(ctx) {
    const p = ctx.parsed;
    const words: { text: string; start: number; end: number }[] = [];
    for (const instr of p.instructions) {
      for (const i of instr.onbuild ? [instr, instr.onbuild] : [instr]) {
        const start = p.index.offsetAt(i.keywordRange.start);
        const end = p.index.offsetAt(i.keywordRange.end);
        words.push({ text: p.text.slice(start, end), start, end });
      }
    }
    let lower = 0;
    let upper = 0;
    for (const w of words) {
      if (w.text === w.text.toUpperCase()) upper++;
      else if (w.text === w.text.toLowerCase()) lower++;
    }
    const wantLower = lower > upper;
    for (const w of words) {
      const want = wantLower ? w.text.toLowerCase() : w.text.toUpperCase();
      if (w.text === want) continue;
      const range = { start: p.index.positionAt(w.start), end: p.index.positionAt(w.end) };
      ctx.report({
        range,
        message: `'${w.text}' should match the ${wantLower ? 'lower' : 'upper'} case of most instructions in this file; write '${want}'.`,
        fixes: [fix(`Write '${want}'`, 'safe', { range, newText: want })],
      });
    }
  },
};

export default rule;
