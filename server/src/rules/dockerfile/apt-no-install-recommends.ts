// apt-no-install-recommends: `apt-get install` should not pull in recommended packages.

import type { DockerfileRule } from '../context';
import { hasFlag, programArgs } from '../../parse/shell';
import { fix, insertAt, isProgram, runCommands, subcommand, wordRange } from '../../model/dockerfile/wordsAndEdits';
import { aptSimulates } from '../../model/dockerfile/runScripts';

const rule: DockerfileRule = {
  meta: {
    id: 'apt-no-install-recommends',
    language: 'dockerfile',
    category: 'size',
    title: 'Use --no-install-recommends with apt-get install',
    severity: 'warning',
    fix: 'safe',
    hadolint: ['DL3015'],
    docs: {
      rationale:
        'By default `apt-get install` also installs every *recommended* package, which often adds tens or hundreds ' +
        'of megabytes the image never uses. Passing `--no-install-recommends` keeps the layer to what was asked for.',
      invalid: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n',
      valid: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n',
      notes:
        'A simulation (`apt-get install -s`, `--simulate`, `--dry-run`) installs nothing and is not reported, except ' +
        'under `hadolintCompat: true` (or the top-level `hadolintCompat: true` in `.hullcheck.yaml`), as hadolint\'s ' +
        'DL3015 reports it.',
    },
  },
  check(ctx) {
    const compat = ctx.options.hadolintCompat === true;
    for (const { cmd } of runCommands(ctx.parsed)) {
      if (!isProgram(cmd, 'apt-get', 'apt')) continue;
      const sub = subcommand(cmd);
      if (sub?.value !== 'install') continue;
      const args = programArgs(cmd);
      if (hasFlag(args, '--no-install-recommends') || args.some((a) => /APT::Install-Recommends=(false|0)/i.test(a.value))) continue;
      // a simulation installs nothing; hadolint's DL3015 does not know the flag and reports it
      if (!compat && aptSimulates(programArgs(cmd))) continue;
      ctx.report({
        range: wordRange(ctx.parsed, sub),
        message: '`apt-get install` without `--no-install-recommends` also installs recommended packages.',
        fixes: [fix('Add --no-install-recommends', 'safe', insertAt(ctx.parsed, sub.end, ' --no-install-recommends'))],
      });
    }
  },
};

export default rule;
