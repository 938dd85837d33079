// label-schema-empty: a label the schema defines must not be set to an empty value.

import type { DockerfileRule } from '../context';
import { labelPairs } from '../labelSchema';

const rule: DockerfileRule = {
  meta: {
    id: 'label-schema-empty',
    language: 'dockerfile',
    category: 'metadata',
    title: 'Do not leave schema labels empty',
    severity: 'warning',
    fix: 'none',
    hadolint: ['DL3051'],
    docs: {
      rationale:
        'An empty value satisfies the presence of a required label without carrying any information, which defeats ' +
        'the purpose of the label schema.',
      invalid: 'FROM alpine:3.20\nLABEL team=""\n',
      valid: 'FROM alpine:3.20\nLABEL team="payments"\n',
      notes: 'Silent unless `.hadolint.yaml` has a `label-schema`; only labels named in it are checked.',
      files: { '.hadolint.yaml': 'label-schema:\n  team: text\n' },
    },
  },
  check(ctx) {
    const schema = ctx.hadolint?.labelSchema ?? {};
    for (const outer of ctx.parsed.instructions) {
      const instr = outer.onbuild ?? outer;
      if (instr.keyword !== 'LABEL') continue;
      for (const p of labelPairs(instr)) {
        if (!Object.prototype.hasOwnProperty.call(schema, p.name) || p.value.trim() !== '') continue;
        ctx.report({ range: p.nameRange, message: `Label \`${p.name}\` is empty; give it a value.` });
      }
    }
  },
};

export default rule;
