// wget-and-curl: installing and using both download tools in one image is redundant.

import type { DockerfileRule } from '../context';
import type { Stage } from '../../parse/dockerfile';
import { programIndex } from '../../parse/shell';
import { progOf } from '../../model/dockerfile/runScripts';
import { wordRange } from '../../model/dockerfile/wordsAndEdits';
import { modelOf } from '../../model/dockerfile/model';

const rule: DockerfileRule = {
  meta: {
    id: 'wget-and-curl',
    language: 'dockerfile',
    category: 'size',
    title: 'Use either wget or curl, not both',
    severity: 'warning',
    fix: 'none',
    hadolint: ['DL4001'],
    docs: {
      rationale:
        '`wget` and `curl` do the same job. A stage that uses both needs both installed, which adds size and attack ' +
        'surface for nothing. Pick one and use it everywhere in the stage.',
      invalid: 'FROM debian:bookworm-slim\nRUN wget -q https://example.com/a.tar.gz\nRUN curl -fsSLO https://example.com/b.tar.gz\n',
      valid: 'FROM debian:bookworm-slim\nRUN curl -fsSLO https://example.com/a.tar.gz\nRUN curl -fsSLO https://example.com/b.tar.gz\n',
      notes: 'Reported on each RUN that uses one tool after the other one was already used in the same stage.',
    },
  },
  check(ctx) {
    const used = new Map<Stage | undefined, Set<string>>();
    for (const { instr, stage } of modelOf(ctx.parsed).posixRuns) {
      const seen = used.get(stage) ?? new Set<string>();
      used.set(stage, seen);
      let hit;
      for (const cmd of instr.commands()) {
        const p = progOf(cmd);
        if (p !== 'wget' && p !== 'curl') continue;
        seen.add(p);
        if (!hit && seen.has(p === 'wget' ? 'curl' : 'wget')) hit = cmd.words[programIndex(cmd)];
      }
      if (hit) ctx.report({ range: wordRange(ctx.parsed, hit), message: 'This stage uses both wget and curl; pick one of them.' });
    }
  },
};

export default rule;
