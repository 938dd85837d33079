// copy-from-link: `COPY --link --from=…` makes the copied layer independent of the layers below it.

import { usesBuildKit } from '../../model/dockerfile/packages';
import type { DockerfileRule } from '../context';
import { fix, insertAt } from '../../model/dockerfile/wordsAndEdits';

const rule: DockerfileRule = {
  meta: {
    id: 'copy-from-link',
    language: 'dockerfile',
    category: 'caching',
    title: 'Use COPY --link for copies from other stages',
    severity: 'hint',
    fix: 'safe',
    docs: {
      rationale:
        'A plain `COPY --from` layer depends on every layer before it, so a new base image or an earlier change ' +
        'rebuilds it, and re-pushes it. With `--link` the copied files become a layer of their own that BuildKit can ' +
        'reuse from cache and rebase onto a new base image without copying again, which matters most for large ' +
        'artifacts such as toolchains, virtual environments or `node_modules`.',
      invalid: '# syntax=docker/dockerfile:1\nFROM golang:1.23 AS build\nRUN go build -o /out/app ./cmd/app\n\nFROM gcr.io/distroless/static-debian12\nCOPY --from=build /out/app /app\n',
      valid: '# syntax=docker/dockerfile:1\nFROM golang:1.23 AS build\nRUN go build -o /out/app ./cmd/app\n\nFROM gcr.io/distroless/static-debian12\nCOPY --link --from=build /out/app /app\n',
      notes:
        'An explicit `--link=false` is respected. The fix inserts `--link ` before `--from`. `--link` needs BuildKit ' +
        '(Dockerfile frontend 1.4 or later) and the classic builder rejects it, so the rule only speaks in files that ' +
        'already use BuildKit: a `# syntax=` directive, `RUN --mount`/`--network`/`--security`, heredocs, or ' +
        '`COPY --link`/`--parents`/`--exclude`.\n\n' +
        'Caveat: a linked copy cannot read the layers below it, so it does not follow a symlink that an earlier layer ' +
        'created on the destination path; the destination is always created as real directories. Review the fix when ' +
        'copying into a path that is a symlink in the base image (for example `/var/run` on some distributions).',
    },
  },
  check(ctx) {
    // --link needs BuildKit: the classic builder rejects the flag, so only suggest it where BuildKit is in use.
    if (!usesBuildKit(ctx.parsed)) return;
    for (const outer of ctx.parsed.instructions) {
      const instr = outer.keyword === 'ONBUILD' ? outer.onbuild : outer;
      if (!instr || instr.keyword !== 'COPY') continue;
      const from = instr.flag('from');
      if (!from || instr.flag('link')) continue;
      const at = ctx.parsed.index.offsetAt(from.range.start);
      ctx.report({
        range: from.range,
        message: '`COPY --from` without `--link` depends on every earlier layer; add `--link` so the copied layer can be reused on its own.',
        fixes: [fix('Add --link', 'safe', insertAt(ctx.parsed, at, '--link '))],
      });
    }
  },
};

export default rule;
