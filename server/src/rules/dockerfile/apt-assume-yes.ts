// apt-assume-yes: `apt-get install` without -y stops at the confirmation prompt and fails the build.

import type { DockerfileRule } from '../context';
import type { Fix } from '../../core/findings';
import type { Word } from '../../parse/shell';
import { aptInstalls, aptSimulates, insertAfter } from '../../model/dockerfile/runScripts';
import { wordRange } from '../../model/dockerfile/wordsAndEdits';
import { runsProgram } from '../runPrograms';

const ASSUME_YES = /^APT::Get::Assume-Yes=(true|1|yes)$/i;
const SHORT_FLAGS = /^-[a-zA-Z]+$/;

/** -y, --yes, --assume-yes, or quiet level 2 (which implies yes). */
function answersYes(words: Word[]): boolean {
  let quiet = 0;
  for (let i = 0; i < words.length; i++) {
    const v = words[i].value;
    if (v === '--') break;
    if (v === '--yes' || v === '--assume-yes' || v === '--force-yes') return true;
    if ((v === '-o' || v === '--option') && ASSUME_YES.test(words[i + 1]?.value ?? '')) return true;
    if (v === '--quiet') { quiet++; continue; }
    if (v === '-q=2' || v === '--quiet=2') return true;
    if (SHORT_FLAGS.test(v)) {
      if (v.includes('y')) return true;
      for (const c of v) if (c === 'q') quiet++;
    }
  }
  return quiet >= 2;
}

const rule: DockerfileRule = {
  meta: {
    id: 'apt-assume-yes',
    language: 'dockerfile',
    category: 'build',
    title: 'Pass -y to apt-get install',
    severity: 'warning',
    fix: 'safe',
    hadolint: ['DL3014'],
    docs: {
      rationale:
        'A build has no one to answer `Do you want to continue? [Y/n]`. Without `-y` apt-get aborts as soon as it ' +
        'needs confirmation, which happens whenever extra dependencies are pulled in.',
      invalid: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n',
      valid: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n',
      notes:
        '`-qq` (quiet level 2) implies yes and is accepted, and a simulation (`-s`, `--simulate`, `--dry-run`) asks ' +
        'nothing. `hadolintCompat: true` (or the top-level `hadolintCompat: true` in `.hullcheck.yaml`) reports ' +
        'simulations too, as hadolint\'s DL3014 does. The fix adds `-y` after `install`.',
    },
  },
  check(ctx) {
    // files without apt-get or apt have no install to check: skip the walk over every command
    if (!runsProgram(ctx.parsed, 'apt-get', 'apt')) return;
    const compat = ctx.options.hadolintCompat === true;
    for (const { found } of aptInstalls(ctx.parsed)) {
      const words = [...found.before, ...found.rest];
      // a simulation asks nothing; hadolint's DL3014 does not know the flag and reports it
      if (answersYes(words) || (!compat && aptSimulates(words))) continue;
      const fixes: Fix[] = [insertAfter(ctx.parsed, found.sub, ' -y', 'Add -y')];
      ctx.report({ range: wordRange(ctx.parsed, found.sub), message: '`apt-get install` without `-y` stops at the confirmation prompt; add `-y`.', fixes });
    }
  },
};

export default rule;
