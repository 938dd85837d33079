// go-pin-versions: `go install/get/run <module>` without `@version` fetches whatever is newest.

import type { DockerfileRule } from '../context';
import { afterSubcommand, isPathOrUrl, progOf, splitArgs } from '../../model/dockerfile/runScripts';
import { wordRange } from '../../model/dockerfile/wordsAndEdits';
import { valueOptionSet } from '../../model/dockerfile/programOptions';
import { runsProgram } from '../runPrograms';
import { modelOf } from '../../model/dockerfile/model';

const VALUE_FLAGS = valueOptionSet('go');

/** Go's reserved package patterns: `tool` (the tools go.mod pins), `all`, `std` and `cmd` (with their subtrees). */
const META_PATTERN = /^(tool|all|std|cmd)(\/|$)/;

/** Whether a package argument is fetched from the network without a fixed version. */
function unpinned(spec: string): boolean {
  if (isPathOrUrl(spec) || spec.startsWith('$') || META_PATTERN.test(spec)) return false;
  const at = spec.lastIndexOf('@');
  return at < 0 || spec.slice(at + 1) === 'latest' || at === spec.length - 1;
}

const rule: DockerfileRule = {
  meta: {
    id: 'go-pin-versions',
    language: 'dockerfile',
    category: 'build',
    title: 'Pin module versions in go install, go get and go run',
    severity: 'warning',
    fix: 'none',
    hadolint: ['DL3062'],
    docs: {
      rationale:
        'Without a version (or with `@latest`), `go install example.com/tool` resolves the newest release on the day ' +
        'of the build, so rebuilds are not reproducible. Name the version: `go install example.com/tool@v1.4.2`.',
      invalid: 'FROM golang:1.23\nRUN go install golang.org/x/tools/cmd/goimports@latest\n',
      valid: 'FROM golang:1.23\nRUN go install golang.org/x/tools/cmd/goimports@v0.26.0\nRUN go install ./cmd/app\n',
      notes:
        'Local packages (`.`, `./cmd/app`, absolute paths) are not checked, nor Go\'s reserved patterns, which are ' +
        'never downloaded: `go install tool` installs the tools go.mod pins, and `all`, `std` and `cmd/…` resolve ' +
        'from the module and the toolchain. For `go run`, only the package is checked, not the program\'s own arguments.',
    },
  },
  check(ctx) {
    // most files never run go: skip the walk over every command
    if (!runsProgram(ctx.parsed, 'go')) return;
    for (const { instr } of modelOf(ctx.parsed).posixRuns) {
      for (const cmd of instr.commands()) {
        if (progOf(cmd) !== 'go') continue;
        const found = afterSubcommand(cmd, [['install'], ['get'], ['run']], VALUE_FLAGS);
        if (!found) continue;
        let specs = splitArgs(found.rest, VALUE_FLAGS).positionals;
        if (found.sub.value === 'run') specs = specs.slice(0, 1);
        const loose = specs.filter((w) => unpinned(w.value));
        if (loose.length === 0) continue;
        ctx.report({ range: wordRange(ctx.parsed, loose[0]), message: `\`go ${found.sub.value}\` fetches ${loose.map((w) => `\`${w.value}\``).join(', ')} without a fixed version; add \`@<version>\`.` });
      }
    }
  },
};

export default rule;
