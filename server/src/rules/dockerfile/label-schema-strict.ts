// label-schema-strict: with `strict-labels`, only labels named in the label schema are allowed.

import type { DockerfileRule } from '../context';
import { labelPairs } from '../labelSchema';

const rule: DockerfileRule = {
  meta: {
    id: 'label-schema-strict',
    language: 'dockerfile',
    category: 'metadata',
    title: 'Use only labels defined in the label schema',
    severity: 'info',
    fix: 'none',
    hadolint: ['DL3050'],
    docs: {
      rationale:
        'With `strict-labels: true`, the label schema is the complete list of labels an image may carry, which keeps ' +
        'label names consistent across a fleet of images. Labels outside it are usually typos or leftovers.',
      invalid: 'FROM alpine:3.20\nLABEL team="payments" owner="alice"\n',
      valid: 'FROM alpine:3.20\nLABEL team="payments"\n',
      notes: 'Silent unless `.hadolint.yaml` sets both `label-schema` and `strict-labels: true`.',
      files: { '.hadolint.yaml': 'strict-labels: true\nlabel-schema:\n  team: text\n' },
    },
  },
  check(ctx) {
    const h = ctx.hadolint;
    if (!h?.strictLabels) return;
    const schema = h.labelSchema;
    for (const outer of ctx.parsed.instructions) {
      const instr = outer.onbuild ?? outer;
      if (instr.keyword !== 'LABEL') continue;
      for (const p of labelPairs(instr)) {
        if (Object.prototype.hasOwnProperty.call(schema, p.name)) continue;
        ctx.report({ range: p.nameRange, message: `Label \`${p.name}\` is not in the label schema; remove it or add it to the schema.` });
      }
    }
  },
};

export default rule;
