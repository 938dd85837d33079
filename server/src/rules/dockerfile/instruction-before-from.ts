// instruction-before-from: only ARG (and comments or parser directives) may come before the first FROM.

import type { DockerfileRule } from '../context';

const rule: DockerfileRule = {
  meta: {
    id: 'instruction-before-from',
    language: 'dockerfile',
    category: 'correctness',
    title: 'Start the Dockerfile with FROM (or ARG)',
    severity: 'error',
    errorReason: 'Only ARG may come before the first FROM; anything else fails the build.',
    fix: 'none',
    hadolint: ['DL3061'],
    docs: {
      rationale:
        'A build stage begins at `FROM`; before it only `ARG` is allowed (to parameterise the base image). Any other ' +
        'instruction there has no stage to belong to and the build fails.',
      invalid: 'LABEL org.opencontainers.image.version="1.0"\nFROM alpine:3.20\n',
      valid: 'ARG ALPINE_VERSION=3.20\nFROM alpine:${ALPINE_VERSION}\nLABEL org.opencontainers.image.version="1.0"\n',
    },
  },
  check(ctx) {
    for (const instr of ctx.parsed.instructions) {
      if (instr.keyword === 'FROM') break;
      if (instr.keyword === 'ARG') continue;
      ctx.report({ range: instr.keywordRange, message: `${instr.keyword} comes before the first FROM; only ARG may precede FROM, so move it into a stage.` });
      break;
    }
  },
};

export default rule;
