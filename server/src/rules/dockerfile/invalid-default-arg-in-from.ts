// invalid-default-arg-in-from: with only the global ARG defaults (no --build-arg), a FROM line must still name a
// valid image, so a plain `docker build` works.

import type { DockerfileRule } from '../context';
import { argDecls, isValidImageRef } from '../../model/dockerfile/vars';
import { expandWord } from '../../model/dockerfile/expansion';
import { modelOf } from '../../model/dockerfile/model';

const rule: DockerfileRule = {
  meta: {
    id: 'invalid-default-arg-in-from',
    language: 'dockerfile',
    category: 'correctness',
    title: 'Give FROM-line ARGs defaults that make a valid image name',
    severity: 'warning',
    fix: 'none',
    buildkit: ['InvalidDefaultArgInFrom'],
    docs: {
      rationale:
        'When a FROM line is built from global ARGs, a build without `--build-arg` uses their defaults. An ARG ' +
        'without a default, or with an empty one, leaves an image name such as `alpine:` or an empty string, and ' +
        'the build fails before it starts.',
      invalid: 'ARG TAG\nFROM alpine:${TAG}\nRUN echo hi\n',
      valid: 'ARG TAG=3.20\nFROM alpine:${TAG}\nRUN echo hi\n',
      notes:
        'When every variable in the image name is a global ARG declared with no default at all (`ARG BASE_IMAGE`), ' +
        'the file says the build must pass it (compose `build.args`, CI `--build-arg`), and the finding is info; ' +
        'a default that expands to an invalid name stays a warning.\n\n' +
        'Platform args (`TARGETARCH`, …) are evaluated with sample values for linux/amd64. References to names that ' +
        'are not global ARGs are left to `undefined-arg-in-from` and count as empty here.',
    },
  },
  check(ctx) {
    const p = ctx.parsed;
    if (p.stages.every((s) => !s.image.includes('$'))) return;
    const values = modelOf(p).globalScope.lookup;
    // global ARGs by name: their default, or null when declared without one (the last declaration wins)
    const declared = new Map<string, string | null>();
    for (const a of p.globalArgs.flatMap(argDecls)) declared.set(a.name, a.value ?? null);
    for (const stage of p.stages) {
      if (!stage.image.includes('$') || !stage.imageRange) continue;
      const raw = p.text.slice(p.index.offsetAt(stage.imageRange.start), p.index.offsetAt(stage.imageRange.end));
      const { result } = expandWord(raw, values, { escapeChar: p.escapeChar });
      if (isValidImageRef(result)) continue;
      // every variable is a global ARG declared with no default at all (`ARG BASE_IMAGE`): a required build
      // argument that compose or CI always passes, so the plain build is not how the file is meant to run
      const names = [...raw.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]);
      const required = names.length > 0 && names.every((n) => declared.get(n) === null);
      ctx.report({
        range: stage.imageRange,
        ...(required && ctx.options.hadolintCompat !== true ? { severity: 'info' as const } : {}),
        message: result === ''
          ? `With the default ARG values, '${raw}' expands to an empty image name; give the ARG a default.`
          : `With the default ARG values, '${raw}' expands to '${result}', which is not a valid image name; give the ARG a suitable default.`,
      });
    }
  },
};

export default rule;
