// copy-from-root: `COPY --from=<stage> / /` brings a whole filesystem, build leftovers included.

import type { DockerfileRule } from '../context';
import { rawArgs } from '../../model/dockerfile/runScripts';

const rule: DockerfileRule = {
  meta: {
    id: 'copy-from-root',
    language: 'dockerfile',
    category: 'size',
    title: 'Copy specific paths rather than a whole stage root',
    severity: 'off',
    fix: 'none',
    hadolint: ['DL3067'],
    docs: {
      rationale:
        'Copying `/` of another stage into `/` takes everything with it: package manager caches, build tools, ' +
        'credentials left in the build stage. Copying the paths the image needs keeps it small and avoids leaks.',
      invalid: 'FROM node:22 AS build\nRUN npm ci && npm run build\nFROM node:22-slim\nCOPY --from=build / /\n',
      valid: 'FROM node:22 AS build\nRUN npm ci && npm run build\nFROM node:22-slim\nCOPY --from=build /app/dist /app/dist\n',
      notes:
        'Off by default: the squash pattern (`FROM scratch` then `COPY --from=<stage> / /`) is a deliberate way to ' +
        'flatten an image, and `squash-stage-drops-config` checks it. Enable this rule to forbid whole-root copies.',
    },
  },
  check(ctx) {
    for (const outer of ctx.parsed.instructions) {
      const instr = outer.onbuild ?? outer;
      if (instr.keyword !== 'COPY' || !instr.flag('from')?.value) continue;
      const words = rawArgs(instr, ctx.parsed.escapeChar);
      if (words.length !== 2 || words[0] !== '/' || words[1] !== '/') continue;
      ctx.report({ range: instr.keywordRange, message: 'COPY --from copies the entire root filesystem of the source; copy only the paths the image needs.' });
    }
  },
};

export default rule;
