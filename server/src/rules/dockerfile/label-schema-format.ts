// label-schema-format: label values must match the type the label schema gives them.

import type { DockerfileRule } from '../context';
import { fitsType, labelPairs, TYPE_NAMES } from '../labelSchema';

const rule: DockerfileRule = {
  meta: {
    id: 'label-schema-format',
    language: 'dockerfile',
    category: 'metadata',
    title: 'Match label values to their schema type',
    severity: 'warning',
    fix: 'none',
    hadolint: ['DL3052', 'DL3053', 'DL3054', 'DL3055', 'DL3056', 'DL3058'],
    docs: {
      rationale:
        'Tools that read labels expect well-formed values: a URL for a source link, an RFC 3339 timestamp for a ' +
        'build date, an SPDX expression for a license, a commit hash for a revision, a semantic version, an email ' +
        'address. A malformed value is as good as a missing one.',
      invalid: 'FROM alpine:3.20\nLABEL source="git.example.com/payments" version="v1"\n',
      valid: 'FROM alpine:3.20\nLABEL source="https://git.example.com/payments" version="1.4.0"\n',
      notes:
        'Silent unless `.hadolint.yaml` has a `label-schema`. Types: `url`, `rfc3339`, `spdx`, `hash` (7 to 40 ' +
        'hex digits, or 64), `semver`, `email`; `text` accepts anything. SPDX identifiers are checked against a ' +
        'built-in list of common licenses (plus `LicenseRef-…`). Values with variables are not checked, and empty ' +
        'values are left to `label-schema-empty`.',
      files: { '.hadolint.yaml': 'label-schema:\n  source: url\n  version: semver\n' },
    },
  },
  check(ctx) {
    const schema = ctx.hadolint?.labelSchema ?? {};
    if (Object.keys(schema).length === 0) return;
    for (const outer of ctx.parsed.instructions) {
      const instr = outer.onbuild ?? outer;
      if (instr.keyword !== 'LABEL') continue;
      for (const p of labelPairs(instr)) {
        if (!Object.prototype.hasOwnProperty.call(schema, p.name)) continue;
        const type = String(schema[p.name]);
        const value = p.value.trim();
        if (value === '' || value.includes('$') || fitsType(type, value)) continue;
        ctx.report({
          range: p.valueRange ?? p.nameRange,
          message: `Label \`${p.name}\` should be ${TYPE_NAMES[type.toLowerCase()] ?? type}; fix its value.`,
        });
      }
    }
  },
};

export default rule;
