// trivyignore-no-reason: every ignored id should say why the risk is accepted, so the next reader can tell a
// considered decision from a silenced alarm.

import type { TrivyignoreRule } from '../context';

const rule: TrivyignoreRule = {
  meta: {
    id: 'trivyignore-no-reason',
    language: 'trivyignore',
    category: 'vulnerabilities',
    title: 'Give every ignored id a reason',
    severity: 'info',
    fix: 'none',
    docs: {
      rationale:
        'An ignore entry without a reason cannot be reviewed: nobody can tell whether the finding was judged ' +
        'unreachable, was waiting for an upstream fix, or was silenced to make a build pass. A one-line reason next ' +
        'to the id (or a `statement` in YAML) makes the decision auditable and easy to revisit.',
      invalid: 'CVE-2019-1549\n',
      valid: 'CVE-2019-1549 # the fork() path of OpenSSL is never used by the service\n',
      notes:
        'In `.trivyignore` a reason is a trailing `# comment` on the entry\'s line, or a comment line directly above ' +
        'a group of entries (no blank line between them), which then explains the whole group. In ' +
        '`.trivyignore.yaml` the reason is the entry\'s `statement`, which Trivy also shows for suppressed findings.',
    },
  },
  check(ctx) {
    const { parsed } = ctx;
    for (const e of parsed.entries) {
      if (e.reason) continue;
      ctx.report({
        range: e.range,
        message: parsed.format === 'plain'
          ? `\`${e.id}\` is ignored without a reason; add a \`# comment\` saying why the risk is accepted.`
          : `\`${e.id}\` is ignored without a reason; add a \`statement\` saying why the risk is accepted.`,
      });
    }
  },
};

export default rule;
