// expose-port-range: EXPOSE ports must be valid TCP/UDP port numbers (0–65535).

import type { DockerfileRule } from '../context';
import { unquote } from '../../model/dockerfile/runScripts';

const PORT = /^(\d+)(?:-(\d+))?(?:\/\w+)?$/;

const rule: DockerfileRule = {
  meta: {
    id: 'expose-port-range',
    language: 'dockerfile',
    category: 'correctness',
    title: 'Expose only ports between 0 and 65535',
    severity: 'error',
    errorReason: 'A port outside 0-65535 is rejected when the image config is built.',
    fix: 'none',
    hadolint: ['DL3011'],
    docs: {
      rationale:
        'TCP and UDP port numbers are 16-bit, so a port above 65535 cannot be published or listened on. It is ' +
        'almost always a typo.',
      invalid: 'FROM nginx:1.27-alpine\nEXPOSE 80800\n',
      valid: 'FROM nginx:1.27-alpine\nEXPOSE 8080\n',
      notes: 'Ranges (`8000-8100/tcp`) are checked on both ends; ports given by variables are not checked.',
    },
  },
  check(ctx) {
    for (const outer of ctx.parsed.instructions) {
      const instr = outer.onbuild ?? outer;
      if (instr.keyword !== 'EXPOSE') continue;
      for (const arg of instr.args) {
        const m = PORT.exec(unquote(arg.value));
        if (!m) continue;
        const bad = [m[1], m[2]].find((p) => p !== undefined && Number(p) > 65535);
        if (bad === undefined) continue;
        ctx.report({ range: arg.range, message: `Port ${bad} is outside the valid range 0–65535; fix the port number.` });
      }
    }
  },
};

export default rule;
