// from-as-casing: the `AS` of `FROM image AS name` should be cased like its `FROM` keyword.

import type { DockerfileRule } from '../context';
import { fix } from '../../model/dockerfile/wordsAndEdits';

const rule: DockerfileRule = {
  meta: {
    id: 'from-as-casing',
    language: 'dockerfile',
    category: 'style',
    title: "Match the case of 'AS' to its 'FROM'",
    severity: 'warning',
    fix: 'safe',
    buildkit: ['FromAsCasing'],
    docs: {
      rationale:
        'Keywords are case-insensitive, but `FROM alpine as build` mixes styles on one line. Writing `AS` in the ' +
        'same case as `FROM` keeps the instruction consistent and easy to scan.',
      invalid: 'FROM alpine:3.20 as build\nRUN echo hi\n',
      valid: 'FROM alpine:3.20 AS build\nRUN echo hi\n',
      notes:
        'Like BuildKit, a `FROM` keyword in mixed case (`From`) is left to `consistent-instruction-casing`. The fix ' +
        'rewrites `as` in the case of `FROM`; keyword case never changes the build.',
    },
  },
  check(ctx) {
    const p = ctx.parsed;
    for (const stage of p.stages) {
      const instr = stage.from;
      if (instr.args.length < 3 || instr.args[1].value.toLowerCase() !== 'as') continue;
      const kw = p.text.slice(instr.startOffset, p.index.offsetAt(instr.keywordRange.end));
      const upper = kw === kw.toUpperCase();
      const lower = kw === kw.toLowerCase();
      if (!upper && !lower) continue;
      const as = instr.args[1];
      const want = upper ? 'AS' : 'as';
      if (as.value === want) continue;
      ctx.report({
        range: as.range,
        message: `'${as.value}' does not match the case of '${kw}'; write '${want}'.`,
        fixes: [fix(`Write '${want}'`, 'safe', { range: as.range, newText: want })],
      });
    }
  },
};

export default rule;
