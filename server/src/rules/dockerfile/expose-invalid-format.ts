// expose-invalid-format: EXPOSE documents container ports only; an IP address or a host:container mapping has
// no effect there and is slated to become an error.

import type { DockerfileRule } from '../context';
import { replaceVariables } from '../../core/strings';

const rule: DockerfileRule = {
  meta: {
    id: 'expose-invalid-format',
    containerTools: ['INVALID_PORT'],
    language: 'dockerfile',
    category: 'correctness',
    title: 'Expose container ports without IPs or host mappings',
    severity: 'warning',
    fix: 'none',
    buildkit: ['ExposeInvalidFormat'],
    docs: {
      rationale:
        '`EXPOSE` only records which ports the container listens on. Host ports and bind addresses are chosen when ' +
        'the container runs (`-p`, compose `ports:`); writing `8080:80` or `127.0.0.1:80:80` in a Dockerfile does ' +
        'not publish anything and BuildKit has announced it will reject it.',
      invalid: 'FROM nginx:1.27\nEXPOSE 8080:80\n',
      valid: 'FROM nginx:1.27\nEXPOSE 80\n',
      notes: 'Ports written with variables are only checked for the parts that are literal.',
    },
  },
  check(ctx) {
    const p = ctx.parsed;
    for (const outer of p.instructions) {
      const instr = outer.onbuild ?? outer;
      if (instr.keyword !== 'EXPOSE') continue;
      for (const a of instr.args) {
        // `${PORT:-80}` holds a colon that is expansion syntax, not a mapping
        const literal = replaceVariables(a.value, 'X');
        if (!literal.includes(':')) continue;
        ctx.report({
          range: a.range,
          message: `EXPOSE should not define an IP address or host-port mapping, found '${a.value}'; expose only the container port and publish it at run time.`,
        });
      }
    }
  },
};

export default rule;
