// no-apt: `apt` is the interactive front end; scripts should call apt-get, whose interface is stable.

import type { DockerfileRule } from '../context';
import { progOf } from '../../model/dockerfile/runScripts';
import { fix, replaceSpan, subcommand, wordRange } from '../../model/dockerfile/wordsAndEdits';
import { programIndex } from '../../parse/shell';
import { runsProgram } from '../runPrograms';
import { modelOf } from '../../model/dockerfile/model';

/** Subcommands that apt-get runs the same way, so the swap is safe. */
const SAME_IN_APT_GET = new Set(['install', 'update', 'upgrade', 'remove', 'purge', 'autoremove', 'dist-upgrade', 'clean', 'autoclean', 'source', 'build-dep']);

const rule: DockerfileRule = {
  meta: {
    id: 'no-apt',
    language: 'dockerfile',
    category: 'build',
    title: 'Use apt-get rather than apt in RUN',
    severity: 'warning',
    fix: 'safe',
    hadolint: ['DL3027'],
    docs: {
      rationale:
        '`apt` is meant for people at a terminal: its output and behaviour may change between releases and it ' +
        'warns that it has no stable command-line interface. `apt-get` (and `apt-cache`) are the tools meant for ' +
        'scripts.',
      invalid: 'FROM debian:bookworm-slim\nRUN apt update && apt install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n',
      valid: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n',
      notes: 'The fix replaces `apt` with `apt-get` for subcommands both tools share (install, update, upgrade, remove, …).',
    },
  },
  check(ctx) {
    // most files never run apt: skip the walk over every command
    if (!runsProgram(ctx.parsed, 'apt')) return;
    for (const { instr } of modelOf(ctx.parsed).posixRuns) {
      for (const cmd of instr.commands()) {
        if (progOf(cmd) !== 'apt') continue;
        const word = cmd.words[programIndex(cmd)];
        const sub = subcommand(cmd)?.value ?? '';
        const fixes = word.value === 'apt' && SAME_IN_APT_GET.has(sub)
          ? [fix('Use apt-get', 'safe', replaceSpan(ctx.parsed, word.start, word.end, 'apt-get'))] : [];
        ctx.report({ range: wordRange(ctx.parsed, word), message: '`apt` has no stable scripting interface; use `apt-get` in Dockerfiles.', fixes });
      }
    }
  },
};

export default rule;
