// copy-from-self: a stage cannot COPY --from itself.

import type { DockerfileRule } from '../context';
import { unquote } from '../../model/dockerfile/runScripts';

const rule: DockerfileRule = {
  meta: {
    id: 'copy-from-self',
    language: 'dockerfile',
    category: 'correctness',
    title: 'Do not COPY --from the current stage',
    severity: 'error',
    errorReason: 'A stage cannot copy from itself: the reference is a cycle and the build fails.',
    fix: 'none',
    hadolint: ['DL3023'],
    docs: {
      rationale:
        'A stage\'s filesystem is not available to itself through `--from`: the reference creates a cycle and the ' +
        'build fails. Copy from the earlier stage that produced the files, or use `RUN cp` inside the stage.',
      invalid: 'FROM node:22-slim AS app\nCOPY --from=app /src /dst\n',
      valid: 'FROM node:22-slim AS build\nRUN npm run build\nFROM node:22-slim AS app\nCOPY --from=build /src/dist /app/dist\n',
    },
  },
  check(ctx) {
    for (const outer of ctx.parsed.instructions) {
      const instr = outer.onbuild ?? outer;
      if (instr.keyword !== 'COPY') continue;
      const flag = instr.flag('from');
      const stage = outer.stage;
      if (!flag?.value || !stage) continue;
      const ref = unquote(flag.value).toLowerCase();
      if (ref !== stage.name && ref !== String(stage.index)) continue;
      ctx.report({
        range: flag.valueRange ?? flag.range,
        message: `\`--from=${ref}\` refers to the stage this COPY is in; copy from an earlier stage instead.`,
      });
    }
  },
};

export default rule;
