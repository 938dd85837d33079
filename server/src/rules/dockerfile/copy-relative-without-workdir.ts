// copy-relative-without-workdir: a relative COPY destination depends on a WORKDIR the stage never set.

import type { DockerfileRule } from '../context';
import type { Instr, Stage } from '../../parse/dockerfile';
import { hasHeredoc } from '../../model/dockerfile/packages';
import { rawArgs } from '../../model/dockerfile/runScripts';

const ABSOLUTE = /^(\/|\$|[A-Za-z]:[\\/])/;

/** The destination word: the last argument, or the last one on the line that opens a heredoc. */
function destWord(instr: Instr): Instr['args'][number] | undefined {
  const line = instr.range.start.line;
  const args = hasHeredoc(instr) ? instr.args.filter((a) => a.range.start.line === line) : instr.args;
  return args[args.length - 1];
}

const rule: DockerfileRule = {
  meta: {
    id: 'copy-relative-without-workdir',
    language: 'dockerfile',
    category: 'correctness',
    title: 'Set WORKDIR before copying to a relative path',
    severity: 'warning',
    fix: 'none',
    hadolint: ['DL3045'],
    docs: {
      rationale:
        'A relative `COPY` destination is resolved against the working directory, which comes from the base image ' +
        'when the stage sets none. Files then land wherever the base image author chose, and move when the base ' +
        'image changes. Set `WORKDIR` first or use an absolute destination.',
      invalid: 'FROM node:22-slim\nCOPY package.json ./\n',
      valid: 'FROM node:22-slim\nWORKDIR /app\nCOPY package.json ./\n',
      notes: 'A WORKDIR in a stage this one builds on (`FROM base`) counts. A stage on `scratch` (directly or through its stages) is not reported: scratch has no config, so the working directory is `/` for certain (with `hadolintCompat: true` it is, as DL3045 does). For a heredoc copy (`COPY <<EOT /etc/app.conf`) the destination is the last word of the opening line. ONBUILD triggers are not checked, since the child image decides their working directory.',
    },
  },
  check(ctx) {
    const hasWorkdir = new Set<Stage | undefined>();
    // hadolint's DL3045 reports a stage on scratch too
    const compat = ctx.options.hadolintCompat === true;
    for (const instr of ctx.parsed.instructions) {
      const stage = instr.stage;
      if (instr.keyword === 'FROM') {
        // a WORKDIR in the stage this one builds on counts; on `scratch` (no config at all) the directory is `/` for certain
        if ((stage?.parent && hasWorkdir.has(stage.parent)) || (!compat && stage && !stage.parent && stage.image.toLowerCase() === 'scratch')) hasWorkdir.add(stage);
        continue;
      }
      if (instr.keyword === 'WORKDIR') { hasWorkdir.add(stage); continue; }
      if (instr.keyword !== 'COPY' || hasWorkdir.has(stage)) continue;
      const words = rawArgs(instr, ctx.parsed.escapeChar);
      if (words.length < 2) continue;
      const dest = words[words.length - 1];
      if (ABSOLUTE.test(dest)) continue;
      ctx.report({
        range: destWord(instr)?.range ?? instr.keywordRange,
        message: `COPY to the relative path \`${dest}\` with no WORKDIR in this stage; set WORKDIR first or use an absolute path.`,
      });
    }
  },
};

export default rule;
