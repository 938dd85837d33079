// image-oci-version-label: a built image carries the org.opencontainers.image.version label.

import type { ImageRule } from '../context';
import { rangeOf } from '../../model/imageSubject';

const LABEL = 'org.opencontainers.image.version';

const rule: ImageRule = {
  meta: {
    id: 'image-oci-version-label',
    language: 'image',
    category: 'metadata',
    title: 'Label the image with org.opencontainers.image.version',
    severity: 'warning',
    fix: 'none',
    docs: {
      rationale:
        'The version label is how registries, scanners, `docker inspect` and deployment tooling tell which release an ' +
        'image holds. Without it, the only handle on a running image is its digest or a tag that can be moved. This ' +
        'check reads the labels of the built image, so a label set in a base image or through `docker build --label` counts.',
      invalid: 'FROM debian:bookworm-slim\nUSER 10001\nCMD ["sleep", "infinity"]\n',
      valid: 'FROM debian:bookworm-slim\nARG VERSION=dev\nLABEL org.opencontainers.image.version="${VERSION}"\nUSER 10001\nCMD ["sleep", "infinity"]\n',
      notes:
        'Image rules judge a built image, not a file: run them with `hullcheck image REF` or the "Hullcheck: Validate ' +
        'Image…" command. The finding points at the FROM of the stage the image was built from when the image can be ' +
        'tied to its Dockerfile. The Dockerfile rule `oci-labels` checks the same label in the source.',
    },
  },
  check(ctx) {
    const labels = ctx.parsed.config.Labels ?? {};
    if (labels[LABEL]) return;
    ctx.report({
      range: rangeOf(ctx.parsed.from),
      message: 'The image has no org.opencontainers.image.version label; add `ARG VERSION=dev` and `LABEL org.opencontainers.image.version="${VERSION}"` to the final stage.',
    });
  },
};

export default rule;
