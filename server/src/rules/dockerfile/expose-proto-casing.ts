// expose-proto-casing: the protocol of an EXPOSE port should be lower case (`80/tcp`).

import type { DockerfileRule } from '../context';
import { fix } from '../../model/dockerfile/wordsAndEdits';

const rule: DockerfileRule = {
  meta: {
    id: 'expose-proto-casing',
    language: 'dockerfile',
    category: 'style',
    title: 'Write EXPOSE protocols in lower case',
    severity: 'warning',
    fix: 'safe',
    buildkit: ['ExposeProtoCasing'],
    docs: {
      rationale:
        'Docker records exposed ports as `80/tcp` or `53/udp`. An upper-case protocol is accepted today but ' +
        'differs from how the port appears everywhere else (`docker inspect`, compose), which makes searching and ' +
        'comparing harder.',
      invalid: 'FROM nginx:1.27\nEXPOSE 80/TCP\n',
      valid: 'FROM nginx:1.27\nEXPOSE 80/tcp\n',
      notes: 'The fix lower-cases the protocol; Docker normalises it the same way, so the image is unchanged.',
    },
  },
  check(ctx) {
    const p = ctx.parsed;
    for (const outer of p.instructions) {
      const instr = outer.onbuild ?? outer;
      if (instr.keyword !== 'EXPOSE') continue;
      for (const a of instr.args) {
        const slash = a.value.lastIndexOf('/');
        if (slash < 0) continue;
        const proto = a.value.slice(slash + 1);
        if (proto === proto.toLowerCase() || proto.includes('$')) continue;
        const raw = p.text.slice(p.index.offsetAt(a.range.start), p.index.offsetAt(a.range.end));
        const fixes = raw === a.value
          ? [fix(`Write '${a.value.slice(0, slash + 1)}${proto.toLowerCase()}'`, 'safe', {
            range: { start: { line: a.range.start.line, character: a.range.start.character + slash + 1 }, end: a.range.end },
            newText: proto.toLowerCase(),
          })]
          : [];
        ctx.report({
          range: a.range,
          message: `The protocol in '${a.value}' should be lower case; write '${a.value.slice(0, slash + 1)}${proto.toLowerCase()}'.`,
          fixes,
        });
      }
    }
  },
};

export default rule;
