// cd-use-workdir: changing directory with `cd` in RUN hides where later steps run; WORKDIR states it.

import type { DockerfileRule } from '../context';
import { progOf } from '../../model/dockerfile/runScripts';
import { wordRange } from '../../model/dockerfile/wordsAndEdits';
import { programIndex } from '../../parse/shell';
import { runsProgram } from '../runPrograms';
import { modelOf } from '../../model/dockerfile/model';

const rule: DockerfileRule = {
  meta: {
    id: 'cd-use-workdir',
    language: 'dockerfile',
    category: 'style',
    title: 'Use WORKDIR instead of cd',
    severity: 'warning',
    fix: 'none',
    hadolint: ['DL3003'],
    docs: {
      rationale:
        'A `cd` only lasts until the end of its RUN, so readers (and later instructions) cannot rely on it, and long ' +
        '`cd a && … && cd b` chains are easy to get wrong. `WORKDIR` sets the directory for every following ' +
        'instruction and creates it if needed.',
      invalid: 'FROM node:22-slim\nCOPY . /src\nRUN cd /src && npm ci\n',
      valid: 'FROM node:22-slim\nWORKDIR /src\nCOPY . .\nRUN npm ci\n',
      notes: 'A `cd` inside a subshell, as in `RUN (cd /src && make) && make install`, is not reported: it changes the ' +
        'directory of the subshell only, which is the point of writing it so. hadolint\'s DL3003 reports it; ' +
        '`hadolintCompat: true` does too.',
    },
  },
  check(ctx) {
    // most files never run cd: skip the walk over every command
    if (!runsProgram(ctx.parsed, 'cd')) return;
    const compat = ctx.options.hadolintCompat === true;
    for (const { instr } of modelOf(ctx.parsed).posixRuns) {
      for (const cmd of instr.commands()) {
        // a cd inside `( … )` only moves the subshell: the rest of the RUN keeps its directory on purpose
        if (progOf(cmd) !== 'cd' || (cmd.depth > 0 && !compat)) continue;
        ctx.report({ range: wordRange(ctx.parsed, cmd.words[programIndex(cmd)]), message: '`cd` in RUN only lasts for this instruction; set the directory with WORKDIR instead.' });
        break;
      }
    }
  },
};

export default rule;
