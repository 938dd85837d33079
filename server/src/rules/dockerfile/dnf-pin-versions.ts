// dnf-pin-versions: dnf installs without versions follow whatever the repositories serve on build day.

import type { DockerfileRule } from '../context';
import { visibleVars } from '../../model/dockerfile/runScripts';
import { familyCommands, unpinned, DNF } from '../rpmTools';
import { wordRange } from '../../model/dockerfile/wordsAndEdits';

const rule: DockerfileRule = {
  meta: {
    id: 'dnf-pin-versions',
    language: 'dockerfile',
    category: 'build',
    title: 'Pin package versions in dnf install',
    severity: 'warning',
    fix: 'none',
    hadolint: ['DL3041'],
    docs: {
      rationale:
        'An unpinned `dnf install httpd` installs the newest build available at build time, so rebuilding the ' +
        'same Dockerfile can give a different image. Pin with `name-version` (for example `httpd-2.4.62`).',
      invalid: 'FROM fedora:40\nRUN dnf install -y httpd && dnf clean all\n',
      valid: 'FROM fedora:40\nRUN dnf install -y httpd-2.4.62 && dnf clean all\n',
      notes:
        'Module streams (`module install nodejs:20`) count as pinned. Local `.rpm` files, paths, groups and words that are only a ' +
        'variable are not checked. Variables set by ENV or ARG earlier are expanded before checking.',
    },
  },
  check(ctx) {
    for (const { instr, m } of familyCommands(ctx.parsed, DNF)) {
      const loose = unpinned(DNF, m, visibleVars(ctx.parsed, instr));
      if (loose.length === 0) continue;
      ctx.report({
        range: wordRange(ctx.parsed, loose[0]),
        message: `dnf installs ${loose.map((w) => `\`${w.value}\``).join(', ')} without a version; pin them.`,
      });
    }
  },
};

export default rule;
