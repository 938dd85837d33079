// zypper-no-dist-upgrade: a distribution upgrade inside an image build moves the base to an untested state.

import type { DockerfileRule } from '../context';
import { afterSubcommand, progOf } from '../../model/dockerfile/runScripts';
import { wordRange } from '../../model/dockerfile/wordsAndEdits';
import { valueOptionSet } from '../../model/dockerfile/programOptions';
import { runsProgram } from '../runPrograms';
import { modelOf } from '../../model/dockerfile/model';

const VALUE_FLAGS = valueOptionSet('zypper');

const rule: DockerfileRule = {
  meta: {
    id: 'zypper-no-dist-upgrade',
    language: 'dockerfile',
    category: 'build',
    title: 'Do not run zypper dist-upgrade in a build',
    severity: 'warning',
    fix: 'none',
    hadolint: ['DL3035'],
    docs: {
      rationale:
        '`zypper dist-upgrade` can move every package of the base image to another version, vendor or even ' +
        'release, in one opaque step whose result depends on the day of the build. Use a newer base image instead, ' +
        'and install or update only the packages you need.',
      invalid: 'FROM opensuse/leap:15.6\nRUN zypper -n dist-upgrade\n',
      valid: 'FROM opensuse/leap:15.6\nRUN zypper -n install curl=8.6.0 && zypper clean --all\n',
    },
  },
  check(ctx) {
    // most files never run zypper: skip the walk over every command
    if (!runsProgram(ctx.parsed, 'zypper')) return;
    for (const { instr } of modelOf(ctx.parsed).posixRuns) {
      for (const cmd of instr.commands()) {
        if (progOf(cmd) !== 'zypper') continue;
        const found = afterSubcommand(cmd, [['dist-upgrade'], ['dup']], VALUE_FLAGS);
        if (!found) continue;
        ctx.report({ range: wordRange(ctx.parsed, found.sub), message: '`zypper dist-upgrade` upgrades the whole distribution during the build; use a newer base image instead.' });
      }
    }
  },
};

export default rule;
