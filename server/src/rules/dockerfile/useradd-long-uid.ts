// useradd-long-uid: a large UID without -l makes useradd write huge sparse lastlog/faillog files.

import type { DockerfileRule } from '../context';
import { programArgs, programIndex } from '../../parse/shell';
import { anyFlag, insertAfter, progOf } from '../../model/dockerfile/runScripts';
import { wordRange } from '../../model/dockerfile/wordsAndEdits';
import { runsProgram } from '../runPrograms';
import { modelOf } from '../../model/dockerfile/model';

const LONG_UID = /^\d{6,}$/;

const rule: DockerfileRule = {
  meta: {
    id: 'useradd-long-uid',
    language: 'dockerfile',
    category: 'size',
    title: 'Pass -l to useradd with a large UID',
    severity: 'warning',
    fix: 'safe',
    hadolint: ['DL3046'],
    docs: {
      rationale:
        '`useradd` records every user in `/var/log/lastlog` and `/var/log/faillog`, files indexed by UID. With a UID ' +
        'such as 100000 they become sparse files that Docker stores at their full apparent size, adding megabytes or ' +
        'gigabytes to the layer. `-l` (`--no-log-init`) skips them.',
      invalid: 'FROM debian:bookworm-slim\nRUN useradd -u 100000 app\n',
      valid: 'FROM debian:bookworm-slim\nRUN useradd -l -u 100000 app\n',
      notes: 'UIDs of six digits or more are reported. The fix adds `-l` after `useradd`.',
    },
  },
  check(ctx) {
    // most files never run useradd: skip the walk over every command
    if (!runsProgram(ctx.parsed, 'useradd')) return;
    for (const { instr } of modelOf(ctx.parsed).posixRuns) {
      for (const cmd of instr.commands()) {
        if (progOf(cmd) !== 'useradd') continue;
        const args = programArgs(cmd);
        if (anyFlag(args, ['-l', '--no-log-init'])) continue;
        let uid = '';
        for (let i = 0; i < args.length; i++) {
          const v = args[i].value;
          if (v === '-u' || v === '--uid') uid = args[i + 1]?.value ?? '';
          else if (v.startsWith('--uid=')) uid = v.slice(6);
          else if (v.startsWith('-u') && v.length > 2 && !v.startsWith('--')) uid = v.slice(2);
        }
        if (!LONG_UID.test(uid)) continue;
        const word = cmd.words[programIndex(cmd)];
        ctx.report({
          range: wordRange(ctx.parsed, word),
          message: `useradd with UID ${uid} and no \`-l\` writes large sparse log files into the layer; add \`-l\`.`,
          fixes: [insertAfter(ctx.parsed, word, ' -l', 'Add -l (--no-log-init)')],
        });
      }
    }
  },
};

export default rule;
