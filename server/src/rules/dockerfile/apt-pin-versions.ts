// apt-pin-versions: `apt-get install` of unpinned packages makes builds change with the archive.

import type { DockerfileRule } from '../context';
import { APT_VALUE_FLAGS, aptInstalls, isPathOrUrl, splitArgs } from '../../model/dockerfile/runScripts';
import { wordRange } from '../../model/dockerfile/wordsAndEdits';
import { runsProgram } from '../runPrograms';

const WHOLE_VAR = /^\$(\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*)$/;

const rule: DockerfileRule = {
  meta: {
    id: 'apt-pin-versions',
    language: 'dockerfile',
    category: 'build',
    title: 'Pin package versions in apt-get install',
    severity: 'warning',
    fix: 'none',
    hadolint: ['DL3008'],
    docs: {
      rationale:
        'Without a version, `apt-get install curl` installs whatever the archive has on the day of the build, so ' +
        'two builds of the same Dockerfile can differ and a rebuild can break. `curl=8.5.0-2` (or a wildcard such ' +
        'as `curl=8.5.*`) keeps the result reproducible and makes upgrades deliberate.',
      invalid: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n',
      valid: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 && rm -rf /var/lib/apt/lists/*\n',
      notes: 'Local `.deb` files, paths and words that are only a variable (`$PACKAGES`) are not checked.',
    },
  },
  check(ctx) {
    // files without apt-get or apt have no install to check: skip the walk over every command
    if (!runsProgram(ctx.parsed, 'apt-get', 'apt')) return;
    for (const { found } of aptInstalls(ctx.parsed)) {
      const unpinned = splitArgs(found.rest, APT_VALUE_FLAGS).positionals
        .filter((w) => !w.value.includes('=') && !w.value.endsWith('.deb') && !isPathOrUrl(w.value) && !WHOLE_VAR.test(w.value));
      if (unpinned.length === 0) continue;
      ctx.report({
        range: wordRange(ctx.parsed, unpinned[0]),
        message: `apt-get installs ${unpinned.map((w) => `\`${w.value}\``).join(', ')} without a version; pin them as \`name=version\`.`,
      });
    }
  },
};

export default rule;
