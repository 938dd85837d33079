// yarn-cache-clean: yarn's download cache left in a layer of the final image only adds size.

import type { DockerfileRule } from '../context';
import { afterSubcommand, appendToRun, hasCacheMount, laterIndex, progOf } from '../../model/dockerfile/runScripts';
import { wordRange } from '../../model/dockerfile/wordsAndEdits';
import { valueOptionSet } from '../../model/dockerfile/programOptions';
import { modelOf } from '../../model/dockerfile/model';

const VALUE_FLAGS = valueOptionSet('yarn');
const CACHE_DIRS = ['/root/.cache/yarn', '/usr/local/share/.cache/yarn', '/root/.yarn', '/home/node/.cache/yarn'];

const rule: DockerfileRule = {
  meta: {
    id: 'yarn-cache-clean',
    language: 'dockerfile',
    category: 'size',
    title: 'Clean the yarn cache after yarn install',
    severity: 'info',
    fix: 'safe',
    hadolint: ['DL3060'],
    docs: {
      rationale:
        '`yarn install` keeps a copy of every downloaded package in its global cache. In a layer of the final image ' +
        'that copy is pure weight; `yarn cache clean` in the same RUN (or a cache mount) keeps it out.',
      invalid: 'FROM node:22-slim\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile\n',
      valid: 'FROM node:22-slim\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile && yarn cache clean\n',
      notes:
        'Only stages that end up in the final image (the last stage, the stages it builds on, and stages squashed into it with `COPY --from=<stage> / /`) are checked, plus ' +
        'ONBUILD triggers. A cache or tmpfs mount on the yarn cache folder satisfies the rule. The fix appends ' +
        '`&& yarn cache clean`.',
    },
  },
  check(ctx) {
    const shipped = new Set(modelOf(ctx.parsed).finalImage()?.fsStages);
    for (const { instr, stage, onbuild } of modelOf(ctx.parsed).posixRuns) {
      if (!onbuild && stage && !shipped.has(stage)) continue;
      if (hasCacheMount(instr, CACHE_DIRS)) continue;
      const all = instr.commands();
      for (let i = 0; i < all.length; i++) {
        if (progOf(all[i]) !== 'yarn') continue;
        const found = afterSubcommand(all[i], [['install']], VALUE_FLAGS);
        if (!found) continue;
        const cleans = laterIndex(all, i, (c) => progOf(c) === 'yarn' && c.words.some((w) => w.value === 'cache') && c.words.some((w) => w.value === 'clean'));
        if (cleans >= 0) continue;
        const fix = appendToRun(ctx.parsed, instr, 'yarn cache clean', 'Clean the yarn cache in the same RUN');
        ctx.report({ range: wordRange(ctx.parsed, found.sub), message: '`yarn install` leaves its package cache in the layer; add `yarn cache clean` to the same RUN.', fixes: fix ? [fix] : [] });
        break;
      }
    }
  },
};

export default rule;
