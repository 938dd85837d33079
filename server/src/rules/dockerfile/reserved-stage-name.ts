// reserved-stage-name: `scratch` and `context` have built-in meanings and cannot work as stage names.

import type { DockerfileRule } from '../context';

const RESERVED = new Set(['scratch', 'context']);

const rule: DockerfileRule = {
  meta: {
    id: 'reserved-stage-name',
    language: 'dockerfile',
    category: 'correctness',
    title: 'Do not name a stage scratch or context',
    severity: 'warning',
    fix: 'none',
    hadolint: ['DL3063'],
    buildkit: ['ReservedStageName'],
    docs: {
      rationale:
        '`scratch` is the empty base image and `context` is the name of the build context, so `FROM scratch` or ' +
        '`--from=context` would not reach a stage that uses one of those names. Pick another name.',
      invalid: 'FROM alpine:3.20 AS scratch\nRUN echo hi\n',
      valid: 'FROM alpine:3.20 AS base\nRUN echo hi\n',
      notes: 'Names are compared case-insensitively.',
    },
  },
  check(ctx) {
    for (const stage of ctx.parsed.stages) {
      if (!stage.name || !stage.nameRange || !RESERVED.has(stage.name)) continue;
      ctx.report({
        range: stage.nameRange,
        message: `'${stage.name}' is a reserved name and should not be used as a stage name; choose another.`,
      });
    }
  },
};

export default rule;
