// multiple-instructions-disallowed: only the last CMD, ENTRYPOINT or HEALTHCHECK of a stage takes effect, so an
// earlier one is dead code.

import type { DockerfileRule } from '../context';
import type { Instr } from '../../parse/dockerfile';

const ONCE = new Set(['CMD', 'ENTRYPOINT', 'HEALTHCHECK']);

const rule: DockerfileRule = {
  meta: {
    id: 'multiple-instructions-disallowed',
    containerTools: ['MULTIPLE_INSTRUCTIONS'],
    language: 'dockerfile',
    category: 'correctness',
    title: 'Use CMD, ENTRYPOINT and HEALTHCHECK once per stage',
    severity: 'warning',
    fix: 'none',
    hadolint: ['DL3012', 'DL4003', 'DL4004'],
    buildkit: ['MultipleInstructionsDisallowed'],
    docs: {
      rationale:
        'An image has one command, one entrypoint and one health check. When a stage sets one of them twice, the ' +
        'earlier instruction is silently replaced, which usually means a mistake or a leftover.',
      invalid: 'FROM alpine:3.20\nCMD ["echo", "one"]\nCMD ["echo", "two"]\n',
      valid: 'FROM alpine:3.20\nHEALTHCHECK CMD ["true"]\nCMD ["echo", "one"]\n',
      notes:
        'The finding is on the overridden (earlier) instruction, as in BuildKit; `hadolintCompat: true` (or the ' +
        'top-level `hadolintCompat: true` in `.hullcheck.yaml`) puts it on each later one instead, as hadolint\'s ' +
        'DL3012, DL4003 and DL4004 do. Each stage is judged on its own; ' +
        'a stage that overrides what a parent stage set is fine. The `CMD` inside a `HEALTHCHECK` and instructions ' +
        'wrapped in `ONBUILD` do not count.',
    },
  },
  check(ctx) {
    const compat = ctx.options.hadolintCompat === true;
    for (const stage of ctx.parsed.stages) {
      const last = new Map<string, Instr>();
      for (const instr of stage.instructions) {
        if (!ONCE.has(instr.keyword)) continue;
        const prev = last.get(instr.keyword);
        if (prev && compat) {
          ctx.report({
            range: instr.keywordRange,
            message: `This ${instr.keyword} overrides the one on line ${prev.range.start.line + 1}; a stage should have only one ${instr.keyword}.`,
          });
        } else if (prev) {
          ctx.report({
            range: prev.keywordRange,
            message: `This ${instr.keyword} is overridden by the one on line ${instr.range.start.line + 1}; a stage should have only one ${instr.keyword}.`,
          });
        }
        last.set(instr.keyword, instr);
      }
    }
  },
};

export default rule;
