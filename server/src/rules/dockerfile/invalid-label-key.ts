// invalid-label-key: label keys should follow Docker's key format and stay out of Docker's reserved namespaces.

import type { DockerfileRule, Range } from '../../engine/types';

interface Prop { getName(): string; getNameRange(): Range }
const RESERVED = /^(com\.docker\.|io\.docker\.|org\.dockerproject\.)/;
const VALID = /^[a-z]([a-z0-9]|[.-](?![.-]))*[a-z0-9]$|^[a-z]$/i;

const rule: DockerfileRule = {
  meta: {
    id: 'invalid-label-key',
    language: 'dockerfile',
    category: 'metadata',
    title: 'Use valid, non-reserved label keys',
    severity: 'hint',
    fix: 'none',
    hadolint: ['DL3048'],
    docs: {
      rationale:
        'Docker recommends label keys made of letters, digits, dots and dashes, starting with a letter, ending with a letter ' +
        'or digit, and without repeated separators, in reverse-DNS form. The `com.docker.*`, `io.docker.*` and ' +
        '`org.dockerproject.*` namespaces are reserved for Docker itself. Tools that read labels may reject or ' +
        'misread other keys.',
      invalid: 'FROM alpine:3.20\nLABEL com.docker.version="1.0"\n',
      valid: 'FROM alpine:3.20\nLABEL org.opencontainers.image.version="1.0"\n',
    },
  },
  check(ctx) {
    for (const outer of ctx.parsed.instructions) {
      const instr = outer.onbuild ?? outer;
      if (instr.keyword !== 'LABEL') continue;
      const node = instr.node as unknown as { getProperties?: () => Prop[] };
      for (const p of node.getProperties?.() ?? []) {
        const key = p.getName();
        const reserved = RESERVED.test(key);
        if (!reserved && VALID.test(key)) continue;
        ctx.report({
          range: p.getNameRange(),
          message: reserved
            ? `Label key \`${key}\` is in a namespace reserved for Docker; use your own reverse-DNS prefix.`
            : `Label key \`${key}\` is not a valid key; use letters, digits, dots and dashes, starting with a letter and ending with a letter or digit.`,
        });
      }
    }
  },
};

export default rule;
