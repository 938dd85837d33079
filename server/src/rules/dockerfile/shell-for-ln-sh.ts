// shell-for-ln-sh: replacing /bin/sh with a symlink changes every script in the image; SHELL changes only the build.

import type { DockerfileRule } from '../context';
import { programArgs, programIndex } from '../../parse/shell';
import { progOf, splitArgs } from '../../model/dockerfile/runScripts';
import { wordRange } from '../../model/dockerfile/wordsAndEdits';
import { runsProgram } from '../runPrograms';
import { modelOf } from '../../model/dockerfile/model';

const LN_VALUE_FLAGS = new Set(['-t', '--target-directory', '-S', '--suffix']);

const rule: DockerfileRule = {
  meta: {
    id: 'shell-for-ln-sh',
    language: 'dockerfile',
    category: 'correctness',
    title: 'Use SHELL instead of relinking /bin/sh',
    severity: 'warning',
    fix: 'none',
    hadolint: ['DL4005'],
    docs: {
      rationale:
        '`ln -sf /bin/bash /bin/sh` swaps the system shell for every program and maintainer script in the image, ' +
        'and package upgrades may silently undo it. To run RUN steps with another shell, say so with ' +
        '`SHELL ["/bin/bash", "-c"]`.',
      invalid: 'FROM debian:bookworm-slim\nRUN ln -sf /bin/bash /bin/sh\n',
      valid: 'FROM debian:bookworm-slim\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\n',
    },
  },
  check(ctx) {
    // most files never run ln: skip the walk over every command
    if (!runsProgram(ctx.parsed, 'ln')) return;
    for (const { instr } of modelOf(ctx.parsed).posixRuns) {
      for (const cmd of instr.commands()) {
        if (progOf(cmd) !== 'ln') continue;
        const pos = splitArgs(programArgs(cmd), LN_VALUE_FLAGS).positionals;
        if (pos.length < 2 || pos[pos.length - 1].value !== '/bin/sh') continue;
        ctx.report({ range: wordRange(ctx.parsed, cmd.words[programIndex(cmd)]), message: 'Relinking `/bin/sh` changes the shell for the whole image; use a SHELL instruction instead.' });
      }
    }
  },
};

export default rule;
