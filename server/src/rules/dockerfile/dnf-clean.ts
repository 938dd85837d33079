// dnf-clean: dnf installs should remove the package cache in the same RUN so it does not stay in the layer.

import type { DockerfileRule } from '../context';
import { appendToRun } from '../../model/dockerfile/runScripts';
import { uncleaned, DNF } from '../rpmTools';
import { wordRange } from '../../model/dockerfile/wordsAndEdits';
import { runsProgram } from '../runPrograms';
import { modelOf } from '../../model/dockerfile/model';

const rule: DockerfileRule = {
  meta: {
    id: 'dnf-clean',
    language: 'dockerfile',
    category: 'size',
    title: 'Clean the dnf cache after installing',
    severity: 'warning',
    fix: 'safe',
    hadolint: ['DL3040'],
    docs: {
      rationale:
        'dnf keeps repository metadata and downloaded packages under `/var/cache/dnf`. Unless the same RUN removes ' +
        'them, they are baked into the layer and a later cleanup cannot shrink the image.',
      invalid: 'FROM fedora:40\nRUN dnf install -y httpd-2.4.62\n',
      valid: 'FROM fedora:40\nRUN dnf install -y httpd-2.4.62 && dnf clean all\n',
      notes:
        'The cleanup must come after the install in the same RUN. A cache or tmpfs mount on the cache folder also ' +
        'satisfies the rule. The fix appends `&& dnf clean all` to the RUN.',
    },
  },
  check(ctx) {
    // most files never run dnf: skip the walk over every command
    if (!runsProgram(ctx.parsed, ...DNF.programs)) return;
    for (const { instr } of modelOf(ctx.parsed).posixRuns) {
      const missing = uncleaned(DNF, instr, true);
      if (missing.length === 0) continue;
      const m = missing[0];
      const fix = appendToRun(ctx.parsed, instr, `${m.program} clean all`, 'Clean the cache in the same RUN');
      ctx.report({
        range: wordRange(ctx.parsed, m.sub),
        message: `\`${m.program} ${m.sub.value}\` leaves its cache in the layer; clean it in the same RUN (\`${m.program} clean all\`).`,
        fixes: fix ? [fix] : [],
      });
    }
  },
};

export default rule;
