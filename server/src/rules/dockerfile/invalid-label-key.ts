// invalid-label-key: label keys should follow Docker's key format and stay out of Docker's reserved namespaces.

import type { DockerfileRule } from '../context';
import type { Range } from '../../core/findings';

interface Prop { getName(): string; getNameRange(): Range }
const RESERVED = /^(com\.docker\.|io\.docker\.|org\.dockerproject\.)/;
const VALID = /^[a-z]([a-z0-9]|[.-](?![.-]))*[a-z0-9]$|^[a-z]$/i;
/** hadolint's DL3048 key format (hadolint mode): lower case only, `_` and `/` allowed, no `..` or `--`. */
const HADOLINT_VALID = /^[a-z]([a-z0-9._/-]*[a-z0-9])?$/;
const hadolintValid = (key: string) => HADOLINT_VALID.test(key) && !key.includes('..') && !key.includes('--');

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
      notes:
        'Option `hadolintCompat: true` (or the top-level `hadolintCompat: true` in `.hullcheck.yaml`) checks keys ' +
        'as hadolint DL3048 does: lower case only (`LABEL Maintainer=…` is reported), with `_` and `/` allowed, ' +
        'and ONBUILD LABEL left alone.',
    },
  },
  check(ctx) {
    const compat = ctx.options.hadolintCompat === true;
    for (const outer of ctx.parsed.instructions) {
      // hadolint does not look into ONBUILD LABEL
      const instr = compat ? outer : outer.onbuild ?? outer;
      if (instr.keyword !== 'LABEL') continue;
      const node = instr.node as unknown as { getProperties?: () => Prop[] };
      for (const p of node.getProperties?.() ?? []) {
        const key = p.getName();
        const reserved = RESERVED.test(key);
        if (!reserved && (compat ? hadolintValid(key) : VALID.test(key))) continue;
        ctx.report({
          range: p.getNameRange(),
          message: reserved
            ? `Label key \`${key}\` is in a namespace reserved for Docker; use your own reverse-DNS prefix.`
            : compat
              ? `Label key \`${key}\` is not a valid key; use lower-case letters, digits, dots, dashes, underscores and slashes, starting with a letter and ending with a letter or digit.`
              : `Label key \`${key}\` is not a valid key; use letters, digits, dots and dashes, starting with a letter and ending with a letter or digit.`,
        });
      }
    }
  },
};

export default rule;
