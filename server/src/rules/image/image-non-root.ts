// image-non-root: a built image runs as an unprivileged user unless allowRoot lists it.

import type { ImageRule } from '../context';
import { lastStep, rangeOf } from '../../model/imageSubject';

/** User names and ids that mean root (an empty User is root too). */
const ROOT_USERS = new Set(['', 'root', '0']);

const rule: ImageRule = {
  meta: {
    id: 'image-non-root',
    language: 'image',
    category: 'security',
    title: 'Run the image as a non-root user',
    severity: 'warning',
    fix: 'none',
    docs: {
      rationale:
        'A process running as root inside a container is root on any file or device the container can reach, and one ' +
        'kernel or runtime flaw away from root on the host. Running as an unprivileged user limits what a compromised ' +
        'service can do. This check reads the `User` of the built image, so a USER set in a base image counts.',
      invalid: 'FROM debian:bookworm-slim\nRUN useradd --system --uid 10001 app\nCMD ["sleep", "infinity"]\n',
      valid: 'FROM debian:bookworm-slim\nRUN useradd --system --uid 10001 app\nUSER app\nCMD ["sleep", "infinity"]\n',
      notes:
        'Images that must start as root (a proxy binding port 80 before dropping privileges, an init system) are listed ' +
        'under `allowRoot:` in `.hullcheck.yaml`, by compose service name or image reference glob (`allowRoot: [proxy, ' +
        '"myorg/init:*"]`). `root`, `0` and an empty user count as root, with or without a group. The finding points at ' +
        'the last USER of the build when there is one, else at the FROM.',
    },
  },
  check(ctx) {
    const { image, config } = ctx.parsed;
    const user = (config.User ?? '').trim();
    if (!ROOT_USERS.has(user.split(':')[0]) || image.mapping.allowRoot) return;
    const userInstr = lastStep(ctx.parsed, (i) => i.keyword === 'USER');
    ctx.report({
      range: rangeOf(userInstr ?? ctx.parsed.from),
      message: user ? `The image runs as ${user}; switch to an unprivileged user with USER, or list the image in allowRoot when root is needed.`
        : 'The image sets no USER, so it runs as root; add an unprivileged user and a USER instruction, or list the image in allowRoot.',
    });
  },
};

export default rule;
