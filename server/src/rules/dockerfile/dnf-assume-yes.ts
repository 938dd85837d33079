// dnf-assume-yes: dnf package changes without -y wait for an answer the build cannot give.

import type { DockerfileRule } from '../context';
import { insertAfter } from '../../model/dockerfile/runScripts';
import { answersYes, familyCommands, DNF } from '../rpmTools';
import { wordRange } from '../../model/dockerfile/wordsAndEdits';

const rule: DockerfileRule = {
  meta: {
    id: 'dnf-assume-yes',
    language: 'dockerfile',
    category: 'build',
    title: 'Run dnf non-interactively',
    severity: 'warning',
    fix: 'safe',
    hadolint: ['DL3038'],
    docs: {
      rationale:
        'A build has no terminal to confirm the transaction. Without `-y` dnf asks for confirmation and the ' +
        'step fails (or, in older versions, hangs).',
      invalid: 'FROM fedora:40\nRUN dnf install httpd-2.4.62 && dnf clean all\n',
      valid: 'FROM fedora:40\nRUN dnf install -y httpd-2.4.62 && dnf clean all\n',
      notes: 'The fix adds `-y` after the subcommand.',
    },
  },
  check(ctx) {
    for (const { m } of familyCommands(ctx.parsed, DNF)) {
      if (answersYes(DNF, m)) continue;
      ctx.report({
        range: wordRange(ctx.parsed, m.sub),
        message: `\`${m.program} ${m.sub.value}\` would wait for confirmation; add \`-y\`.`,
        fixes: [insertAfter(ctx.parsed, m.sub, ' -y', 'Add -y')],
      });
    }
  },
};

export default rule;
