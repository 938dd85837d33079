// yum-clean: yum installs should remove the package cache in the same RUN so it does not stay in the layer.

import type { DockerfileRule } from '../context';
import { appendToRun } from '../../model/dockerfile/runScripts';
import { uncleaned, YUM } from '../rpmTools';
import { wordRange } from '../../model/dockerfile/wordsAndEdits';
import { runsProgram } from '../runPrograms';
import { modelOf } from '../../model/dockerfile/model';

const rule: DockerfileRule = {
  meta: {
    id: 'yum-clean',
    language: 'dockerfile',
    category: 'size',
    title: 'Clean the yum cache after installing',
    severity: 'warning',
    fix: 'safe',
    hadolint: ['DL3032'],
    docs: {
      rationale:
        'yum keeps repository metadata and downloaded packages under `/var/cache/yum`. Unless the same RUN removes ' +
        'them, they are baked into the layer and a later cleanup cannot shrink the image.',
      invalid: 'FROM rockylinux:9\nRUN yum install -y httpd-2.4.57\n',
      valid: 'FROM rockylinux:9\nRUN yum install -y httpd-2.4.57 && yum clean all\n',
      notes:
        'The cleanup must come after the install in the same RUN. A cache or tmpfs mount on the cache folder also ' +
        'satisfies the rule. The fix appends `&& yum clean all` to the RUN.',
    },
  },
  check(ctx) {
    // most files never run yum: skip the walk over every command
    if (!runsProgram(ctx.parsed, ...YUM.programs)) return;
    for (const { instr } of modelOf(ctx.parsed).posixRuns) {
      const missing = uncleaned(YUM, instr, false);
      if (missing.length === 0) continue;
      const m = missing[0];
      const fix = appendToRun(ctx.parsed, instr, 'yum clean all', 'Clean the cache in the same RUN');
      ctx.report({
        range: wordRange(ctx.parsed, m.sub),
        message: `\`${m.program} ${m.sub.value}\` leaves its cache in the layer; clean it in the same RUN (\`yum clean all\`).`,
        fixes: fix ? [fix] : [],
      });
    }
  },
};

export default rule;
