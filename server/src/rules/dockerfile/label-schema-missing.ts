// label-schema-missing: every stage that becomes an image must carry the labels the label schema lists.

import type { DockerfileRule } from '../context';
import type { Stage } from '../../parse/dockerfile';
import { labelPairs } from '../labelSchema';
import { unquote } from '../../model/dockerfile/runScripts';

const rule: DockerfileRule = {
  meta: {
    id: 'label-schema-missing',
    language: 'dockerfile',
    category: 'metadata',
    title: 'Set every label the label schema requires',
    severity: 'info',
    fix: 'none',
    hadolint: ['DL3049'],
    docs: {
      rationale:
        'A label schema (`label-schema` in `.hadolint.yaml`) lists the labels every image must carry, such as an ' +
        'owner or a source URL. Images without them cannot be traced or filtered by the tools that rely on them.',
      invalid: 'FROM alpine:3.20\nLABEL team="payments"\n',
      valid: 'FROM alpine:3.20\nLABEL team="payments" source="https://git.example.com/payments/api"\n',
      notes:
        'Silent unless `.hadolint.yaml` has a `label-schema`. A stage inherits the labels of the stage it is built ' +
        '`FROM`. A stage that some labelled stage builds on or copies from counts as an intermediate and is not ' +
        'reported. The seed rule `oci-labels` checks the OCI labels of the final image separately.',
      files: { '.hadolint.yaml': 'label-schema:\n  team: text\n  source: url\n' },
    },
  },
  check(ctx) {
    const schema = Object.keys(ctx.hadolint?.labelSchema ?? {});
    if (schema.length === 0) return;
    const { parsed } = ctx;
    const own = new Map<Stage, Set<string>>();
    const refs = new Map<Stage, Set<Stage>>();
    for (const stage of parsed.stages) {
      const names = new Set<string>();
      const used = new Set<Stage>();
      if (stage.parent) used.add(stage.parent);
      for (const instr of stage.instructions) {
        if (instr.keyword === 'LABEL') for (const p of labelPairs(instr)) names.add(p.name);
        if (instr.keyword === 'COPY') {
          const from = instr.flag('from')?.value;
          if (!from) continue;
          const ref = unquote(from).toLowerCase();
          const src = parsed.stages.find((s) => s.index < stage.index && (s.name === ref || String(s.index) === ref));
          if (src) used.add(src);
        }
      }
      own.set(stage, names);
      refs.set(stage, used);
    }
    const has = (stage: Stage, label: string): boolean => {
      for (let s: Stage | undefined = stage, n = 0; s && n <= parsed.stages.length; s = s.parent, n++) if (own.get(s)?.has(label)) return true;
      return false;
    };
    for (const stage of parsed.stages) {
      const missing = schema.filter((l) => !has(stage, l));
      if (missing.length === 0) continue;
      // an intermediate stage is fine when a stage that carries the labels builds on it or copies from it
      const intermediate = parsed.stages.some((o) => o !== stage && refs.get(o)?.has(stage) && schema.every((l) => has(o, l)));
      if (intermediate) continue;
      ctx.report({
        range: stage.from.keywordRange,
        message: `This image lacks the label${missing.length > 1 ? 's' : ''} ${missing.map((l) => `\`${l}\``).join(', ')} required by the label schema; add ${missing.length > 1 ? 'them' : 'it'} with LABEL.`,
      });
    }
  },
};

export default rule;
