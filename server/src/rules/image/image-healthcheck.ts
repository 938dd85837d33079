// image-healthcheck: a built image defines a HEALTHCHECK (or opts out with HEALTHCHECK NONE).

import type { ImageRule } from '../context';
import { rangeOf } from '../../model/imageSubject';

const rule: ImageRule = {
  meta: {
    id: 'image-healthcheck',
    language: 'image',
    category: 'health',
    title: 'Give the image a HEALTHCHECK',
    severity: 'warning',
    fix: 'none',
    docs: {
      rationale:
        'Without a health check the engine only knows whether the main process exists, not whether it works: ' +
        '`docker ps`, compose `depends_on: condition: service_healthy` and orchestrators cannot wait for readiness or ' +
        'notice a hung service. This check reads the built image, so a HEALTHCHECK inherited from a base image counts ' +
        'and one lost by a `FROM scratch` squash does not.',
      invalid: 'FROM debian:bookworm-slim\nUSER 10001\nCMD ["sh", "-c", "while true; do date > /tmp/heartbeat; sleep 10; done"]\n',
      valid: 'FROM debian:bookworm-slim\nUSER 10001\nHEALTHCHECK --interval=30s --timeout=5s --retries=3 \\\n    CMD find /tmp/heartbeat -mmin -1 | grep -q . || exit 1\nCMD ["sh", "-c", "while true; do date > /tmp/heartbeat; sleep 10; done"]\n',
      notes:
        '`HEALTHCHECK NONE` in the image is an explicit opt-out and is not reported. The Dockerfile rule ' +
        '`healthcheck-missing` checks the same in the source and can add a skeleton; this check confirms the image ' +
        'that was actually built has one.',
    },
  },
  check(ctx) {
    const test = (ctx.parsed.config as { Healthcheck?: { Test?: string[] } }).Healthcheck?.Test;
    if (test && test.length > 0) return;
    ctx.report({
      range: rangeOf(ctx.parsed.from),
      message: 'The image defines no HEALTHCHECK, so the engine cannot tell when it is ready; add one to the final stage (or `HEALTHCHECK NONE` to opt out).',
    });
  },
};

export default rule;
