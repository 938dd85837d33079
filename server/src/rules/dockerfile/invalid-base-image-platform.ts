// invalid-base-image-platform: a FROM with a constant --platform whose image is published for a different
// platform only. Judged statically from single-architecture namespaces and Windows base images.

import type { DockerfileRule } from '../context';
import { isWindowsImage } from '../../model/dockerfile/runs';

/** Docker Hub namespaces that hold single-architecture builds of the official images. */
const ARCH_NAMESPACES: Record<string, string> = {
  amd64: 'amd64', arm64v8: 'arm64', arm32v7: 'arm', arm32v6: 'arm', arm32v5: 'arm', i386: '386',
  ppc64le: 'ppc64le', s390x: 's390x', mips64le: 'mips64le', riscv64: 'riscv64', winamd64: 'amd64',
};
const ARCH_ALIASES: Record<string, string> = { x86_64: 'amd64', 'x86-64': 'amd64', aarch64: 'arm64', armhf: 'arm', armel: 'arm', i686: '386', x86: '386' };

const rule: DockerfileRule = {
  meta: {
    id: 'invalid-base-image-platform',
    language: 'dockerfile',
    category: 'correctness',
    title: 'Match FROM --platform to what the base image provides',
    severity: 'info',
    fix: 'none',
    buildkit: ['InvalidBaseImagePlatform'],
    docs: {
      rationale:
        'Some images exist for one platform only: the per-architecture namespaces of Docker Hub (`arm64v8/alpine`, ' +
        '`amd64/debian`, …) and Windows base images. Asking for another platform with `--platform` either fails ' +
        'or runs foreign binaries under emulation.',
      invalid: 'FROM --platform=linux/amd64 arm64v8/alpine:3.20\nRUN echo hi\n',
      valid: 'FROM --platform=linux/arm64 arm64v8/alpine:3.20\nRUN echo hi\n',
      notes:
        'BuildKit compares the platform of the image it actually pulled with the requested one, which needs a ' +
        'registry. Without a daemon or network this rule can only judge what the reference itself says: a constant ' +
        '`--platform` against a single-architecture namespace or a Windows image. Everything else (multi-platform ' +
        'images, variables such as `$BUILDPLATFORM`, a FROM without `--platform`) is not reported, hence the `info` ' +
        'default.',
    },
  },
  check(ctx) {
    for (const stage of ctx.parsed.stages) {
      const flag = stage.from.flag('platform');
      if (!flag?.value || flag.value.includes('$') || stage.image.includes('$') || stage.parent) continue;
      const parts = flag.value.replace(/^["']|["']$/g, '').toLowerCase().split('/');
      const os = parts.length >= 2 ? parts[0] : '';
      const rawArch = parts.length >= 2 ? parts[1] : parts[0];
      const arch = ARCH_ALIASES[rawArch] ?? rawArch;
      const image = stage.image;
      let expected: string | undefined;
      if (isWindowsImage(image)) {
        if (os && os !== 'windows') expected = 'windows';
      } else {
        const ns = image.toLowerCase().replace(/^docker\.io\//, '').split('/');
        const archOf = ns.length === 2 ? ARCH_NAMESPACES[ns[0]] : undefined;
        if (archOf && arch && archOf !== arch) expected = `linux/${archOf}`;
        if (archOf && os === 'windows' && ns[0] !== 'winamd64') expected = `linux/${archOf}`;
      }
      if (!expected) continue;
      ctx.report({
        range: stage.imageRange ?? stage.from.range,
        message: `Base image '${image}' is published for ${expected} only, but --platform asks for '${flag.value}'; use a multi-platform image or a matching platform.`,
      });
    }
  },
};

export default rule;
