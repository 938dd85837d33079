// onbuild-invalid-trigger: ONBUILD cannot wrap ONBUILD, FROM or MAINTAINER.

import type { DockerfileRule } from '../context';

const FORBIDDEN = new Set(['ONBUILD', 'FROM', 'MAINTAINER']);

const rule: DockerfileRule = {
  meta: {
    id: 'onbuild-invalid-trigger',
    containerTools: ['ONBUILD_TRIGGER_DISALLOWED', 'ONBUILD_CHAINING_DISALLOWED'],
    language: 'dockerfile',
    category: 'correctness',
    title: 'Do not use ONBUILD, FROM or MAINTAINER as an ONBUILD trigger',
    severity: 'error',
    errorReason: 'Docker rejects ONBUILD FROM, ONBUILD MAINTAINER and ONBUILD ONBUILD when it parses the file.',
    fix: 'none',
    hadolint: ['DL3043'],
    docs: {
      rationale:
        'Docker refuses `ONBUILD ONBUILD`, `ONBUILD FROM` and `ONBUILD MAINTAINER`: a trigger runs inside a child ' +
        'build that already has its base image, and chaining triggers is not supported.',
      invalid: 'FROM node:22-slim\nONBUILD FROM node:22\n',
      valid: 'FROM node:22-slim\nONBUILD COPY . /app\n',
    },
  },
  check(ctx) {
    for (const instr of ctx.parsed.instructions) {
      if (instr.keyword !== 'ONBUILD' || !instr.onbuild || !FORBIDDEN.has(instr.onbuild.keyword)) continue;
      ctx.report({ range: instr.onbuild.keywordRange, message: `\`ONBUILD ${instr.onbuild.keyword}\` is not allowed; move the instruction out of the trigger.` });
    }
  },
};

export default rule;
