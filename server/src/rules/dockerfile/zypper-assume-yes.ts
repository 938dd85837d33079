// zypper-assume-yes: zypper package changes without a non-interactive flag wait for an answer the build cannot give.

import type { DockerfileRule } from '../context';
import { insertAfter } from '../../model/dockerfile/runScripts';
import { answersYes, familyCommands, ZYPPER } from '../rpmTools';
import { wordRange } from '../../model/dockerfile/wordsAndEdits';

const rule: DockerfileRule = {
  meta: {
    id: 'zypper-assume-yes',
    language: 'dockerfile',
    category: 'build',
    title: 'Run zypper non-interactively',
    severity: 'warning',
    fix: 'safe',
    hadolint: ['DL3034'],
    docs: {
      rationale:
        'A build has no terminal to confirm the transaction. Without `-n` (or `-y` after the subcommand) zypper asks for confirmation and the ' +
        'step fails (or, in older versions, hangs).',
      invalid: 'FROM opensuse/leap:15.6\nRUN zypper install curl=8.6.0 && zypper clean --all\n',
      valid: 'FROM opensuse/leap:15.6\nRUN zypper install -y curl=8.6.0 && zypper clean --all\n',
      notes: 'The fix adds `-y` after the subcommand.',
    },
  },
  check(ctx) {
    for (const { m } of familyCommands(ctx.parsed, ZYPPER)) {
      if (answersYes(ZYPPER, m)) continue;
      ctx.report({
        range: wordRange(ctx.parsed, m.sub),
        message: `\`${m.program} ${m.sub.value}\` would wait for confirmation; add \`-y\`.`,
        fixes: [insertAfter(ctx.parsed, m.sub, ' -y', 'Add -y')],
      });
    }
  },
};

export default rule;
