// compose-schema: the file must be valid YAML and follow the Compose Specification's JSON schema.

import type { ComposeRule } from '../context';
import type { Position, Range } from '../../core/findings';
import { validateCompose } from '../../model/composeSchema';

const rule: ComposeRule = {
  meta: {
    id: 'compose-schema',
    language: 'compose',
    category: 'compose',
    title: 'Follow the Compose Specification',
    severity: 'error',
    errorReason: 'Compose refuses a file that violates the compose-spec schema, so nothing starts.',
    fix: 'none',
    docs: {
      rationale:
        'Compose validates a file against the Compose Specification before it does anything else, so a misspelt key, ' +
        'a list where a mapping belongs or a broken YAML document stops `docker compose up` with one terse error. ' +
        'Checking the same schema while editing points at the exact key and says what was expected.',
      invalid: 'services:\n  web:\n    image: nginx:1.27\n    ports:\n      - target: 80\n        publish: 8080\n',
      valid: 'services:\n  web:\n    image: nginx:1.27\n    ports:\n      - target: 80\n        published: "8080"\n',
      notes:
        'The bundled schema is the canonical `compose-spec.json` from the compose-spec repository (draft-07), plus the ' +
        'service keys Docker Compose already accepts and it does not list yet (`pre_start`). ' +
        'Values that use interpolation (`${REPLICAS}`) are accepted where the schema wants a number or a boolean, ' +
        'because Compose substitutes variables before validating. YAML syntax errors, duplicate keys, lists or mappings ' +
        'used as keys and alias bombs are reported by this rule too. YAML warnings (a tag other than `!reset` and ' +
        '`!override`, an unknown directive) are reported as warnings, and a file holding several YAML documents gets an ' +
        'info note, because Compose releases differ in how they read it. Each problem is reported once, on the deepest ' +
        'key or value it concerns.',
    },
  },
  check(ctx) {
    const { parsed } = ctx;
    for (const p of parsed.problems) ctx.report({ range: p.range, message: p.message, severity: p.severity });
    // a key the parse already reported as an error (a list used as a key) is not reported again by the schema
    const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character <= b.character);
    const overlapsProblem = (r: Range) => parsed.problems.some((p) => !p.severity && before(r.start, p.range.end) && before(p.range.start, r.end));
    parsed.documents.forEach((doc, i) => {
      const value = parsed.values[i];
      // an empty document is fine for YAML but gives Compose nothing to run; syntax errors were reported above
      if (value === undefined || doc.errors.length) return;
      if (value === null) return;
      for (const issue of validateCompose(doc, value)) {
        const range = parsed.range(issue.node ?? doc.contents);
        if (overlapsProblem(range)) continue;
        ctx.report({ range, message: `${issue.message}.` });
      }
    });
  },
};

export default rule;
