// copy-dest-trailing-slash: with several sources, the COPY/ADD destination must be a folder ending in `/`.

import type { DockerfileRule } from '../../engine/types';
import { fix, insertAt } from '../util';
import { rawArgs } from '../parity';
import { heredocsOf } from '../../parse/dockerfile';

const rule: DockerfileRule = {
  meta: {
    id: 'copy-dest-trailing-slash',
    language: 'dockerfile',
    category: 'correctness',
    title: 'End the destination with / when copying several sources',
    severity: 'error',
    fix: 'safe',
    hadolint: ['DL3021'],
    docs: {
      rationale:
        'When `COPY` or `ADD` is given more than one source, the destination must be a directory, written with a ' +
        'trailing slash. Without it the build fails.',
      invalid: 'FROM node:22-slim\nCOPY package.json package-lock.json /app\n',
      valid: 'FROM node:22-slim\nCOPY package.json package-lock.json /app/\n',
      notes: 'The fix appends `/` to the destination.',
    },
  },
  check(ctx) {
    for (const outer of ctx.parsed.instructions) {
      const instr = outer.onbuild ?? outer;
      if (instr.keyword !== 'COPY' && instr.keyword !== 'ADD') continue;
      if (instr.jsonArgs) {
        if (instr.jsonArgs.length > 2 && !instr.jsonArgs[instr.jsonArgs.length - 1].endsWith('/')) {
          ctx.report({ range: instr.args[instr.args.length - 1]?.range ?? instr.keywordRange, message: `${instr.keyword} with several sources needs a destination folder ending in \`/\`; add the slash.` });
        }
        continue;
      }
      // heredoc bodies are file contents, not sources: their words would pass for sources and their end marker for
      // the destination
      if (heredocsOf(instr).length) continue;
      const words = rawArgs(instr, ctx.parsed.escapeChar);
      const value = words[words.length - 1] ?? '';
      if (words.length <= 2 || value.endsWith('/') || value.startsWith('$')) continue;
      const dest = instr.args[instr.args.length - 1];
      // a quoted destination gets the slash inside its closing quote
      const quoted = /["']$/.test(dest.value);
      const end = ctx.parsed.index.offsetAt(dest.range.end) - (quoted ? 1 : 0);
      ctx.report({
        range: dest.range,
        message: `${instr.keyword} with several sources needs a destination folder ending in \`/\`; add the slash.`,
        fixes: [fix('Add a trailing slash to the destination', 'safe', insertAt(ctx.parsed, end, '/'))],
      });
    }
  },
};

export default rule;
