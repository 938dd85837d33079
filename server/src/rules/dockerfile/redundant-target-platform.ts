// redundant-target-platform: `FROM --platform=$TARGETPLATFORM` asks for what every stage gets anyway.

import type { DockerfileRule } from '../context';
import { fix } from '../../model/dockerfile/wordsAndEdits';

const TARGET_ONLY = /^(?:\$TARGETPLATFORM|\$\{TARGETPLATFORM\}|"\$TARGETPLATFORM"|"\$\{TARGETPLATFORM\}")$/;

const rule: DockerfileRule = {
  meta: {
    id: 'redundant-target-platform',
    language: 'dockerfile',
    category: 'style',
    title: 'Drop --platform=$TARGETPLATFORM from FROM',
    severity: 'warning',
    fix: 'safe',
    hadolint: ['DL3065'],
    buildkit: ['RedundantTargetPlatform'],
    docs: {
      rationale:
        'A stage is built for the target platform unless `--platform` says otherwise, so ' +
        '`--platform=$TARGETPLATFORM` changes nothing and only adds noise. (`$BUILDPLATFORM` is the useful one, for ' +
        'cross-compiling stages.)',
      invalid: 'FROM --platform=$TARGETPLATFORM alpine:3.20\nRUN echo hi\n',
      valid: 'FROM --platform=$BUILDPLATFORM golang:1.22 AS build\nRUN echo hi\n',
      notes: 'The fix removes the flag; the stage keeps building for the same platform.',
    },
  },
  check(ctx) {
    const p = ctx.parsed;
    for (const stage of p.stages) {
      const flag = stage.from.flag('platform');
      if (!flag || flag.value === null || !TARGET_ONLY.test(flag.value)) continue;
      const s = p.index.offsetAt(flag.range.start);
      let e = p.index.offsetAt(flag.range.end);
      while (p.text[e] === ' ' || p.text[e] === '\t') e++;
      ctx.report({
        range: flag.range,
        message: `Setting --platform to ${flag.value} is redundant, since stages build for the target platform by default; remove it.`,
        fixes: [fix('Remove the --platform flag', 'safe', { range: { start: p.index.positionAt(s), end: p.index.positionAt(e) }, newText: '' })],
      });
    }
  },
};

export default rule;
