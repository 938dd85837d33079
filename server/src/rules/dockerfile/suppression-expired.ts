// suppression-expired: an inline ignore whose `until=` date has passed. It no longer suppresses, and the comment
// itself is reported, so an exception granted for a while comes back for review instead of living forever.

import type { DockerfileRule } from '../context';

const rule: DockerfileRule = {
  meta: {
    id: 'suppression-expired',
    language: 'dockerfile',
    alsoLanguages: ['compose'],
    category: 'style',
    title: 'Review ignores whose expiry date has passed',
    severity: 'warning',
    fix: 'none',
    docs: {
      rationale:
        'An exception is usually meant for a while: until the vendor image is replaced, until the next major ' +
        'upgrade. `until=YYYY-MM-DD` on an ignore records that. Once the day has passed the ignore stops ' +
        'suppressing, so the finding it hid is reported again, and this rule points at the comment so it is ' +
        'renewed with a reason or removed.',
      invalid: 'FROM alpine:3.20\n# hullcheck ignore=apk-no-cache until=2020-01-31 -- vendor image\nRUN apk add curl\n',
      valid: 'FROM alpine:3.20\n# hullcheck ignore=apk-no-cache until=2999-12-31 -- vendor image\nRUN apk add curl\n',
      notes:
        'The syntax is `# hullcheck ignore=ID[,ID] until=YYYY-MM-DD -- reason` (also with `global` or `stage`, and ' +
        'in compose files). The ignore applies through its `until` day (UTC). The environment variable ' +
        '`HULLCHECK_TODAY=YYYY-MM-DD` pins "today" for reproducible runs. `.hullcheck.yaml` ' +
        '`suppressions: { requireExpiry: true }` makes the date mandatory (an ignore without one then suppresses ' +
        'nothing and `pragma-invalid` says why).',
    },
  },
  check(ctx) {
    for (const x of ctx.inlineExceptions ?? []) {
      if (x.status !== 'expired') continue;
      const names = x.ids.map((u) => `\`${u}\``).join(', ');
      ctx.report({ range: x.range, message: `This ignore of ${names} expired on ${x.until} and no longer suppresses; fix the finding, or renew the date with a reason.` });
    }
  },
};

export default rule;
