// env-self-reference: a variable set in an ENV line is not yet visible to later pairs of the same line.

import type { DockerfileRule } from '../context';
import { scanRefs } from '../../model/dockerfile/expansion';
import { keyedProps } from '../../model/dockerfile/vars';
import type { Range } from '../../core/findings';

interface Prop { getName(): string; getValue(): string | null; getNameRange(): Range; getValueRange(): Range | null }

const rule: DockerfileRule = {
  meta: {
    id: 'env-self-reference',
    language: 'dockerfile',
    category: 'correctness',
    title: 'Do not use a variable in the ENV line that sets it',
    severity: 'warning',
    fix: 'none',
    hadolint: ['DL3044'],
    docs: {
      rationale:
        'All `key=value` pairs of one `ENV` instruction are expanded with the values from *before* the instruction. ' +
        'Referring to a variable set earlier on the same line therefore reads its old value (often empty), not the ' +
        'one just assigned. Split the instruction in two.',
      invalid: 'FROM alpine:3.20\nENV APP_HOME=/app APP_BIN=${APP_HOME}/bin\n',
      valid: 'FROM alpine:3.20\nENV APP_HOME=/app\nENV APP_BIN=${APP_HOME}/bin\n',
      notes: 'Extending a variable that existed before the line (`ENV PATH=/opt/bin:$PATH`) is fine.',
    },
  },
  check(ctx) {
    for (const outer of ctx.parsed.instructions) {
      const instr = outer.onbuild ?? outer;
      if (instr.keyword !== 'ENV') continue;
      // a reference needs a `$` in the instruction's text; skip building the properties of the others
      const dollar = ctx.parsed.text.indexOf('$', instr.startOffset);
      if (dollar < 0 || dollar >= instr.endOffset) continue;
      const node = instr.node as unknown as { getProperties?: () => Prop[] };
      const props = node.getProperties?.() ?? [];
      if (props.length < 2) continue;
      const defined = new Set<string>();
      // the values as written: a reference in single quotes is not expanded
      const raw = keyedProps(ctx.parsed, instr);
      props.forEach((p, k) => {
        const value = raw[k]?.raw ?? p.getValue() ?? '';
        if (value.includes('$')) {
          for (const ref of scanRefs(value, ctx.parsed.escapeChar)) {
            const name = ref.name;
            if (!defined.has(name)) continue;
            ctx.report({
              range: p.getValueRange() ?? p.getNameRange(),
              message: `\`${p.getName()}\` uses \`${name}\`, which this same ENV line sets and is not visible yet; set it in an earlier ENV.`,
            });
            break;
          }
        }
        defined.add(p.getName());
      });
    }
  },
};

export default rule;
