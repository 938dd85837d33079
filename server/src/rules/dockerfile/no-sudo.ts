// no-sudo: builds already run as the current USER; sudo adds a setuid binary and unpredictable environments.

import type { DockerfileRule } from '../context';
import { progOf } from '../../model/dockerfile/runScripts';
import { programIndex } from '../../parse/shell';
import { wordRange } from '../../model/dockerfile/wordsAndEdits';
import { modelOf } from '../../model/dockerfile/model';

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
const isSudo = (word: string): boolean => word === 'sudo' || word.endsWith('/sudo');

const rule: DockerfileRule = {
  meta: {
    id: 'no-sudo',
    language: 'dockerfile',
    category: 'security',
    title: 'Do not use sudo in RUN',
    severity: 'warning',
    fix: 'none',
    hadolint: ['DL3004'],
    docs: {
      rationale:
        '`sudo` brings a setuid binary and its configuration into the image, behaves differently with and without a ' +
        'TTY, and hides which user a step really runs as. Switch users with `USER root` … `USER app` around the ' +
        'steps that need it (or use `gosu`/`su-exec` at runtime).',
      invalid: 'FROM debian:bookworm-slim\nUSER app\nRUN sudo apt-get update\n',
      valid: 'FROM debian:bookworm-slim\nUSER root\nRUN apt-get update\nUSER app\n',
    },
  },
  check(ctx) {
    for (const { instr } of modelOf(ctx.parsed).posixRuns) {
      let hit;
      for (const cmd of instr.commands()) {
        // (memoized) a command whose first word is its program, and not sudo, cannot start with sudo: a leading
        // `sudo` is skipped as a wrapper, and a path such as /usr/bin/sudo is the program itself
        if (programIndex(cmd) === 0 && progOf(cmd) !== 'sudo') continue;
        for (const w of cmd.words) {
          if (ASSIGNMENT.test(w.raw)) continue;
          if (isSudo(w.value)) hit = w;
          break;
        }
        if (hit) break;
      }
      if (hit) ctx.report({ range: wordRange(ctx.parsed, hit), message: '`sudo` in RUN; switch with USER around the steps that need root instead.' });
    }
  },
};

export default rule;
