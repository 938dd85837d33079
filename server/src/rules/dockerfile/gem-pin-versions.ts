// gem-pin-versions: `gem install <gem>` without a version installs the newest release at build time.

import type { DockerfileRule } from '../context';
import { afterSubcommand, anyFlag, isPathOrUrl, progOf, splitArgs } from '../../model/dockerfile/runScripts';
import { wordRange } from '../../model/dockerfile/wordsAndEdits';
import { valueOptionSet } from '../../model/dockerfile/programOptions';
import { runsProgram } from '../runPrograms';
import { modelOf } from '../../model/dockerfile/model';

const VALUE_FLAGS = valueOptionSet('gem');
const NOT_GEMS = new Set(['true', 'false']);

const rule: DockerfileRule = {
  meta: {
    id: 'gem-pin-versions',
    language: 'dockerfile',
    category: 'build',
    title: 'Pin versions in gem install',
    severity: 'warning',
    fix: 'none',
    hadolint: ['DL3028'],
    docs: {
      rationale:
        '`gem install bundler` picks the newest release on the day of the build, which can change the result of a ' +
        'rebuild or break it. Pin it with `bundler:2.5.22` or `-v 2.5.22`.',
      invalid: 'FROM ruby:3.3-slim\nRUN gem install bundler\n',
      valid: 'FROM ruby:3.3-slim\nRUN gem install bundler:2.5.22\n',
      notes: 'A `-v`/`--version` flag pins every gem of the command. Arguments after `--` go to the gem\'s build and are ignored.',
    },
  },
  check(ctx) {
    // most files never run gem: skip the walk over every command
    if (!runsProgram(ctx.parsed, 'gem')) return;
    for (const { instr } of modelOf(ctx.parsed).posixRuns) {
      for (const cmd of instr.commands()) {
        if (progOf(cmd) !== 'gem') continue;
        const found = afterSubcommand(cmd, [['install'], ['i']], VALUE_FLAGS);
        if (!found || anyFlag(found.rest, ['-v', '--version'])) continue;
        const unpinned = splitArgs(found.rest, VALUE_FLAGS).positionals
          .filter((w) => !w.value.includes(':') && !NOT_GEMS.has(w.value) && !w.value.endsWith('.gem') && !isPathOrUrl(w.value) && !w.value.startsWith('$'));
        if (unpinned.length === 0) continue;
        ctx.report({ range: wordRange(ctx.parsed, unpinned[0]), message: `gem installs ${unpinned.map((w) => `\`${w.value}\``).join(', ')} without a version; pin them as \`name:version\`.` });
      }
    }
  },
};

export default rule;
