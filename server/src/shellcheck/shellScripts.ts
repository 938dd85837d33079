// The shell scripts of a Dockerfile's RUN instructions as ShellCheck should see them: the script text with a
// map back to document offsets, the shell that runs it (SHELL, `# hadolint shell=` or a heredoc's shebang),
// and the ARG/ENV names in scope, declared in a prefix so ShellCheck does not call them unassigned.

import { type Instr, type ParsedDockerfile } from '../parse/dockerfile';
import { mapScript } from '../parse/shell';
import type { MappedText } from '../parse/shell';
import { heredocRun } from '../parse/heredocRun';
import { shIsBash } from '../model/dockerfile/stages';
import { modelOf } from '../model/dockerfile/model';
import { PROXY_ARGS } from '../model/dockerfile/expansion';

export interface ShellScript {
  /** The RUN itself (for `ONBUILD RUN`, the wrapped RUN). */
  instr: Instr;
  /** The script with document offsets per character. */
  mapped: MappedText;
  /** The interpreter named on the first line fed to ShellCheck (`/bin/sh`, `/bin/bash`, …). */
  shell: string;
  /** Names declared before the script (`export NAME=1`). */
  names: string[];
  /** Exactly what ShellCheck reads: shebang, declarations, then the script. */
  input: string;
  /** Lines of `input` before the script's first line. */
  prefixLines: number;
}

export const DEFAULT_SHELL = '/bin/sh';
/** Shells ShellCheck understands, mapped to the dialect named in the shebang. */
const DIALECTS: Record<string, string> = { sh: 'sh', bash: 'bash', dash: 'dash', ash: 'ash', ksh: 'ksh', mksh: 'ksh', busybox: 'sh' };
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The ShellCheck dialect of an interpreter path or command (`/bin/bash`, `powershell.exe`, `/usr/bin/env bash`), or undefined when ShellCheck cannot check it. */
export function dialectOf(shell: string): string | undefined {
  const words = shell.trim().split(/\s+/);
  let prog = words[0] ?? '';
  if (/(^|[\\/])env$/.test(prog)) prog = words.slice(1).find((w) => !w.startsWith('-')) ?? '';
  const base = prog.split(/[\\/]/).pop()!.toLowerCase().replace(/\.exe$/, '');
  return DIALECTS[base];
}

export interface ScriptOptions {
  /**
   * hadolint's view of `ONBUILD RUN`: checked with the default shell and no declared names, since the trigger
   * runs in another build. Otherwise ENV names and SHELL (which the image config carries) still apply there.
   */
  compat?: boolean;
}

/** Every RUN in shell form whose shell ShellCheck understands, ready to check: the model's RUNs, shells and scopes. */
export function shellScripts(parsed: ParsedDockerfile, opts: ScriptOptions = {}): ShellScript[] {
  const out: ShellScript[] = [];
  const m = modelOf(parsed);
  for (const run of m.runs) {
    const { instr, outer, onbuild } = run;
    if (run.exec || instr.args.length === 0) continue;
    const hadolintTrigger = onbuild && opts.compat;
    // the SHELL in effect or the shell pragma above the RUN, whichever comes later (hadolint's triggers: the pragma only)
    let shell = hadolintTrigger ? run.pragmaShell ?? DEFAULT_SHELL : run.program;
    // with no SHELL or pragma, RUN uses the base's /bin/sh, which is bash on the RHEL family (hadolint assumes sh)
    if (!run.shell && !run.pragmaShell && !opts.compat && outer.stage && shIsBash(parsed, outer.stage)) shell = '/bin/bash';
    const names = new Set(PROXY_ARGS);
    if (!hadolintTrigger) {
      // ARGs do not reach the build that runs an ONBUILD trigger; ENV (the image config) does
      for (const v of m.scopeBefore(outer).variables()) {
        if (v.kind === 'platform' || (onbuild && v.kind !== 'env') || !NAME.test(v.name)) continue;
        names.add(v.name);
      }
    }
    const script = scriptOf(parsed, instr);
    if (!script) continue;
    const dialect = dialectOf(script.shebang ?? shell);
    if (!dialect) continue; // PowerShell, cmd, python heredocs, …: not ShellCheck's business
    const declared = [...names].sort();
    const head = `#!/bin/${dialect}\n${declared.map((n) => `export ${n}=1\n`).join('')}`;
    out.push({ instr, mapped: script.mapped, shell: `/bin/${dialect}`, names: declared, input: head + script.text, prefixLines: 1 + declared.length });
  }
  return out;
}

/**
 * The script of a RUN: continuations joined, with offsets. A heredoc body read by a shell is the script: a bare
 * `RUN <<EOF` (whose own shebang, if any, names the interpreter), or `RUN <<EOF bash` / `RUN bash <<EOF`, run by
 * that shell. A heredoc fed to another program (`RUN python3 <<EOF`) leaves a shell command line, checked whole.
 */
function scriptOf(parsed: ParsedDockerfile, instr: Instr): { mapped: MappedText; text: string; shebang?: string } | undefined {
  const from = instr.endOffset - instr.argsText.length;
  const mapped = mapScript(parsed.text, from, instr.endOffset, parsed.escapeChar);
  const heredoc = heredocRun(mapped);
  if (heredoc?.shellBody) {
    const { bodyStart, bodyEnd } = heredoc;
    const body: MappedText = { text: mapped.text.slice(bodyStart, bodyEnd), offsets: mapped.offsets.slice(bodyStart, bodyEnd + 1) };
    let text = body.text;
    let shebang: string | undefined = heredoc.interpreter;
    if (text.startsWith('#!')) {
      const nl = text.indexOf('\n');
      const first = nl < 0 ? text : text.slice(0, nl);
      // a shell named on the RUN line reads the shebang as a comment; a bare heredoc runs it
      shebang ??= first.slice(2).trim();
      // blank the line rather than drop it, so positions stay put; ours leads the input instead
      text = ' '.repeat(first.length) + text.slice(first.length);
    }
    return { mapped: body, text, shebang };
  }
  return { mapped, text: mapped.text };
}
