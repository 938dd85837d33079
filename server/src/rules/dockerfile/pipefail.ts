// pipefail: in `a | b` the shell only reports b's exit status, so a failing download can go unnoticed.

import type { DockerfileRule } from '../context';
import type { Stage } from '../../parse/dockerfile';
import { programArgs, substitutionCommands, type Command } from '../../parse/shell';
import { progOf } from '../../model/dockerfile/runScripts';
import { offsetRange } from '../../model/dockerfile/wordsAndEdits';
import { parsePragma } from '../../parse/pragma';
import { defaultShell, isPosixShell } from '../../model/dockerfile/runs';

const MESSAGE = 'This RUN pipes commands without `pipefail`, so a failure before the last command is ignored; set `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` or start with `set -o pipefail`.';
const PIPEFAIL_SHELLS = /^(\S*\/)?(bash|zsh|ksh|mksh|ash)$/;
const O_FLAG = /^-[a-z]*o$/;

/** Whether SHELL arguments turn pipefail on (`-o pipefail`, `-eo pipefail`, `-euxo pipefail`). */
function setsPipefail(args: string[]): boolean {
  for (let i = 1; i < args.length; i++) {
    if (args[i] === 'pipefail' && O_FLAG.test(args[i - 1])) return true;
  }
  return false;
}

/**
 * The command that holds a `|` anywhere in the script, as hadolint 2.15.1 sees one (every pipe token of ShellCheck's
 * parse), inside command substitutions too. A case pattern's `|` is not one.
 */
/** Builtins that print their arguments or do nothing, and so always succeed: `echo`, `printf`, `true`, `:`. */
const FAILURE_FREE = new Set(['echo', 'printf', 'true', ':']);

/** Whether a command always exits 0: a failure-free builtin whose arguments run no command substitution. */
function cannotFail(cmd: Command): boolean {
  return FAILURE_FREE.has(progOf(cmd)) && substitutionCommands(cmd).length === 0;
}

/** Text filters that fail only on a bad program or option, not on the text they read: `awk`, `sed`, `tr`, `cut`, …. */
const TEXT_FILTERS = new Set(['awk', 'gawk', 'mawk', 'sed', 'tr', 'cut', 'sort', 'uniq', 'base64', 'rev', 'fold', 'tac', 'nl']);

/** Whether a command only rewrites the text piped into it: a text filter with no file operand and no command substitution. */
function filtersText(cmd: Command): boolean {
  const prog = progOf(cmd);
  if (!TEXT_FILTERS.has(prog) || substitutionCommands(cmd).length > 0) return false;
  if (prog === 'tr') return true;
  const args = programArgs(cmd).map((w) => w.value);
  // a program read from a file (`awk -f prog.awk`) may be missing
  if (args.some((a) => a === '-f' || a.startsWith('--file'))) return false;
  const operands = args.filter((a) => !a.startsWith('-'));
  // awk and sed take their program as the one operand; the others take none when reading the pipe
  return operands.length <= (['awk', 'gawk', 'mawk', 'sed'].includes(prog) ? 1 : 0);
}

/** Whether the commands feeding a pipe cannot fail: failure-free builtins, then text filters of what they print. */
function feedCannotFail(feeders: Command[]): boolean {
  return feeders.length > 0 && cannotFail(feeders[0]) && feeders.slice(1).every((c) => cannotFail(c) || filtersText(c));
}

/** Decompressors, which fail on empty or truncated input: `gunzip`, `zcat`, `xz -d`, …. */
const DECOMPRESSORS = new Set(['gunzip', 'zcat', 'bunzip2', 'bzcat', 'unxz', 'xzcat', 'unzstd', 'zstdcat']);

/**
 * Whether a command fails by itself when what is piped into it is empty or cut short: `tar -x` (an archive
 * without its end blocks or a broken compressed stream is an error) and decompressors. `curl … | tar -xz` then
 * fails the build without pipefail, so the rule says nothing there.
 */
function checksInput(cmd: Command): boolean {
  const prog = progOf(cmd);
  const args = programArgs(cmd).map((w) => w.value);
  if (DECOMPRESSORS.has(prog)) return true;
  if (['gzip', 'xz', 'bzip2', 'zstd'].includes(prog)) return args.some((a) => a === '-d' || a === '--decompress' || /^-[a-z]*d[a-z]*$/.test(a));
  if (prog !== 'tar' && prog !== 'bsdtar') return false;
  // `tar xz …`, `tar -xzf -`, `tar --extract`: reading an archive; `tar c` writes one and checks nothing
  const first = args[0] ?? '';
  return args.some((a) => a === '--extract' || a === '--get' || /^-[a-zA-Z]*x/.test(a)) || /^[a-zA-Z]*x[a-zA-Z]*$/.test(first);
}

/** Checksum checkers: `sha256sum -c` fails on an empty or cut checksum list. */
const SUM_CHECKERS = new Set(['sha1sum', 'sha224sum', 'sha256sum', 'sha384sum', 'sha512sum', 'md5sum', 'shasum', 'b2sum', 'cksum']);
/** Programs that fetch from the network: their output can be cut short after some of it arrived. */
const DOWNLOADERS = new Set(['curl', 'wget', 'fetch', 'aria2c']);

/** Whether a command fails when what is piped into it is empty: a checksum check, or a grep that must select a line. */
function failsOnEmpty(cmd: Command): boolean {
  const prog = progOf(cmd);
  const args = programArgs(cmd).map((w) => w.value);
  if (SUM_CHECKERS.has(prog)) return args.some((a) => a === '--check' || (/^-[a-zA-Z]+$/.test(a) && a.includes('c')));
  // grep exits 1 when it selects no line; an inverted or counting grep is left out
  if (prog === 'grep' || prog === 'egrep' || prog === 'fgrep') return !args.some((a) => /^--(?:invert-match|count|files-without-match)$/.test(a) || /^-[a-zA-Z]*[vcL]/.test(a));
  return false;
}

/**
 * Whether the commands a pipe feeds fail by themselves when an earlier one fails, so pipefail changes nothing:
 * each checks its input (`tar -x`, a decompressor), or, when the pipe does not start with a download (whose
 * output can be cut short after a part arrived), fails on empty input (`sha256sum -c`, `grep pattern`).
 */
function fedCommandsCheck(first: Command, fed: Command[]): boolean {
  return fed.length > 0 && fed.every((c) => checksInput(c) || (!DOWNLOADERS.has(progOf(first)) && failsOnEmpty(c)));
}

function anyPipe(cmds: Command[]): Command | undefined {
  return cmds.find((cmd) => cmd.sep === '|' || substitutionCommands(cmd).some((c) => c.sep === '|'));
}

const rule: DockerfileRule = {
  meta: {
    id: 'pipefail',
    language: 'dockerfile',
    category: 'correctness',
    title: 'Set -o pipefail before using pipes in RUN',
    severity: 'warning',
    fix: 'none',
    hadolint: ['DL4006'],
    docs: {
      rationale:
        'A pipeline\'s exit status is that of its last command. In `RUN wget -qO- https://… | gpg --dearmor > key.gpg` ' +
        'a failed download still lets the step succeed, and the image is built with an empty key. With ' +
        '`SHELL ["/bin/bash", "-o", "pipefail", "-c"]` (or `set -o pipefail` at the start of the RUN) any failing ' +
        'command fails the step.',
      invalid: 'FROM debian:bookworm-slim\nRUN wget -qO- https://example.com/key.asc | gpg --dearmor > /usr/share/keyrings/example.gpg\n',
      valid: 'FROM debian:bookworm-slim\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN wget -qO- https://example.com/key.asc | gpg --dearmor > /usr/share/keyrings/example.gpg\n',
      notes:
        'A pipe fed only by commands that cannot fail (`echo`, `printf`, `true`, `:` without command substitution, as in ' +
        '`echo "$SUM  app.tgz" | sha256sum -c -`, also through text filters of what they print: `echo "$KEY" | awk \'…\' | gpg --import`, with `awk`/`sed` given only their program and `tr`, `cut`, `sort`, `uniq`, `base64` no file) is not reported outside hadolint mode: pipefail would change nothing there. ' +
        'Nor is a pipe whose later commands fail by themselves when an earlier one fails: a download piped straight into `tar -x` or a decompressor (`curl -fsSL URL | tar -xz`), and, for a pipe that does not start with a download, `sha256sum -c` and kin or a `grep` that must select a line (`grep app.zip SHA256SUMS | sha256sum -c`, `cat /etc/os-release | grep -q alpine`). For the download, an empty or cut-short ' +
        'archive makes them fail, so the build fails without pipefail too.\n\n' +
        '`/bin/sh -o pipefail` does not count, since dash (the `sh` of Debian and Ubuntu) rejects it; bash, zsh, ksh, ' +
        'mksh and BusyBox `ash` (Alpine) support it. The `|` of a case pattern (`dev|beta)`) is not a pipe. Stages built ' +
        'with a non-POSIX SHELL (PowerShell, cmd) or on a Windows base (Server Core, Nano Server), whose default shell ' +
        'is cmd, are not checked. A stage inherits the SHELL of the stage it is ' +
        'built `FROM`.',
    },
  },
  check(ctx) {
    // per stage: undefined = default shell; otherwise whether the SHELL runs POSIX scripts with pipefail
    const state = new Map<Stage | undefined, { posix: boolean; pipefail: boolean }>();
    let pragmaPosix = true;
    for (const c of ctx.parsed.comments) {
      const p = parsePragma(c.text.trimStart().startsWith('#') ? c.text : `#${c.text}`);
      const shell = p?.tool === 'hadolint' && p.key === 'shell' && !p.scope ? p.value.split(/\s/)[0] : '';
      if (shell) pragmaPosix = isPosixShell(shell);
    }
    for (const outer of ctx.parsed.instructions) {
      const stage = outer.stage;
      if (!state.has(stage)) state.set(stage, (stage?.parent && state.get(stage.parent)) || { posix: pragmaPosix && isPosixShell(defaultShell(stage)), pipefail: false });
      if (outer.keyword === 'SHELL' && outer.jsonArgs?.length) {
        const args = outer.jsonArgs;
        state.set(stage, { posix: isPosixShell(args[0]), pipefail: PIPEFAIL_SHELLS.test(args[0]) && setsPipefail(args) });
        continue;
      }
      const instr = outer.keyword === 'ONBUILD' ? outer.onbuild : outer;
      if (!instr || instr.keyword !== 'RUN' || instr.jsonArgs) continue;
      const shell = state.get(stage)!;
      if (!shell.posix || shell.pipefail) continue;
      const cmds = instr.commands();
      if (ctx.options.hadolintCompat === true) {
        // hadolint mode: its DL4006 looks for a pipe anywhere in the script
        const piped = cmds.some((c) => c.sep === '|') ? undefined : anyPipe(cmds);
        if (piped) {
          ctx.report({ range: offsetRange(ctx.parsed, piped.start, piped.end), message: MESSAGE });
          continue;
        }
      }
      let setEarlier = false;
      let skipTo = -1;
      for (const [n, cmd] of cmds.entries()) {
        if (n < skipTo) continue;
        if (progOf(cmd) === 'set') {
          const a = programArgs(cmd).map((w) => w.value);
          if (setsPipefail(['', ...a])) setEarlier = true;
        }
        if (setEarlier) break;
        if (cmd.sep !== '|') continue;
        // `echo "$SUM  file" | sha256sum -c`, `echo "$KEY" | awk '…' | gpg --import`: when only commands that cannot
        // fail feed the pipe, pipefail changes nothing
        const i = cmds.indexOf(cmd);
        let end = i;
        while (end < cmds.length - 1 && cmds[end].sep === '|') end++;
        if (ctx.options.hadolintCompat !== true && (feedCannotFail(cmds.slice(i, end)) || fedCommandsCheck(cmds[i], cmds.slice(i + 1, end + 1)))) { skipTo = end; continue; }
        ctx.report({
          range: offsetRange(ctx.parsed, cmd.start, cmd.end),
          message: MESSAGE,
        });
        break;
      }
    }
  },
};

export default rule;
