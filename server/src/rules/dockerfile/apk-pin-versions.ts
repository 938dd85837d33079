// apk-pin-versions: `apk add <pkg>` without a version follows whatever the Alpine repository has today.

import type { DockerfileRule } from '../context';
import { afterSubcommand, isPathOrUrl, progOf, splitArgs } from '../../model/dockerfile/runScripts';
import { wordRange } from '../../model/dockerfile/wordsAndEdits';
import { valueOptionSet } from '../../model/dockerfile/programOptions';
import { runsProgram } from '../runPrograms';
import { modelOf } from '../../model/dockerfile/model';

const VALUE_FLAGS = valueOptionSet('apk');
const CONSTRAINT = /[=~<>]/;
const WHOLE_VAR = /^\$(\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*)$/;

const rule: DockerfileRule = {
  meta: {
    id: 'apk-pin-versions',
    language: 'dockerfile',
    category: 'build',
    title: 'Pin package versions in apk add',
    severity: 'warning',
    fix: 'none',
    hadolint: ['DL3018'],
    docs: {
      rationale:
        'Alpine repositories move forward within a release, so `apk add curl` can install a different build each ' +
        'time. Pinning (`curl=8.9.1-r0`, or a fuzzy `curl~8.9`) keeps rebuilds reproducible and upgrades deliberate.',
      invalid: 'FROM alpine:3.20\nRUN apk add --no-cache curl\n',
      valid: 'FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r0 "ca-certificates>=20240705"\n',
      notes: 'Any constraint (`=`, `~`, `>`, `<`) counts as pinned. Local `.apk` files and whole-variable words are not checked.',
    },
  },
  check(ctx) {
    // most files never run apk: skip the walk over every command
    if (!runsProgram(ctx.parsed, 'apk')) return;
    for (const { instr } of modelOf(ctx.parsed).posixRuns) {
      for (const cmd of instr.commands()) {
        if (progOf(cmd) !== 'apk') continue;
        const found = afterSubcommand(cmd, [['add']], VALUE_FLAGS);
        if (!found) continue;
        const unpinned = splitArgs(found.rest, VALUE_FLAGS).positionals
          .filter((w) => !CONSTRAINT.test(w.value) && !w.value.endsWith('.apk') && !isPathOrUrl(w.value) && !WHOLE_VAR.test(w.value));
        if (unpinned.length === 0) continue;
        ctx.report({ range: wordRange(ctx.parsed, unpinned[0]), message: `apk adds ${unpinned.map((w) => `\`${w.value}\``).join(', ')} without a version; pin them as \`name=version\`.` });
      }
    }
  },
};

export default rule;
