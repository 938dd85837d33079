// yum-assume-yes: yum package changes without -y wait for an answer the build cannot give.

import type { DockerfileRule } from '../context';
import { insertAfter } from '../../model/dockerfile/runScripts';
import { answersYes, familyCommands, YUM } from '../rpmTools';
import { wordRange } from '../../model/dockerfile/wordsAndEdits';

const rule: DockerfileRule = {
  meta: {
    id: 'yum-assume-yes',
    language: 'dockerfile',
    category: 'build',
    title: 'Run yum non-interactively',
    severity: 'warning',
    fix: 'safe',
    hadolint: ['DL3030'],
    docs: {
      rationale:
        'A build has no terminal to confirm the transaction. Without `-y` yum asks for confirmation and the ' +
        'step fails (or, in older versions, hangs).',
      invalid: 'FROM rockylinux:9\nRUN yum install httpd-2.4.57 && yum clean all\n',
      valid: 'FROM rockylinux:9\nRUN yum install -y httpd-2.4.57 && yum clean all\n',
      notes: 'The fix adds `-y` after the subcommand.',
    },
  },
  check(ctx) {
    for (const { m } of familyCommands(ctx.parsed, YUM)) {
      if (answersYes(YUM, m)) continue;
      ctx.report({
        range: wordRange(ctx.parsed, m.sub),
        message: `\`${m.program} ${m.sub.value}\` would wait for confirmation; add \`-y\`.`,
        fixes: [insertAfter(ctx.parsed, m.sub, ' -y', 'Add -y')],
      });
    }
  },
};

export default rule;
