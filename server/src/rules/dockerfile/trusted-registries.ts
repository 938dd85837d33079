// trusted-registries: with `trustedRegistries` configured, images must come from one of those registries.

import type { DockerfileRule } from '../context';
import type { Range } from '../../core/findings';
import { unquote } from '../../model/dockerfile/runScripts';

const DIGITS = /^\d+$/;
const MOUNT_FROM = /(?:^|,)from=([^,]+)/;

/** The registry host of an image reference; Docker Hub when the first path part is not a host. */
function registryOf(image: string): string {
  const slash = image.indexOf('/');
  if (slash < 0) return 'docker.io';
  const first = image.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost' ? first.toLowerCase() : 'docker.io';
}

function trusted(registry: string, allowed: string[]): boolean {
  for (const a of allowed) {
    const pat = a.toLowerCase();
    if (pat === '*' || pat === registry) return true;
    if (pat.startsWith('*.') && registry.endsWith(pat.slice(1))) return true;
    if (pat === 'docker.io' && (registry === 'index.docker.io' || registry === 'registry-1.docker.io')) return true;
  }
  return false;
}

const rule: DockerfileRule = {
  meta: {
    id: 'trusted-registries',
    language: 'dockerfile',
    category: 'security',
    title: 'Pull images only from trusted registries',
    severity: 'warning',
    fix: 'none',
    hadolint: ['DL3026'],
    docs: {
      rationale:
        'Organisations often require base images to come from a registry they control or vet. When ' +
        '`trustedRegistries` is set in `.hadolint.yaml`, every external image in `FROM`, `COPY --from` and ' +
        '`RUN --mount=from=` must come from one of them.',
      invalid: 'FROM quay.io/example/app:1.0\n',
      valid: 'FROM registry.example.com/base/app:1.0\n',
      notes:
        'Silent unless `.hadolint.yaml` lists `trustedRegistries`. Images without a registry host are Docker Hub ' +
        '(`docker.io`). `*` allows everything and `*.example.com` allows subdomains. References to stages and ' +
        'values with variables are not checked.',
      files: { '.hadolint.yaml': 'trustedRegistries:\n  - registry.example.com\n' },
    },
  },
  check(ctx) {
    const allowed = ctx.hadolint?.trustedRegistries ?? [];
    if (allowed.length === 0) return;
    const { parsed } = ctx;
    const check = (ref: string, range: Range, beforeStage: number) => {
      const image = unquote(ref);
      if (!image || image.includes('$') || image.toLowerCase() === 'scratch') return;
      const lower = image.toLowerCase();
      if (DIGITS.test(image) || parsed.stages.some((s) => s.index < beforeStage && s.name === lower)) return;
      const registry = registryOf(image);
      if (trusted(registry, allowed)) return;
      ctx.report({ range, message: `Image \`${image}\` comes from \`${registry}\`, which is not a trusted registry; use an image from ${allowed.join(', ')}.` });
    };
    for (const outer of parsed.instructions) {
      const instr = outer.onbuild ?? outer;
      const stageIndex = outer.stage ? outer.stage.index : 0;
      if (instr.keyword === 'FROM' && outer.stage) {
        check(outer.stage.image, outer.stage.imageRange ?? instr.keywordRange, stageIndex);
      } else if (instr.keyword === 'COPY') {
        const from = instr.flag('from');
        if (from?.value) check(from.value, from.valueRange ?? from.range, stageIndex + 1);
      } else if (instr.keyword === 'RUN') {
        for (const f of instr.flags) {
          if (f.name.toLowerCase() !== 'mount' || !f.value) continue;
          const m = MOUNT_FROM.exec(f.value);
          if (m) check(m[1], f.valueRange ?? f.range, stageIndex + 1);
        }
      }
    }
  },
};

export default rule;
