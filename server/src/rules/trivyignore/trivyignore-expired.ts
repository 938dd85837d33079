// trivyignore-expired: an entry whose expiry date has passed is no longer honoured by Trivy, so the finding is
// back in every scan; the file should say what was decided instead of keeping a dead line.

import type { TrivyignoreRule } from '../context';
import { todayIso } from '../../facts/trivyignoreFacts';

const rule: TrivyignoreRule = {
  meta: {
    id: 'trivyignore-expired',
    language: 'trivyignore',
    category: 'vulnerabilities',
    title: 'Renew or remove ignore entries whose expiry date has passed',
    severity: 'warning',
    fix: 'none',
    docs: {
      rationale:
        'An expiry date (`exp:` in `.trivyignore`, `expired_at` in `.trivyignore.yaml`) turns "accept this risk" into ' +
        '"accept it until we look again". Once the date passes Trivy reports the finding again, and a build gate may ' +
        'start failing. The date is the reminder: upgrade the package, or decide again and write a new date with the ' +
        'reason.',
      invalid: 'CVE-2019-1549 exp:2020-01-01 # waiting for the base image update\n',
      valid: 'CVE-2019-1549 exp:9999-12-31 # waiting for the base image update\n',
      notes:
        'Trivy compares the date with the current time, and the date means midnight UTC at its start: an entry ' +
        'dated today is already expired. The rule uses the same rule with today\'s UTC date; the environment ' +
        'variable `HULLCHECK_TODAY=YYYY-MM-DD` pins "today" for reproducible runs.\n\n' +
        'A date that is not a real YYYY-MM-DD date is reported too: Trivy skips such a line of `.trivyignore` ' +
        'entirely (so the id is not ignored at all), and refuses a `.trivyignore.yaml` that has one. There is no ' +
        'automatic fix because the right outcome (upgrade, new date, removal) needs a decision.',
    },
  },
  check(ctx) {
    const today = ctx.facts.trivy?.today ?? todayIso();
    const { parsed } = ctx;
    for (const e of parsed.entries) {
      if (!e.expires) continue;
      const written = parsed.format === 'plain' ? `exp:${e.expires.value}` : `expired_at: ${e.expires.value}`;
      if (!e.expires.valid) {
        ctx.report({
          range: e.expires.range,
          message: parsed.format === 'plain'
            ? `\`${written}\` is not a YYYY-MM-DD date, so Trivy skips this line and \`${e.id}\` is not ignored at all; write a real date.`
            : `\`${written}\` is not a YYYY-MM-DD date, so Trivy cannot read this file; write a real date.`,
        });
      } else if (today >= e.expires.value) {
        ctx.report({
          range: e.expires.range,
          message: `The ignore entry for \`${e.id}\` expired on ${e.expires.value}, so Trivy reports it again; fix the finding, or renew the date with a reason.`,
        });
      }
    }
  },
};

export default rule;
