// image-digest-pin: base images pinned by digest rebuild byte-for-byte the same; off by default.

import type { DockerfileRule } from '../context';
import type { Fix } from '../../core/findings';
import { imageUses } from '../../model/dockerfile/imageRefs';
import { fix, insertAt } from '../../model/dockerfile/wordsAndEdits';

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** The digest the caller knows for a reference: `options.digests` maps image references to `sha256:…`. */
function knownDigest(options: Record<string, unknown>, image: string): string | undefined {
  const digests = options.digests;
  if (!digests || typeof digests !== 'object' || Array.isArray(digests)) return undefined;
  const table = digests as Record<string, unknown>;
  const value = table[image] ?? table[image.toLowerCase()];
  return typeof value === 'string' && DIGEST.test(value) ? value : undefined;
}

const rule: DockerfileRule = {
  meta: {
    id: 'image-digest-pin',
    language: 'dockerfile',
    category: 'security',
    title: 'Pin base images by digest',
    severity: 'off',
    fix: 'safe',
    docs: {
      rationale:
        'A tag is a name that the publisher can point at a new image at any time; `python:3.12-slim` today is not the ' +
        'same bytes as next month. A digest (`@sha256:…`) names exactly one image, so a rebuild uses exactly the base ' +
        'that was reviewed and scanned, and a compromised or re-pushed tag cannot slip in. Keep the tag next to the ' +
        'digest for readers: when both are present, the digest decides.',
      invalid: 'FROM alpine:3.20\n',
      valid: 'FROM alpine:3.20@sha256:0a4eaa0eecf5f8c050e5bba433f58c052be7587ee8af3e8b3910ef9ab5fbe9f5\n',
      notes:
        'Off by default: digest pins need a process (such as Renovate or Dependabot) to move them forward, or images ' +
        'stop receiving security fixes. Turn it on with `rules: { image-digest-pin: warning }`.\n\n' +
        'Only FROM lines are checked; `scratch` and earlier stages are skipped, and so are references whose variables ' +
        'have no default.\n\n' +
        'The fix inserts the digest after the tag, but only when the digest is known: the rule itself never contacts ' +
        'a registry or a Docker daemon. Digests come from the `digests` option, a map from the reference as written ' +
        'to its digest, which the editor fills from the images the local engine has pulled; in `.hullcheck.yaml`:\n\n' +
        '```yaml\nrules:\n  image-digest-pin:\n    severity: warning\n    digests:\n      "alpine:3.20": "sha256:<64 hex digits>"\n```\n\n' +
        'Without a known digest the finding has no fix.',
    },
  },
  check(ctx) {
    for (const use of imageUses(ctx.parsed)) {
      const ref = use.ref;
      if (!ref || use.expanded.unresolved || ref.digest || ref.raw.includes('$')) continue;
      const fixes: Fix[] = [];
      // only a literal reference can take an inserted digest; `${BASE}` would need the ARG edited instead
      const digest = use.expanded.hadVars ? undefined : knownDigest(ctx.options, use.written);
      if (digest) {
        const end = ctx.parsed.index.offsetAt(use.range.end);
        fixes.push(fix(`Pin ${use.written} to ${digest.slice(0, 19)}…`, 'safe', insertAt(ctx.parsed, end, `@${digest}`)));
      }
      ctx.report({
        range: use.range,
        message: `Base image ${use.expanded.hadVars ? `\`${use.written}\` (resolves to \`${ref.raw}\`)` : `\`${ref.raw}\``} is not pinned by digest; add \`@sha256:…\` so every build uses the same image.`,
        fixes,
      });
    }
  },
};

export default rule;
