// pragma-invalid: suppression comments and BuildKit check directives that cannot be applied as written. The engine
// reads every pragma once (it needs them to suppress findings); this rule reports the ones it could not honour.

import type { DockerfileRule } from '../context';

const rule: DockerfileRule = {
  meta: {
    id: 'pragma-invalid',
    language: 'dockerfile',
    alsoLanguages: ['compose'],
    category: 'correctness',
    title: 'Fix suppression comments that cannot be applied',
    severity: 'info',
    fix: 'none',
    docs: {
      rationale:
        'A suppression comment that is misspelled or malformed silently does nothing: the finding it was meant to ' +
        'hide comes back, or a typo in a rule name leaves the next reader believing a check was deliberately ' +
        'waived. A `# check=` directive that BuildKit cannot read is worse: BuildKit refuses to build the file. ' +
        'Reporting the comment itself says what to correct.',
      invalid: 'FROM alpine:3.20\n# hadolint ignore=\nRUN apk add --no-cache curl\n',
      valid: 'FROM alpine:3.20\n# hadolint ignore=DL3018\nRUN apk add --no-cache curl\n',
      notes:
        'Reported, on the comment\'s line:\n\n' +
        '- `# hadolint ignore=` or `# hullcheck ignore=` (also with `global` or `stage`) that names no rule;\n' +
        '- a list with a name that is not a rule code (`# hadolint ignore=crazy`); as in hadolint, the whole ' +
        'comment then suppresses nothing;\n' +
        '- names no rule answers to (a rule id, hadolint DL code or BuildKit check name); the other names in the ' +
        'list still apply, and ShellCheck `SC` codes are always accepted;\n' +
        '- `# hadolint shell=` / `# hullcheck shell=` without a single shell name;\n' +
        '- an ignore whose `until=` is not a YYYY-MM-DD date, or that `.hullcheck.yaml` `suppressions:` refuses ' +
        '(no reason under `requireReason: true`, no expiry under `requireExpiry: true`, any inline ignore under ' +
        '`allowInline: false`); such an ignore suppresses nothing (also in compose files);\n' +
        '- a leading `# check=` directive BuildKit rejects: an option without `=`, a stray `;`, an option other ' +
        'than `skip`, `error` and `experimental`, or an `error=` value that is not true or false.\n\n' +
        'With `disable-ignore-pragma: true` in `.hadolint.yaml`, `# hadolint ignore=` comments are not applied and ' +
        'unknown names in them are not reported. Like any rule, this one can be turned off or given another ' +
        'severity in `.hullcheck.yaml`, and `# hullcheck global ignore=pragma-invalid` silences it for one file.',
    },
  },
  check(ctx) {
    // the engine parsed the pragmas before any rule ran, against the rules in use
    for (const p of ctx.pragmaProblems ?? []) ctx.report({ range: p.range, message: p.message });
  },
};

export default rule;
