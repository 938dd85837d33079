// from-platform-flag-const: `FROM --platform=linux/amd64` pins a stage to one platform, which breaks
// multi-platform builds unless the stage is meant to be platform-specific.

import type { DockerfileRule } from '../context';

const rule: DockerfileRule = {
  meta: {
    id: 'from-platform-flag-const',
    language: 'dockerfile',
    category: 'correctness',
    title: 'Do not pin FROM --platform to a constant',
    severity: 'warning',
    fix: 'none',
    hadolint: ['DL3029'],
    buildkit: ['FromPlatformFlagConstDisallowed'],
    docs: {
      rationale:
        'A constant such as `--platform=linux/amd64` forces that stage to one architecture for every build, so a ' +
        'multi-platform build quietly ships amd64 binaries in its arm64 image, or runs under emulation. Use ' +
        '`$BUILDPLATFORM` for build stages, or leave the flag out.',
      invalid: 'FROM --platform=linux/amd64 alpine:3.20\nRUN echo hi\n',
      valid: 'FROM --platform=linux/amd64 alpine:3.20 AS build-amd64\nRUN echo hi\n',
      notes:
        'As in BuildKit, a stage whose name contains the pinned OS or architecture (`build-amd64`) is taken as ' +
        'deliberately platform-specific and is not reported. Values with variables are never reported.',
    },
  },
  check(ctx) {
    for (const stage of ctx.parsed.stages) {
      const flag = stage.from.flag('platform');
      if (!flag || !flag.value || flag.value.includes('$')) continue;
      const value = flag.value.replace(/^["']|["']$/g, '');
      const parts = value.toLowerCase().split('/');
      if (parts.length < 1 || !parts[0]) continue;
      const [os, arch] = parts.length >= 2 ? [parts[0], parts[1]] : ['', parts[0]];
      const name = stage.name ?? '';
      if ((os && name.includes(os)) || (arch && name.includes(arch))) continue;
      ctx.report({
        range: flag.valueRange ?? flag.range,
        message: `FROM --platform should not use the constant value '${value}'; use $BUILDPLATFORM or drop the flag so multi-platform builds work.`,
      });
    }
  },
};

export default rule;
