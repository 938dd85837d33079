// zypper-pin-versions: zypper installs without versions follow whatever the repositories serve on build day.

import type { DockerfileRule } from '../context';
import { visibleVars } from '../../model/dockerfile/runScripts';
import { familyCommands, unpinned, ZYPPER } from '../rpmTools';
import { wordRange } from '../../model/dockerfile/wordsAndEdits';

const rule: DockerfileRule = {
  meta: {
    id: 'zypper-pin-versions',
    language: 'dockerfile',
    category: 'build',
    title: 'Pin package versions in zypper install',
    severity: 'warning',
    fix: 'none',
    hadolint: ['DL3037'],
    docs: {
      rationale:
        'An unpinned `zypper install curl` installs the newest build available at build time, so rebuilding the ' +
        'same Dockerfile can give a different image. Pin with `name=version` or a comparison (`curl>=8.6`).',
      invalid: 'FROM opensuse/leap:15.6\nRUN zypper install -y curl && zypper clean --all\n',
      valid: 'FROM opensuse/leap:15.6\nRUN zypper install -y curl=8.6.0 && zypper clean --all\n',
      notes:
        'Local `.rpm` files, paths, groups and words that are only a ' +
        'variable are not checked. Variables set by ENV or ARG earlier are expanded before checking.',
    },
  },
  check(ctx) {
    for (const { instr, m } of familyCommands(ctx.parsed, ZYPPER)) {
      const loose = unpinned(ZYPPER, m, visibleVars(ctx.parsed, instr));
      if (loose.length === 0) continue;
      ctx.report({
        range: wordRange(ctx.parsed, loose[0]),
        message: `zypper installs ${loose.map((w) => `\`${w.value}\``).join(', ')} without a version; pin them.`,
      });
    }
  },
};

export default rule;
