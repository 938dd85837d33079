// npm-pin-versions: `npm install <pkg>` without a version installs whatever is newest at build time.

import type { DockerfileRule } from '../context';
import { afterSubcommand, isPathOrUrl, progOf, splitArgs } from '../../model/dockerfile/runScripts';
import { wordRange } from '../../model/dockerfile/wordsAndEdits';
import { valueOptionSet } from '../../model/dockerfile/programOptions';
import { runsProgram } from '../runPrograms';
import { modelOf } from '../../model/dockerfile/model';

const VALUE_FLAGS = valueOptionSet('npm');
const TARBALL = /\.(tar|tar\.gz|tgz)$/;
const GIT = /^(git\+|git:|github:|gitlab:|bitbucket:)/;
const WHOLE_VAR = /^\$(\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*)$/;

function pinned(spec: string): boolean {
  if (isPathOrUrl(spec) && !GIT.test(spec) && !spec.startsWith('http')) return true;
  if (TARBALL.test(spec) || WHOLE_VAR.test(spec)) return true;
  if (GIT.test(spec) || spec.startsWith('http')) return spec.includes('#');
  const at = spec.indexOf('@', spec.startsWith('@') ? 1 : 0);
  return at > 0 && at < spec.length - 1;
}

const rule: DockerfileRule = {
  meta: {
    id: 'npm-pin-versions',
    language: 'dockerfile',
    category: 'build',
    title: 'Pin versions in npm install',
    severity: 'warning',
    fix: 'none',
    hadolint: ['DL3016'],
    docs: {
      rationale:
        '`npm install -g typescript` installs the newest release on the day of the build, so rebuilding the same ' +
        'Dockerfile can pick up a breaking major version. Give a version (`typescript@5.6.3`, or a range such as ' +
        '`typescript@~5.6`) or install from a lockfile with `npm ci`.',
      invalid: 'FROM node:22-slim\nRUN npm install -g typescript\n',
      valid: 'FROM node:22-slim\nRUN npm install -g typescript@5.6.3\nRUN npm ci\n',
      notes:
        'Any version specifier counts, including ranges. Local folders, tarballs, and git URLs with a `#ref` are ' +
        'accepted. `npm install` with no package names (installing package.json) is not checked.',
    },
  },
  check(ctx) {
    // most files never run npm: skip the walk over every command
    if (!runsProgram(ctx.parsed, 'npm')) return;
    for (const { instr } of modelOf(ctx.parsed).posixRuns) {
      for (const cmd of instr.commands()) {
        if (progOf(cmd) !== 'npm') continue;
        const found = afterSubcommand(cmd, [['install'], ['i'], ['add']], VALUE_FLAGS);
        if (!found) continue;
        const unpinned = splitArgs(found.rest, VALUE_FLAGS).positionals.filter((w) => !pinned(w.value));
        if (unpinned.length === 0) continue;
        ctx.report({ range: wordRange(ctx.parsed, unpinned[0]), message: `npm installs ${unpinned.map((w) => `\`${w.value}\``).join(', ')} without a version; add \`@<version>\`.` });
      }
    }
  },
};

export default rule;
