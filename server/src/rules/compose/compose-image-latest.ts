// compose-image-latest: a service image without a tag, with `:latest`, or falling back to latest (`${TAG:-latest}`).

import type { ComposeRule } from '../context';
import { localStackReason, valueRange } from '../composeRuleHelpers';
import { hasInterpolation, interpolate } from '../../model/composeValues';
import { parseImageRef } from '../../model/dockerfile/imageRefs';
import { ownImage } from '../../facts/projectImages';
import * as path from 'node:path';

/**
 * With `build:`, `image:` names what gets built and tagged locally, not what gets pulled, unless the pull
 * policy (after interpolation with its default) is `always`.
 */
function builtLocally(service: Record<string, unknown>): boolean {
  if (service.build === undefined || service.build === null) return false;
  const policy = typeof service.pull_policy === 'string' ? interpolate(service.pull_policy).value.trim().toLowerCase() : '';
  return policy !== 'always';
}

const rule: ComposeRule = {
  meta: {
    id: 'compose-image-latest',
    language: 'compose',
    category: 'compose',
    title: 'Pin service images to a version tag',
    severity: 'warning',
    fix: 'none',
    docs: {
      rationale:
        'An image without a tag means `:latest`, which is whatever was pushed last: two machines running the same ' +
        'compose file can start different software, and a rebuild of the upstream image changes a deployment without ' +
        'any change to the file. A version tag (or a digest) makes the stack reproducible.',
      invalid: 'services:\n  cache:\n    image: redis\n',
      valid: 'services:\n  cache:\n    image: redis:7.4-alpine\n',
      notes: 'In a local development, test or example stack (judged as for compose-secret-in-env: its folder or name, ' +
        'an override file, or a service that builds the project and mounts its source) the finding is info. ' +
        'A default of latest in an interpolated tag (`app:${TAG:-latest}`) counts, since that is what runs when the ' +
        'variable is unset. A tag that is only a variable without default (`app:${TAG}`) is left alone. Images pinned by digest pass. ' +
        'A service with `build:` is silent, since its `image:` names the image Compose builds and tags locally, unless ' +
        'its `pull_policy` (with variables at their defaults) is `always`.\n\n' +
        'The project\'s own image at `:latest` is info: its own compose file tracks its own release on purpose. An image ' +
        'is the project\'s own when the project builds or publishes it: a name given to `docker build -t`, `docker push` ' +
        'or `docker tag` in a workflow, Makefile or script, metadata-action\'s `images:`, build-push-action\'s or a bake ' +
        'file\'s `tags`, GoReleaser\'s `image_templates`, an `IMAGE_NAME` setting, Maven\'s `<image>`, an official-image ' +
        'workflow\'s `GITHUB_REPOSITORY=<name>`, a compose service with `build:` and that `image:`, or the repository\'s own ' +
        '`owner/name` (from its git remote, package manifest or README), an image its README links on Docker Hub, or one ' +
        'under the repository owner\'s namespace (`umamisoftware/…` for `umami-software`). Third-party images at latest stay warnings.',
    },
  },
  check(ctx) {
    // a local development, test or example stack runs on a laptop and is recreated often: a moving tag is a note there
    const local = localStackReason(ctx.file, ctx.parsed, ctx.facts.compose?.root);
    for (const svc of ctx.parsed.services) {
      const raw = svc.value.image;
      if (typeof raw !== 'string' || builtLocally(svc.value)) continue;
      const { value, unknown } = interpolate(raw);
      const ref = parseImageRef(value);
      if (!ref || ref.digest) continue;
      if (unknown && !ref.tag) continue; // the tag comes from a variable with no default
      const viaDefault = hasInterpolation(raw) && /:-\s*latest\s*\}/.test(raw);
      let message: string | undefined;
      if (!ref.tag) message = `Service \`${svc.name}\` uses \`${value}\` without a tag, which means \`:latest\`; pin a version tag.`;
      else if (ref.tag === 'latest') {
        message = viaDefault
          ? `Service \`${svc.name}\` falls back to \`:latest\` when the tag variable is unset; default to a version tag instead.`
          : `Service \`${svc.name}\` uses \`:latest\`, which changes whenever upstream pushes; pin a version tag.`;
      }
      if (!message) continue;
      const own = ownImage(ctx.facts.compose?.images, value);
      if (own) {
        const shown = (f: string) => path.relative(path.dirname(path.resolve(ctx.file)), f).split(path.sep).join('/');
        const why = 'owner' in own ? `it is published under the repository owner's name \`${own.owner}\``
          : !own.file ? 'it is named after the repository'
          : /readme/i.test(path.basename(own.file)) ? `\`${shown(own.file)}\` links it on Docker Hub`
          : `\`${shown(own.file)}\` builds or publishes it`;
        const tag = ref.tag ? 'at `:latest`' : 'without a tag (`:latest`)';
        ctx.report({ range: valueRange(ctx, svc, 'image'), severity: 'info', message: `Service \`${svc.name}\` runs the project's own image \`${value}\` ${tag} (${why}), so it tracks the project's release; pin a version tag where a deployment must be reproducible.` });
      } else if (local) ctx.report({ range: valueRange(ctx, svc, 'image'), severity: 'info', message: `${message.slice(0, -1)} if this stack is ever deployed (it looks like a local development, test or example stack: ${local}).` });
      else ctx.report({ range: valueRange(ctx, svc, 'image'), message });
    }
  },
};

export default rule;
