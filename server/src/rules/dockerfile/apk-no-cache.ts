// apk-no-cache: `apk add` should not leave the Alpine package index and cache in the layer.

import type { DockerfileRule } from '../context';
import { hasFlag, positionals, programArgs, programName } from '../../parse/shell';
import { covers, isExecForm, volatileTargets } from '../../model/dockerfile/packages';
import { fix, insertAt, subcommand, wordRange } from '../../model/dockerfile/wordsAndEdits';
import { modelOf } from '../../model/dockerfile/model';

const rule: DockerfileRule = {
  meta: {
    id: 'apk-no-cache',
    language: 'dockerfile',
    category: 'size',
    title: 'Use --no-cache with apk add',
    severity: 'warning',
    fix: 'safe',
    hadolint: ['DL3019'],
    docs: {
      rationale:
        'Without `--no-cache`, `apk add` (and `apk update` before it) stores the package index under ' +
        '`/var/cache/apk`, which then ships in the layer. `apk add --no-cache` fetches a fresh index, installs, ' +
        'and keeps nothing, so no separate `apk update` or cleanup is needed.',
      invalid: 'FROM alpine:3.20\nRUN apk update && apk add curl\n',
      valid: 'FROM alpine:3.20\nRUN apk add --no-cache curl\n',
      notes:
        'Stays silent with `--no-network` (nothing is fetched), when a `cache` or `tmpfs` mount on the RUN covers `/var/cache/apk`, or when the same RUN ' +
        'removes `/var/cache/apk` after the install (`rm -rf /var/cache/apk/*`). The fix inserts `--no-cache` right ' +
        'after `add`; exec-form RUNs are reported without a fix. `hadolintCompat: true` (or the top-level ' +
        '`hadolintCompat: true` in `.hullcheck.yaml`) does not accept the removal, as hadolint\'s DL3019 does not.',
    },
  },
  check(ctx) {
    const compat = ctx.options.hadolintCompat === true;
    for (const run of modelOf(ctx.parsed).runs) {
      if (volatileTargets(run.instr).some((t) => covers(t, '/var/cache/apk'))) continue;
      run.commands.forEach((cmd, index) => {
        if (programName(cmd) !== 'apk') return;
        const sub = subcommand(cmd);
        // --no-network installs from what is already on disk and fetches no index to cache
        if (sub?.value !== 'add' || hasFlag(programArgs(cmd), '--no-cache', '--no-network')) return;
        const cleaned = run.commands.slice(index + 1).some((c) => programName(c) === 'rm'
          && positionals(programArgs(c)).some((w) => w.value.startsWith('/var/') && covers(w.value.replace(/\/\*?$/, ''), '/var/cache/apk')));
        if (cleaned && !compat) return;
        ctx.report({
          range: wordRange(ctx.parsed, sub),
          message: '`apk add` without `--no-cache` keeps the package index in /var/cache/apk in the layer; add `--no-cache`.',
          fixes: isExecForm(run.instr) ? [] : [fix('Add --no-cache', 'safe', insertAt(ctx.parsed, sub.end, ' --no-cache'))],
        });
      });
    }
  },
};

export default rule;
