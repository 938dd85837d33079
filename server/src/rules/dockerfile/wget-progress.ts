// wget-progress: wget's default progress bar floods build logs with one line per update.

import type { DockerfileRule } from '../context';
import { programArgs, programIndex } from '../../parse/shell';
import { anyFlag, insertAfter, progOf } from '../../model/dockerfile/runScripts';
import { wordRange } from '../../model/dockerfile/wordsAndEdits';
import { runsProgram } from '../runPrograms';
import { modelOf } from '../../model/dockerfile/model';

const QUIETING = ['--progress', '-q', '--quiet', '-nv', '--no-verbose', '-o', '--output-file', '-a', '--append-output'];

const rule: DockerfileRule = {
  meta: {
    id: 'wget-progress',
    language: 'dockerfile',
    category: 'style',
    title: 'Limit wget progress output',
    severity: 'info',
    fix: 'unsafe',
    hadolint: ['DL3047'],
    docs: {
      rationale:
        'Without a terminal, wget prints its progress as a long stream of dots that can swamp the build log for large ' +
        'downloads. `--progress=dot:giga` keeps it short; `-q` or `-nv` silence it.',
      invalid: 'FROM debian:bookworm-slim\nRUN wget https://example.com/tool.tar.gz\n',
      valid: 'FROM debian:bookworm-slim\nRUN wget --progress=dot:giga https://example.com/tool.tar.gz\n',
      notes: 'The fix adds `--progress=dot:giga`. It is marked unsafe because BusyBox wget (Alpine) does not know that option.',
    },
  },
  check(ctx) {
    // most files never run wget: skip the walk over every command
    if (!runsProgram(ctx.parsed, 'wget')) return;
    for (const { instr } of modelOf(ctx.parsed).posixRuns) {
      for (const cmd of instr.commands()) {
        if (progOf(cmd) !== 'wget' || anyFlag(programArgs(cmd), QUIETING)) continue;
        const word = cmd.words[programIndex(cmd)];
        ctx.report({
          range: wordRange(ctx.parsed, word),
          message: 'wget without a progress option floods the build log; add `--progress=dot:giga` (or `-q`).',
          fixes: [insertAfter(ctx.parsed, word, ' --progress=dot:giga', 'Add --progress=dot:giga', 'unsafe')],
        });
      }
    }
  },
};

export default rule;
