// heredoc-no-errexit: a heredoc RUN script runs its lines one after another without `set -e`, so a failing
// early command is ignored and only the last command's status decides whether the step succeeds.

import type { DockerfileRule } from '../context';
import type { ParsedDockerfile } from '../../parse/dockerfile';
import { programArgs, type Command } from '../../parse/shell';
import { progOf } from '../../model/dockerfile/runScripts';
import { modelOf } from '../../model/dockerfile/model';
import { fix, insertAt } from '../../model/dockerfile/wordsAndEdits';
import { isPosixShell } from '../../model/dockerfile/runs';

const SHELLS = /^(?:\S*\/)?(?:sh|bash|dash|ash|zsh|ksh|mksh)$/;

/** Whether shell arguments turn errexit on: a short-flag cluster with `e` (`-e`, `-eux`, `-eo`) or `-o errexit`. */
export function setsErrexit(args: readonly string[]): boolean {
  return args.some((a, i) => /^-[a-zA-Z]*e[a-zA-Z]*$/.test(a) || (a === 'errexit' && /^-[a-zA-Z]*o$/.test(args[i - 1] ?? '')));
}

/** Statements of a script: commands that start a new list (not the right side of `&&`, `||` or `|`). */
function statements(commands: Command[]): Command[] {
  return commands.filter((c) => c.prevSep === '' || c.prevSep === '\n' || c.prevSep === ';' || c.prevSep === '&');
}

function isSetErrexit(cmd: Command): boolean {
  return progOf(cmd) === 'set' && setsErrexit(programArgs(cmd).map((w) => w.value));
}

/** The offset where a `set -e` line goes (after a shebang) and the indentation of the body's first line. */
function insertion(p: ParsedDockerfile, start: number, end: number): { offset: number; indent: string } {
  const text = p.text.slice(start, end);
  const skip = /^\t*#!/.test(text) ? text.indexOf('\n') + 1 : 0;
  const first = text.slice(skip);
  return { offset: start + skip, indent: /^[ \t]*/.exec(first)![0] };
}

const rule: DockerfileRule = {
  meta: {
    id: 'heredoc-no-errexit',
    language: 'dockerfile',
    category: 'correctness',
    title: 'Start multi-command heredoc scripts with set -e',
    severity: 'warning',
    fix: 'unsafe',
    docs: {
      rationale:
        'A `RUN <<EOF` heredoc is a script: the shell runs its lines one after another and the step succeeds when ' +
        'the last one does. Without `set -e`, a failed download or install on an early line is ignored and the image ' +
        'is built without it. `set -e` (or `set -o errexit`, or a shell started with `-e`) stops the script at the ' +
        'first failure, as `&&` chains do in a one-line RUN.',
      invalid: '# syntax=docker/dockerfile:1\nFROM debian:bookworm-slim\nRUN <<EOF\napt-get update\napt-get install -y --no-install-recommends curl\nrm -rf /var/lib/apt/lists/*\nEOF\n',
      valid: '# syntax=docker/dockerfile:1\nFROM debian:bookworm-slim\nRUN <<EOF\nset -e\napt-get update\napt-get install -y --no-install-recommends curl\nrm -rf /var/lib/apt/lists/*\nEOF\n',
      notes:
        'Only heredoc bodies that a POSIX-like shell runs are checked, with two or more statements (a single ' +
        '`a && b` chain fails the step on its own). errexit counts when the body sets it (`set -e`, `set -eux`, ' +
        '`set -o errexit`) before its second statement, when the shell that reads the body is started with it ' +
        '(`RUN <<EOF bash -e`, a `#!/bin/bash -e` shebang), or, for a bare `RUN <<EOF` without a shebang, when the ' +
        'stage\'s SHELL includes it (`SHELL ["/bin/bash", "-eo", "pipefail", "-c"]`). The fix (unsafe: a build that ' +
        'passed while ignoring a failure will now stop) inserts `set -e` as the first line of the body, after a shebang.',
    },
  },
  check(ctx) {
    const p = ctx.parsed;
    const eol = p.text.includes('\r\n') ? '\r\n' : '\n';
    for (const run of modelOf(p).runs) {
      const { instr, outer } = run;
      if (run.exec) continue;
      const script = run.heredoc;
      if (!script?.shellBody) continue;
      const body = instr.commands().filter((c) => c.start >= script.start && c.end <= script.end);
      const stmts = statements(body);
      if (stmts.length < 2) continue;
      // `<<-` strips leading tabs, so a tab-indented first line can be the shebang too
      const bodyText = p.text.slice(script.start, script.end).replace(/^\t+/, '');
      const nl = bodyText.indexOf('\n');
      const shebang = bodyText.startsWith('#!') ? bodyText.slice(2, nl < 0 ? undefined : nl).trim().split(/\s+/) : undefined;
      let shellArgs: string[] | undefined;
      if (script.interpreter) shellArgs = script.interpreter.split(' ');
      else if (shebang) shellArgs = shebang;
      else {
        // the SHELL in effect (inherited through FROM <stage>)
        if (run.shell && !isPosixShell(run.shell[0])) continue;
        shellArgs = run.shell ? [...run.shell] : undefined;
      }
      // a shebang naming another interpreter (`#!/usr/bin/env python3`) makes the body no shell script
      const program = shellArgs?.[0] === '/usr/bin/env' || shellArgs?.[0] === 'env' ? shellArgs[1] : shellArgs?.[0];
      if (shebang && !script.interpreter && program !== undefined && !SHELLS.test(program)) continue;
      if (shellArgs && setsErrexit(shellArgs.slice(1))) continue;
      const second = stmts[1];
      if (body.some((c) => c.start < second.start && isSetErrexit(c))) continue;
      const at = insertion(p, script.start, script.end);
      ctx.report({
        range: instr.keywordRange,
        message: 'This heredoc script runs its commands without `set -e`, so a failing command before the last one is ignored; start it with `set -e`.',
        fixes: outer === instr ? [fix('Start the script with set -e', 'unsafe', insertAt(p, at.offset, `${at.indent}set -e${eol}`))] : [],
      });
    }
  },
};

export default rule;
