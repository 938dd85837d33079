// image-tag-latest: FROM and `COPY --from=<image>` should name a version, not float on `latest`.

import type { DockerfileRule } from '../context';
import * as path from 'node:path';
import { imageUses } from '../../model/dockerfile/imageRefs';
import { devPathReason } from '../../model/dockerfile/imagePurpose';
import { ownImage } from '../../facts/projectImages';

const rule: DockerfileRule = {
  meta: {
    id: 'image-tag-latest',
    language: 'dockerfile',
    category: 'build',
    title: 'Pin images to a version tag instead of latest',
    severity: 'warning',
    fix: 'none',
    hadolint: ['DL3006', 'DL3007'],
    docs: {
      rationale:
        'An image without a tag means `:latest`, and `latest` moves whenever upstream publishes. The same Dockerfile then ' +
        'builds different images on different days, a rebuild can pull in a new major version, and a cached layer hides ' +
        'which one you actually got. Name a version tag (or pin a digest) so builds are repeatable and upgrades are deliberate.\n\n' +
        'This covers base images in `FROM` and images used directly as a copy source (`COPY --from=ghcr.io/astral-sh/uv:latest`).',
      invalid: 'FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:latest /uv /usr/local/bin/uv\n',
      valid: 'FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.5.11 /uv /usr/local/bin/uv\n',
      notes:
        'Silent for `scratch`, for earlier stages (`FROM builder`, `COPY --from=builder`, `COPY --from=0`) and for ' +
        'references pinned by digest (`@sha256:…`), even when they also say `:latest`.\n\n' +
        'Variables are expanded with ARG defaults, as a build without `--build-arg` would: `FROM ${BASE}` with ' +
        '`ARG BASE=node:latest` fires, and so does `${TAG:-latest}` when TAG has no default. A variable with no default ' +
        'and no fallback (`FROM ${IMAGE}`) is left alone, because only the build command knows its value.\n\n' +
        'hadolint splits this into DL3006 (no tag) and DL3007 (`latest`), and only for FROM; ignoring either code in ' +
        '`.hadolint.yaml` or with `# hadolint ignore=` turns this whole rule off. A named build context passed with ' +
        '`--build-context name=…` looks like an untagged image to a linter; suppress the line in that case. Option ' +
        '`hadolintCompat: true` (or the top-level `hadolintCompat: true` in `.hullcheck.yaml`) checks FROM only, as ' +
        'hadolint DL3006/DL3007 do.\n\n' +
        'Info, not a warning, for an image the project builds itself (the `image:` of a compose service with `build:`, a name its workflows, Makefiles or scripts build or push: it follows the project\'s own build) and in a development, test or example image (judged by its folders and file name, as for user-non-root), where a repeatable build matters less. Info too where every build argument of the reference is passed by the project\'s build (`--build-arg NAME=` in a workflow, Makefile or script, build-push-action\'s `build-args`, a compose service\'s `build.args`): the default then serves local builds only. hadolint mode reports all of them.',
    },
  },
  check(ctx) {
    // hadolint's DL3006/DL3007 read FROM only: hadolint mode leaves copy sources to copy-from-unknown-stage (DL3022)
    for (const use of imageUses(ctx.parsed, { copyFrom: ctx.options.hadolintCompat !== true })) {
      const ref = use.ref;
      if (!ref || use.expanded.unresolved || ref.digest) continue;
      // a reference that still holds `$` after expansion cannot be judged
      if (ref.raw.includes('$')) continue;
      const tag = ref.tag;
      if (tag !== undefined && tag !== 'latest') continue; // tags are case-sensitive: `LATEST` is a different tag
      const where = use.kind === 'from' ? 'Base image' : 'Copy source image';
      const shown = use.expanded.hadVars ? `\`${use.written}\` (resolves to \`${ref.raw}\`)` : `\`${ref.raw}\``;
      const message = tag === undefined
        ? `${where} ${shown} has no tag, so it floats on latest; pin a version tag or a digest.`
        : `${where} ${shown} uses the latest tag; pin a version tag or a digest.`;
      // the project's own image (built by its compose file or workflows) follows the project's build, and a
      // development, test or example image need not be repeatable: a note
      const compat = ctx.options.hadolintCompat === true;
      const own = compat ? undefined : ownImage(ctx.facts.projectImages, ref.raw);
      const dev = compat ? undefined : devPathReason(ctx.file);
      // a FROM built from build arguments that the project's build passes: the defaults only serve a local build
      const vars = use.expanded.hadVars ? [...use.written.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]) : [];
      const passedBy = !compat && vars.length && vars.every((v) => ctx.facts.publication?.buildArgs?.has(v)) ? ctx.facts.publication!.buildArgs!.get(vars[0]) : undefined;
      if (passedBy) {
        ctx.report({ range: use.range, severity: 'info', message: `${message.replace(/; pin a version tag or a digest\.$/, '')} by default; the build passes \`${vars[0]}\` (\`${passedBy}\`), so the default serves local builds only. Pin a version tag there too if they must be repeatable.` });
        continue;
      }
      if (own || dev) {
        const by = own && 'file' in own && own.file ? ` (\`${path.relative(path.dirname(path.resolve(ctx.file)), own.file).split(path.sep).join('/')}\`)` : '';
        const why = own ? `the project builds this image itself${by}, so it follows the project's own build` : `this looks like a development, test or example image (${dev})`;
        ctx.report({ range: use.range, severity: 'info', message: `${message.replace(/; pin a version tag or a digest\.$/, '')}; ${why}. Pin a version tag or a digest if the build must be repeatable.` });
        continue;
      }
      ctx.report({ range: use.range, message });
    }
  },
};

export default rule;
