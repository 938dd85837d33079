// duplicate-stage-name: two stages with the same name (compared case-insensitively) make references ambiguous.

import type { DockerfileRule } from '../context';

const rule: DockerfileRule = {
  meta: {
    id: 'duplicate-stage-name',
    containerTools: ['DUPLICATE_BUILD_STAGE_NAME'],
    language: 'dockerfile',
    category: 'correctness',
    title: 'Give every stage a unique name',
    severity: 'warning',
    fix: 'none',
    hadolint: ['DL3024'],
    buildkit: ['DuplicateStageName'],
    docs: {
      rationale:
        'A stage name is how `COPY --from`, `FROM <stage>` and `--target` find a stage. When two stages share a ' +
        'name, references silently resolve to whichever definition the builder picks, which is rarely what the ' +
        'author of the second one intended.',
      invalid: 'FROM node:22 AS build\nRUN npm ci\nFROM node:22 AS build\nRUN npm run build\n',
      valid: 'FROM node:22 AS deps\nRUN npm ci\nFROM node:22 AS build\nRUN npm run build\n',
      notes: 'Names are compared case-insensitively, as BuildKit does. The finding is on the later duplicate.',
    },
  },
  check(ctx) {
    const seen = new Map<string, number>();
    for (const stage of ctx.parsed.stages) {
      if (!stage.name || !stage.nameRange) continue;
      const first = seen.get(stage.name);
      if (first !== undefined) {
        ctx.report({
          range: stage.nameRange,
          message: `Stage name '${stage.name}' is already used on line ${first + 1}; stage names should be unique.`,
        });
      } else seen.set(stage.name, stage.from.range.start.line);
    }
  },
};

export default rule;
