// no-inline-ignore: a policy rule (off by default) that flags inline suppression comments.

import type { DockerfileRule } from '../context';
import { parsePragma } from '../../parse/pragma';


const rule: DockerfileRule = {
  meta: {
    id: 'no-inline-ignore',
    language: 'dockerfile',
    category: 'style',
    title: 'Do not suppress rules with inline comments',
    severity: 'off',
    fix: 'none',
    hadolint: ['DL1001'],
    docs: {
      rationale:
        'Inline `# hullcheck ignore=` and `# hadolint ignore=` comments switch checks off where nobody reviews them. ' +
        'Teams that want every exception to live in the shared configuration can turn this rule on.',
      invalid: 'FROM alpine:3.20\n# hadolint ignore=DL3018\nRUN apk add --no-cache curl\n',
      valid: 'FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r0\n',
      notes: 'Off by default. Covers `ignore=`, `global ignore=` and `stage ignore=` for both prefixes.',
    },
  },
  check(ctx) {
    const { index } = ctx.parsed;
    const all = ctx.parsed.text;
    for (let line = 0; line < index.lineCount; line++) {
      // only a line with `#` can be a pragma: look for one before slicing the line
      const hash = all.indexOf('#', index.starts[line]);
      if (hash < 0) break;
      // (jump to the line that holds it, so a big file is not scanned again from every line)
      if (hash >= index.lineEnd(line)) { line = index.positionAt(hash).line - 1; continue; }
      const text = index.lineText(line);
      const trimmed = text.trimStart();
      if (!trimmed.startsWith('#') || parsePragma(trimmed)?.key !== 'ignore') continue;
      const col = text.length - trimmed.length;
      ctx.report({
        range: { start: { line, character: col }, end: { line, character: text.trimEnd().length } },
        message: 'Inline suppression comment; record the exception in the configuration file instead.',
      });
    }
  },
};

export default rule;
