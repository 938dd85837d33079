// copy-dest-trailing-slash: with several sources, the COPY/ADD destination must be a folder ending in `/`.

import type { DockerfileRule } from '../context';
import { fix, insertAt } from '../../model/dockerfile/wordsAndEdits';
import { rawArgs } from '../../model/dockerfile/runScripts';
import { usesBuildKit } from '../../model/dockerfile/packages';
import { heredocsOf } from '../../parse/dockerfile';

const rule: DockerfileRule = {
  meta: {
    id: 'copy-dest-trailing-slash',
    language: 'dockerfile',
    category: 'correctness',
    title: 'End the destination with / when copying several sources',
    severity: 'warning',
    fix: 'safe',
    hadolint: ['DL3021'],
    docs: {
      rationale:
        'When `COPY` or `ADD` is given more than one source, the destination must be a directory, written with a ' +
        'trailing slash. Without it the legacy builder fails the build; BuildKit, the default builder since Docker 23, ' +
        'accepts it.',
      invalid: 'FROM node:22-slim\nCOPY package.json package-lock.json /app\n',
      valid: 'FROM node:22-slim\nCOPY package.json package-lock.json /app/\n',
      notes: 'The rule stays silent when the file already needs BuildKit (a `# syntax=` line, `RUN --mount`, heredocs, ' +
        '`COPY --link`, …). Under `hadolintCompat: true` it reports as hadolint\'s DL3021 does. The fix appends `/` to the destination.',
    },
  },
  check(ctx) {
    // BuildKit (the default builder since Docker 23) copies several sources into a destination without the slash:
    // only the legacy builder fails, so a file that already needs BuildKit is fine
    const compat = ctx.options.hadolintCompat === true;
    if (!compat && usesBuildKit(ctx.parsed)) return;
    const message = (kw: string) => compat
      ? `${kw} with several sources needs a destination folder ending in \`/\`; add the slash.`
      : `${kw} with several sources needs a destination ending in \`/\` under the legacy builder, which fails the build without it (BuildKit accepts it); add the slash.`;
    for (const outer of ctx.parsed.instructions) {
      const instr = outer.onbuild ?? outer;
      if (instr.keyword !== 'COPY' && instr.keyword !== 'ADD') continue;
      if (instr.jsonArgs) {
        if (instr.jsonArgs.length > 2 && !instr.jsonArgs[instr.jsonArgs.length - 1].endsWith('/')) {
          ctx.report({ range: instr.args[instr.args.length - 1]?.range ?? instr.keywordRange, message: message(instr.keyword) });
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
        message: message(instr.keyword),
        fixes: [fix('Add a trailing slash to the destination', 'safe', insertAt(ctx.parsed, end, '/'))],
      });
    }
  },
};

export default rule;
