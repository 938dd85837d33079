// workdir-relative-path: a relative WORKDIR before any absolute one in the build depends on the base image's
// working directory, which can change upstream.

import type { DockerfileRule } from '../context';
import type { Instr, Stage } from '../../parse/dockerfile';

const ABSOLUTE = /^(?:["']?)(?:\/|\\|[A-Za-z]:[\\/]|\$)/;

const rule: DockerfileRule = {
  meta: {
    id: 'workdir-relative-path',
    containerTools: ['WORKDIR_IS_NOT_ABSOLUTE'],
    language: 'dockerfile',
    category: 'correctness',
    title: 'Make the first WORKDIR of a stage absolute',
    severity: 'warning',
    fix: 'none',
    hadolint: ['DL3000'],
    buildkit: ['WorkdirRelativePath'],
    docs: {
      rationale:
        'A relative `WORKDIR app` is resolved against the working directory the base image happens to set. If the ' +
        'image changes it, every later COPY and RUN lands somewhere else. Setting an absolute path first makes the ' +
        'layout independent of the base image.',
      invalid: 'FROM nginx:1.27\nWORKDIR usr/share/nginx/html\nCOPY public .\n',
      valid: 'FROM nginx:1.27\nWORKDIR /usr/share/nginx/html\nCOPY public .\n',
      notes:
        'Only the first WORKDIR of a stage is judged; a stage built `FROM` another stage of this file inherits ' +
        'whether an absolute WORKDIR was already set. Values starting with a variable are assumed absolute, and ' +
        'Windows paths (`C:\\app`) count as absolute. Option `hadolintCompat: true` (or the top-level ' +
        '`hadolintCompat: true` in `.hullcheck.yaml`) reports every relative WORKDIR, as hadolint DL3000 does.',
    },
  },
  check(ctx) {
    const report = (instr: Instr) => {
      const path = instr.argsText.trim();
      if (!path || ABSOLUTE.test(path.replace(/^["']/, ''))) return;
      ctx.report({
        range: instr.args[0]?.range ?? instr.range,
        message: `Relative WORKDIR '${path}' depends on the base image's working directory; use an absolute path.`,
      });
    };
    if (ctx.options.hadolintCompat === true) {
      // hadolint's DL3000 reports every relative WORKDIR, also one that resolves against an earlier absolute one
      for (const instr of ctx.parsed.instructions) if (instr.keyword === 'WORKDIR') report(instr);
      return;
    }
    // A WORKDIR before any FROM belongs to no stage: it is always relative to an unknown directory.
    for (const instr of ctx.parsed.instructions) {
      if (instr.stage) break;
      if (instr.keyword === 'WORKDIR') report(instr);
    }
    const set = new Map<Stage, boolean>();
    for (const stage of ctx.parsed.stages) {
      let done = stage.parent ? set.get(stage.parent) ?? false : false;
      for (const instr of stage.instructions) {
        if (instr.keyword !== 'WORKDIR' || done) continue;
        done = true;
        report(instr);
      }
      set.set(stage, done);
    }
  },
};

export default rule;
