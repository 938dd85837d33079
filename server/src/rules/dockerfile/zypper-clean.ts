// zypper-clean: zypper installs should remove the package cache in the same RUN so it does not stay in the layer.

import type { DockerfileRule } from '../context';
import { appendToRun } from '../../model/dockerfile/runScripts';
import { uncleaned, ZYPPER } from '../rpmTools';
import { wordRange } from '../../model/dockerfile/wordsAndEdits';
import { runsProgram } from '../runPrograms';
import { modelOf } from '../../model/dockerfile/model';

const rule: DockerfileRule = {
  meta: {
    id: 'zypper-clean',
    language: 'dockerfile',
    category: 'size',
    title: 'Clean the zypper cache after installing',
    severity: 'warning',
    fix: 'safe',
    hadolint: ['DL3036'],
    docs: {
      rationale:
        'zypper keeps repository metadata and downloaded packages under `/var/cache/zypp`. Unless the same RUN removes ' +
        'them, they are baked into the layer and a later cleanup cannot shrink the image.',
      invalid: 'FROM opensuse/leap:15.6\nRUN zypper install -y curl=8.6.0\n',
      valid: 'FROM opensuse/leap:15.6\nRUN zypper install -y curl=8.6.0 && zypper clean --all\n',
      notes:
        'The cleanup must come after the install in the same RUN. A cache or tmpfs mount on the cache folder also ' +
        'satisfies the rule. The fix appends `&& zypper clean --all` to the RUN.',
    },
  },
  check(ctx) {
    // most files never run zypper: skip the walk over every command
    if (!runsProgram(ctx.parsed, ...ZYPPER.programs)) return;
    for (const { instr } of modelOf(ctx.parsed).posixRuns) {
      const missing = uncleaned(ZYPPER, instr, false);
      if (missing.length === 0) continue;
      const m = missing[0];
      const fix = appendToRun(ctx.parsed, instr, 'zypper clean --all', 'Clean the cache in the same RUN');
      ctx.report({
        range: wordRange(ctx.parsed, m.sub),
        message: `\`${m.program} ${m.sub.value}\` leaves its cache in the layer; clean it in the same RUN (\`zypper clean --all\`).`,
        fixes: fix ? [fix] : [],
      });
    }
  },
};

export default rule;
