// base-image-slim: the final image should not sit on the full-size variant of an official image.

import type { DockerfileRule } from '../context';
import type { Fix } from '../../core/findings';
import { expandImage, isOfficialImage, parseImageRef } from '../../model/dockerfile/imageRefs';
import { modelOf } from '../../model/dockerfile/model';
import { fix, replaceSpan } from '../../model/dockerfile/wordsAndEdits';

/**
 * Official images whose default tags carry a full Debian with compilers and headers, and that publish
 * a `-slim` variant. `variantFirst` images name a distro-pinned slim tag `<ver>-slim-<distro>`, the
 * others `<ver>-<distro>-slim`.
 */
const IMAGES: Record<string, { variantFirst: boolean; bare: string }> = {
  python: { variantFirst: true, bare: 'slim' },
  ruby: { variantFirst: true, bare: 'slim' },
  rust: { variantFirst: true, bare: 'slim' },
  perl: { variantFirst: true, bare: 'slim' },
  node: { variantFirst: false, bare: 'slim' },
  debian: { variantFirst: false, bare: 'stable-slim' },
};

const DISTROS = ['trixie', 'bookworm', 'bullseye', 'buster', 'stretch'];
/** Tags that already are a small or a different-OS variant. */
const NOT_FULL = /(slim|alpine|windowsservercore|nanoserver|distroless|chainguard|musl)/i;

/** The slim tag for a full-size tag, or undefined when there is no obvious one. */
export function slimTag(image: string, tag: string | undefined): string | undefined {
  const info = IMAGES[image];
  if (!info) return undefined;
  if (tag === undefined || tag === 'latest') return info.bare;
  if (image === 'debian') return DISTROS.includes(tag) || tag === 'stable' || tag === 'testing' || tag === 'unstable' || tag === 'sid' || /^\d+(\.\d+)*$/.test(tag) ? `${tag}-slim` : undefined;
  const parts = tag.split('-');
  const last = parts[parts.length - 1];
  if (parts.length > 1 && DISTROS.includes(last)) {
    return info.variantFirst ? `${parts.slice(0, -1).join('-')}-slim-${last}` : `${tag}-slim`;
  }
  if (parts.length > 1) return undefined; // an unknown variant such as `-onbuild` or `-gpu`
  return `${tag}-slim`;
}

const rule: DockerfileRule = {
  meta: {
    id: 'base-image-slim',
    language: 'dockerfile',
    category: 'size',
    title: 'Use a slim variant for the final base image',
    severity: 'info',
    fix: 'unsafe',
    docs: {
      rationale:
        'The default tags of `node`, `python`, `ruby`, `rust`, `perl` and `debian` are the full Debian image with ' +
        'compilers, headers and hundreds of packages a running service never uses: several hundred megabytes more to ' +
        'pull, store and scan, and more CVEs to triage. The `-slim` variants carry only what the runtime needs. Build in ' +
        'the full image if you must, and ship on the slim one.',
      invalid: 'FROM python:3.12\nCOPY app.py /app/\nCMD ["python", "/app/app.py"]\n',
      valid: 'FROM python:3.12 AS build\nRUN pip wheel --wheel-dir /wheels requests\n\nFROM python:3.12-slim\nCOPY --from=build /wheels /wheels\n',
      notes:
        'Only the final stage counts (following `FROM <stage>` chains down to their base), so full images in builder ' +
        'stages are fine. Official images are recognised with or without `docker.io/library/`; tags that already are a ' +
        'small variant (`-slim`, `-alpine`, distroless) and unknown variants are left alone.\n\n' +
        'The fix is unsafe because the slim image lacks build tools and some shared libraries: a `RUN` that compiles, ' +
        'or a native module that links against a missing library, may fail after the switch. It rewrites the tag: ' +
        '`python:3.12` → `python:3.12-slim`, `python:3.12-bookworm` → `python:3.12-slim-bookworm`, `node:22-bookworm` → ' +
        '`node:22-bookworm-slim`, untagged or `latest` → `slim` (`debian` → `stable-slim`). No fix is offered when the ' +
        'reference comes from a variable or is pinned by digest.',
    },
  },
  check(ctx) {
    const final = ctx.parsed.finalStage;
    if (!final) return;
    const m = modelOf(ctx.parsed);
    const base = m.chain(final)[0];
    if (!base.image || !base.imageRange) return;
    const expanded = expandImage(base.image, m.globalScope, ctx.parsed.escapeChar);
    if (expanded.unresolved) return;
    const ref = parseImageRef(expanded.value);
    if (!ref || ref.raw.includes('$')) return;
    const image = Object.keys(IMAGES).find((name) => isOfficialImage(ref, name));
    if (!image) return;
    if (ref.tag && NOT_FULL.test(ref.tag)) return;
    const slim = slimTag(image, ref.tag?.toLowerCase());
    if (!slim) return;
    const fixes: Fix[] = [];
    if (!expanded.hadVars && !ref.digest) {
      const start = ctx.parsed.index.offsetAt(base.imageRange.start);
      const end = ctx.parsed.index.offsetAt(base.imageRange.end);
      const written = ctx.parsed.text.slice(start, end);
      const colon = written.lastIndexOf(':');
      const nameEnd = colon > written.lastIndexOf('/') ? colon : written.length;
      const replacement = `${written.slice(0, nameEnd)}:${slim}`;
      fixes.push(fix(`Switch to ${replacement}`, 'unsafe', replaceSpan(ctx.parsed, start, end, replacement)));
    }
    const suggested = `${ref.registry ? ref.registry + '/' : ''}${ref.path}:${slim}`;
    ctx.report({
      range: base.imageRange,
      message: `The final image is based on \`${ref.raw}\`, a full-size variant; \`${suggested}\` is usually several hundred MB smaller.`,
      fixes,
    });
  },
};

export default rule;
