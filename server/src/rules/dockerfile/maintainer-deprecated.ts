// maintainer-deprecated: MAINTAINER is deprecated; the author belongs in the OCI authors label.

import type { DockerfileRule } from '../context';
import { fix, replaceSpan } from '../../model/dockerfile/wordsAndEdits';

const rule: DockerfileRule = {
  meta: {
    id: 'maintainer-deprecated',
    containerTools: ['DEPRECATED_MAINTAINER'],
    language: 'dockerfile',
    category: 'metadata',
    title: 'Use the authors label instead of MAINTAINER',
    severity: 'warning',
    fix: 'unsafe',
    hadolint: ['DL4000'],
    buildkit: ['MaintainerDeprecated'],
    docs: {
      rationale:
        '`MAINTAINER` has been deprecated for years. The standard place for the image author is the ' +
        '`org.opencontainers.image.authors` label, which registries and scanners read.',
      invalid: 'FROM alpine:3.20\nMAINTAINER Jane Doe <jane@example.com>\n',
      valid: 'FROM alpine:3.20\nLABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"\n',
      notes:
        'The fix replaces the instruction with `LABEL org.opencontainers.image.authors="…"`. It is marked unsafe ' +
        'because the image\'s legacy `Author` field is no longer set, which tools reading that field would notice.',
    },
  },
  check(ctx) {
    const p = ctx.parsed;
    for (const outer of p.instructions) {
      const instr = outer.keyword === 'MAINTAINER' ? outer : outer.onbuild?.keyword === 'MAINTAINER' ? outer.onbuild : undefined;
      if (!instr) continue;
      const value = instr.argsText.replace(new RegExp(`\\${p.escapeChar}[ \\t]*\\r?\\n[ \\t]*`, 'g'), ' ').trim();
      const quoted = /^"(?:[^"\\]|\\.)*"$/.test(value) ? value : `"${value.replace(/["\\]/g, '\\$&')}"`;
      const fixes = value && instr === outer
        ? [fix('Replace with the org.opencontainers.image.authors label', 'unsafe',
          replaceSpan(p, instr.startOffset, instr.endOffset, `LABEL org.opencontainers.image.authors=${quoted}`))]
        : [];
      ctx.report({
        range: instr.keywordRange,
        message: 'MAINTAINER is deprecated; set the `org.opencontainers.image.authors` label instead.',
        fixes,
      });
    }
  },
};

export default rule;
