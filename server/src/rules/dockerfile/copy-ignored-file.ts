// copy-ignored-file: a COPY/ADD source that the effective .dockerignore keeps out of the build context.

import * as path from 'node:path';
import type { DockerfileRule } from '../context';
import { cleanPath, IgnoreMatcher } from '../../parse/ignoreMatch';
import { copyInstructions } from '../../model/dockerfile/copySources';

/** Patterns that exclude every entry of the context root. */
const CATCH_ALL = new Set(['*', '**', '**/*']);

const rule: DockerfileRule = {
  meta: {
    id: 'copy-ignored-file',
    language: 'dockerfile',
    category: 'context',
    title: 'Do not copy files that .dockerignore excludes',
    severity: 'warning',
    fix: 'none',
    buildkit: ['CopyIgnoredFile'],
    docs: {
      rationale:
        'Paths matched by `.dockerignore` (or by `<Dockerfile>.dockerignore`, which takes precedence) are never sent ' +
        'to the builder, so a COPY or ADD of such a path fails with "not found" even though the file is right there ' +
        'in the project. Either the pattern or the COPY is wrong.\n\n' +
        'The examples below assume this `.dockerignore` next to the Dockerfile:\n\n```text\n.git\ndocs/\n```',
      invalid: 'FROM nginx:1.27-alpine\nCOPY docs/ /usr/share/nginx/html/\n',
      valid: 'FROM nginx:1.27-alpine\nCOPY site/ /usr/share/nginx/html/\n',
      files: { '.dockerignore': '.git\ndocs/\n' },
      notes:
        'Matching follows Docker\'s rules exactly: `**` spans folders, a pattern that matches a folder excludes ' +
        'everything in it, `!` exceptions re-include, and the last matching line wins. Sources are taken relative to ' +
        'the build context (`./app` and `/app` both mean `app`).\n\n' +
        'Unlike BuildKit, which skips the check whenever the ignore file has any `!` exception, this rule still checks, ' +
        'but stays silent when an exception could re-include something inside the copied path (`tools/` with ' +
        '`!tools/cli/package.json` does not make `COPY tools/cli ./` fire). A wildcard source fires when its fixed ' +
        'leading folder is excluded (`COPY build/*.jar` with `build` ignored). Sources with variables, `COPY --from`, ' +
        'URLs, git sources, heredocs and ONBUILD instructions (which run in another build context) are not checked. ' +
        'Silent when no ignore file exists or when the build context cannot be known (standard input, unsaved files, ' +
        'a Dockerfile whose context neither compose, `contexts:` nor its COPY sources tell).',
    },
  },
  check(ctx) {
    const ignore = ctx.facts.dockerignore;
    if (!ignore) return;
    const matcher = IgnoreMatcher.fromText(ignore.text);
    if (matcher.patterns.length === 0) return;
    const fileName = path.basename(ignore.path);
    const lines = ignore.text.replace(/^\uFEFF/, '').split(/\r?\n|\r/);
    for (const { instr, onbuild, sources } of copyInstructions(ctx.parsed)) {
      if (onbuild) continue;
      for (const src of sources) {
        if (src.kind !== 'context' || src.variable) continue;
        let target = cleanPath(src.value.replace(/^\/+/, ''));
        if (src.glob) {
          // judge a wildcard by the folder it reads from
          const segs = target.split('/');
          const firstGlob = segs.findIndex((s) => /[*?[]/.test(s));
          if (firstGlob <= 0) continue;
          target = segs.slice(0, firstGlob).join('/');
        }
        if (target === '.' || target === '..' || target.startsWith('../')) {
          if (target !== '.' || matcher.hasExclusions) continue;
          const all = matcher.patterns.find((p) => CATCH_ALL.has(p.pattern));
          if (!all) continue;
          ctx.report({
            range: src.range,
            message: `${instr.keyword} of the whole build context, but ${fileName} excludes everything with \`${all.pattern}\`; nothing would be copied.`,
          });
          continue;
        }
        if (!matcher.excludes(target) || matcher.mayReincludeBelow(target)) continue;
        const by = matcher.decidingPattern(target);
        // quote the line as written in the ignore file (patterns are cleaned for matching)
        const line = by?.source !== undefined ? lines[by.source]?.trim() : undefined;
        const where = line && by?.source !== undefined ? ` (line ${by.source + 1}: \`${line}\`)` : '';
        ctx.report({
          range: src.range,
          message: `${instr.keyword} source \`${src.value}\` is excluded by ${fileName}${where}, so the builder never receives it; change the pattern or the ${instr.keyword}.`,
        });
      }
    }
  },
};

export default rule;
