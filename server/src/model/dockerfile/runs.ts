// The RUN instructions of a Dockerfile as the model sees them: each with its stage, the shell that runs it (SHELL
// inherited through FROM <stage>, a `# hadolint shell=` pragma, or cmd on a Windows base), its mounts and its heredoc
// script.

import type { DfFlag, HeredocScript, Instr, ParsedDockerfile, Stage } from '../../parse/dockerfile';
import type { Command } from '../../parse/shell';
import { trimTrailing } from '../../core/strings';
import { parsePragma } from '../../parse/pragma';

export interface Mount { type: string; target: string; opts: Record<string, string>; flag: DfFlag }

export interface RunInfo {
  /** The RUN itself (for ONBUILD RUN, the wrapped trigger). */
  instr: Instr;
  /** The top-level instruction (the ONBUILD for triggers, else the RUN). */
  outer: Instr;
  stage: Stage | undefined;
  onbuild: boolean;
  /** Exec form (`RUN ["prog", "arg"]`): one pseudo-command whose word offsets span the whole array. */
  exec: boolean;
  /** The SHELL in effect (its exec-form words), undefined for the default `/bin/sh -c`. */
  shell: readonly string[] | undefined;
  /** The program that runs the script: the SHELL in effect or a shell pragma's, whichever comes later; by default `/bin/sh` (`cmd` on a Windows base). */
  program: string;
  /** Whether that program runs POSIX shell scripts. */
  posix: boolean;
  /** The shell a pragma above the RUN names, if any. */
  pragmaShell: string | undefined;
  /** The commands of the script (heredoc bodies read by a shell included). */
  readonly commands: Command[];
  /** The `--mount` flags, parsed. */
  readonly mounts: Mount[];
  /** The heredoc the RUN opens, if any. */
  readonly heredoc: HeredocScript | undefined;
}

export const DEFAULT_SHELL = '/bin/sh';
const POSIX_SHELL = /^(\S*\/)?(sh|bash|ash|dash|zsh|ksh|mksh|busybox)$/;

const WINDOWS_IMAGE = /^(?:docker\.io\/)?winamd64\/|^mcr\.microsoft\.com\/(?:windows|dotnet\/framework)(?:[/:]|$)|(?:^|[-:/_.])(?:nanoserver|windowsservercore|servercore)(?:$|[-:_.@])/i;

/**
 * Whether an image reference, as written (variables may stay unexpanded), names a Windows image: Windows Server Core
 * and Nano Server bases and the images tagged for them, .NET Framework, the `winamd64/` namespace. Their default
 * shell is cmd, not /bin/sh.
 */
export function isWindowsImage(ref: string): boolean {
  return WINDOWS_IMAGE.test(ref);
}

/** The shell a stage's RUNs start with before any SHELL: cmd when the FROM chain ends on a Windows base, else /bin/sh. */
export function defaultShell(stage: Stage | undefined): string {
  let root = stage;
  for (let hops = 0; root?.parent && hops < 64; hops++) root = root.parent;
  return root && isWindowsImage(root.image) ? 'cmd' : DEFAULT_SHELL;
}

/** Whether a shell program (first item of SHELL, or a pragma value) runs POSIX shell scripts. */
export function isPosixShell(program: string): boolean {
  return POSIX_SHELL.test(program.toLowerCase());
}

function unquoteValue(s: string): string {
  return s.replace(/^["']|["']$/g, '');
}

function normPath(p: string): string {
  const unq = unquoteValue(p);
  return unq.length > 1 ? trimTrailing(unq, '/') : unq;
}

/** The `--mount` flags of an instruction, parsed (`type` defaults to bind as in BuildKit; values unquoted). */
export function mountsOf(instr: Instr): Mount[] {
  const out: Mount[] = [];
  for (const flag of instr.flags) {
    if (flag.name.toLowerCase() !== 'mount' || !flag.value) continue;
    const opts: Record<string, string> = {};
    for (const part of flag.value.split(',')) {
      const eq = part.indexOf('=');
      const key = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
      opts[key] = eq < 0 ? '' : unquoteValue(part.slice(eq + 1).trim());
    }
    const target = normPath(opts.target ?? opts.dst ?? opts.destination ?? '');
    out.push({ type: (opts.type || 'bind').toLowerCase(), target, opts, flag });
  }
  return out;
}

class Run implements RunInfo {
  private _mounts?: Mount[];
  readonly posix: boolean;
  constructor(readonly instr: Instr, readonly outer: Instr, readonly stage: Stage | undefined, readonly shell: readonly string[] | undefined,
    readonly program: string, readonly pragmaShell: string | undefined) {
    this.posix = isPosixShell(program);
  }
  get onbuild(): boolean { return this.instr !== this.outer; }
  get exec(): boolean { return this.instr.jsonArgs !== null; }
  get commands(): Command[] { return this.instr.commands(); }
  get mounts(): Mount[] { return (this._mounts ??= mountsOf(this.instr)); }
  get heredoc(): HeredocScript | undefined { return this.instr.heredocScript(); }
}

/** `# hadolint shell=NAME` / `# hullcheck shell=NAME` pragmas of a file, by line: the shell of the RUNs below. */
export function shellPragmas(parsed: ParsedDockerfile): { line: number; shell: string }[] {
  const out: { line: number; shell: string }[] = [];
  // comment lines, and the first lines the parser took for directives (`# hadolint shell=pwsh` reads like one)
  const lines = [...parsed.comments.map((c) => c.line), ...[...parsed.directives.values()].map((d) => d.range.start.line)];
  for (const line of lines) {
    const text = parsed.index.lineText(line);
    // a pragma names its tool; most comments do not
    if (!/h(adolint|ullcheck)/i.test(text)) continue;
    const p = parsePragma(text);
    if (p?.key === 'shell' && p.value && !/\s/.test(p.value) && !p.scope) out.push({ line, shell: p.value });
  }
  return out.sort((a, b) => a.line - b.line);
}

/**
 * Every RUN of the file (ONBUILD RUN included), in document order, with the shell that runs it: the SHELL in effect
 * (inherited through FROM <stage>) or a shell pragma above the RUN, whichever comes later; `/bin/sh` otherwise.
 */
export function computeRuns(parsed: ParsedDockerfile): RunInfo[] {
  const pragmas = shellPragmas(parsed);
  const out: RunInfo[] = [];
  // the SHELL in effect per stage with its line, inherited through FROM <stage> (the parent is complete when its child starts)
  const shells = new Map<Stage | undefined, { words: readonly string[]; line: number } | undefined>();
  let p = 0;
  let pragma: { line: number; shell: string } | undefined;
  for (const outer of parsed.instructions) {
    const stage = outer.stage;
    if (!shells.has(stage)) shells.set(stage, stage?.parent ? shells.get(stage.parent) : undefined);
    const line = outer.range.start.line;
    while (p < pragmas.length && pragmas[p].line < line) pragma = pragmas[p++];
    if (outer.keyword === 'SHELL' && outer.jsonArgs && outer.jsonArgs.length > 0) {
      shells.set(stage, { words: outer.jsonArgs, line });
      continue;
    }
    const instr = outer.keyword === 'ONBUILD' ? outer.onbuild : outer;
    if (!instr || instr.keyword !== 'RUN') continue;
    const shell = shells.get(stage);
    const program = pragma && (!shell || pragma.line > shell.line) ? pragma.shell : shell ? shell.words[0] : defaultShell(stage);
    out.push(new Run(instr, outer, stage, shell?.words, program, pragma?.shell));
  }
  return out;
}
