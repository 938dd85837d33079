// RUN scripts as hadolint reads them: the commands of each RUN under a POSIX shell, cache mounts, package-word
// scanning, stage variables and the final image's stage chain; used by the rules that mirror hadolint's checks.
// Each walk is one pass.

import type { Instr, ParsedDockerfile, Stage } from '../../parse/dockerfile';
import { programArgs, programName, type Command, type Word } from '../../parse/shell';
import { insertAt, fix, stageChain } from './wordsAndEdits';
import type { Fix } from '../../core/findings';
import { APT_VALUE_FLAGS, hasHeredoc } from './packages';
import { trimTrailing } from '../../core/strings';

const QUOTES = /^(["'])(.*)\1$/s;
const SHELL_PRAGMA = /^#\s*hadolint\s+shell\s*=\s*(\S+)/i;
const HADOLINT_WORD = /hadolint/i;
const POSIX_SHELL = /^(\S*\/)?(sh|bash|ash|dash|zsh|ksh|mksh|busybox)$/;
const VAR_REF = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-+?=][^}]*)?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/** A value without one pair of surrounding quotes. */
export function unquote(s: string): string {
  const m = QUOTES.exec(s);
  return m ? m[2] : s;
}

/**
 * The arguments of an instruction as written, split on whitespace outside quotes, quotes removed and line
 * continuations joined, with no escape processing (so Windows paths such as `C:\\app` survive). Exec form
 * (JSON) arguments come back as parsed; heredoc bodies are left out.
 */
export function rawArgs(instr: Instr, escapeChar: string): string[] {
  if (instr.jsonArgs) return instr.jsonArgs;
  let text = instr.argsText;
  // heredoc bodies (`COPY <<EOT /etc/app.conf`) are file contents, not arguments: stop at the line that opens them
  if (hasHeredoc(instr)) {
    const nl = text.indexOf('\n', text.indexOf('<<'));
    if (nl >= 0) text = text.slice(0, nl);
  }
  const out: string[] = [];
  let cur = '';
  let has = false;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (!quote && c === escapeChar) {
      // a line continuation: skip to the next line
      let j = i + 1;
      while (text[j] === ' ' || text[j] === '\t') j++;
      if (text[j] === '\n' || (text[j] === '\r' && text[j + 1] === '\n')) { i = text[j] === '\r' ? j + 1 : j; continue; }
    }
    if (quote) {
      if (c === quote) quote = '';
      else cur += c;
      continue;
    }
    if (c === '"' || c === "'") { quote = c; has = true; continue; }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (has) out.push(cur);
      cur = '';
      has = false;
      continue;
    }
    cur += c;
    has = true;
  }
  if (has) out.push(cur);
  return out;
}

/** Whether a shell program (first item of SHELL, or a pragma value) runs POSIX shell scripts. */
export function isPosixShell(program: string): boolean {
  return POSIX_SHELL.test(program.toLowerCase());
}

export interface RunInfo {
  /** The RUN itself (the trigger for `ONBUILD RUN`). */
  instr: Instr;
  /** The instruction as written at top level (the ONBUILD for triggers). */
  outer: Instr;
  stage: Stage | undefined;
  onbuild: boolean;
}

/**
 * Shell-form RUN instructions (ONBUILD triggers included) whose shell is POSIX: a non-POSIX `SHELL` in the
 * stage (or inherited through `FROM <stage>`), or a `# hadolint shell=` pragma, turns the scripts off.
 */
export function posixRuns(parsed: ParsedDockerfile): RunInfo[] {
  // computed once per parse
  let runs = RUNS.get(parsed);
  if (!runs) { runs = computePosixRuns(parsed); RUNS.set(parsed, runs); }
  return runs;
}

const RUNS = new WeakMap<ParsedDockerfile, RunInfo[]>();

function computePosixRuns(parsed: ParsedDockerfile): RunInfo[] {
  let pragmaPosix = true;
  for (const c of parsed.comments) {
    // the pragma names hadolint; most comments do not
    if (!HADOLINT_WORD.test(c.text)) continue;
    const m = SHELL_PRAGMA.exec(c.text.startsWith('#') ? c.text : `# ${c.text}`);
    if (m) pragmaPosix = isPosixShell(m[1]);
  }
  const out: RunInfo[] = [];
  const stageShellPosix = new Map<Stage | undefined, boolean>();
  for (const outer of parsed.instructions) {
    const stage = outer.stage;
    if (!stageShellPosix.has(stage)) stageShellPosix.set(stage, stage?.parent ? stageShellPosix.get(stage.parent) ?? pragmaPosix : pragmaPosix);
    if (outer.keyword === 'SHELL' && outer.jsonArgs && outer.jsonArgs.length > 0) {
      stageShellPosix.set(stage, isPosixShell(outer.jsonArgs[0]));
      continue;
    }
    const instr = outer.keyword === 'ONBUILD' ? outer.onbuild : outer;
    if (!instr || instr.keyword !== 'RUN' || instr.jsonArgs) continue;
    if (!stageShellPosix.get(stage)) continue;
    out.push({ instr, outer, stage, onbuild: instr !== outer });
  }
  return out;
}

/** The program of a command, basename only, without wrappers such as sudo or env. */
export function progOf(cmd: Command): string {
  return programName(cmd);
}

/** Whether a RUN has a cache or tmpfs mount on one of the given folders (or below them). */
export function hasCacheMount(instr: Instr, folders: string[]): boolean {
  for (const f of instr.flags) {
    if (f.name.toLowerCase() !== 'mount' || !f.value) continue;
    let type = '';
    let target = '';
    for (const part of f.value.split(',')) {
      const eq = part.indexOf('=');
      const k = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
      const v = eq < 0 ? '' : unquote(part.slice(eq + 1).trim());
      if (k === 'type') type = v;
      else if (k === 'target' || k === 'dst' || k === 'destination') target = trimTrailing(v, '/');
    }
    if ((type === 'cache' || type === 'tmpfs') && folders.some((d) => target === d || target.startsWith(d + '/') || d.startsWith(target + '/'))) return true;
  }
  return false;
}

/**
 * Arguments of a command after its subcommand word, split into flags (with values of `valueFlags` consumed)
 * and positionals. Stops at `--`.
 */
export function splitArgs(words: Word[], valueFlags: ReadonlySet<string>): { positionals: Word[]; flags: Word[] } {
  const positionals: Word[] = [];
  const flags: Word[] = [];
  for (let i = 0; i < words.length; i++) {
    const v = words[i].value;
    if (v === '--') break;
    if (v.startsWith('-') && v.length > 1) {
      flags.push(words[i]);
      if (valueFlags.has(v)) i++;
      continue;
    }
    positionals.push(words[i]);
  }
  return { positionals, flags };
}

/**
 * For a package manager command: the index in `programArgs` just after the subcommand words `subs`
 * (e.g. ['install'] or ['module', 'install']), skipping global flags; -1 when the command is not that.
 */
export function afterSubcommand(cmd: Command, subs: string[][], valueFlags: ReadonlySet<string>): { rest: Word[]; before: Word[]; sub: Word } | undefined {
  const args = programArgs(cmd);
  const positions: number[] = [];
  for (let i = 0; i < args.length && positions.length < 2; i++) {
    const v = args[i].value;
    if (v.startsWith('-')) { if (valueFlags.has(v)) i++; continue; }
    positions.push(i);
  }
  for (const sub of subs) {
    if (positions.length < sub.length) continue;
    if (sub.every((s, k) => args[positions[k]].value === s)) {
      const last = positions[sub.length - 1];
      return { rest: args.slice(last + 1), before: args.slice(0, positions[0]), sub: args[last] };
    }
  }
  return undefined;
}

/** Whether any of the words is one of the flags (long flags also as `--flag=value`; short flags combined). */
export function anyFlag(words: Word[], names: string[]): boolean {
  for (const w of words) {
    const v = w.value;
    for (const n of names) {
      if (v === n || (n.startsWith('--') && v.startsWith(n + '='))) return true;
      if (n.length === 2 && n[0] === '-' && v.length > 2 && v[0] === '-' && v[1] !== '-' && v.includes(n[1]) && !v.includes('=')) return true;
    }
  }
  return false;
}

/** An edit-carrying fix that inserts `text` just after a word. */
export function insertAfter(parsed: ParsedDockerfile, w: Word, text: string, title: string, safety: 'safe' | 'unsafe' = 'safe'): Fix {
  return fix(title, safety, insertAt(parsed, w.end, text));
}

/**
 * A fix that appends ` && <cmd>` to a shell-form RUN, or undefined when the script is not a plain one-line-or-
 * continued command (heredocs), where appending would be wrong.
 */
export function appendToRun(parsed: ParsedDockerfile, instr: Instr, command: string, title: string): Fix | undefined {
  if (instr.jsonArgs || instr.argsText.includes('<<')) return undefined;
  let end = instr.endOffset;
  while (end > 0 && /[ \t\r\n]/.test(parsed.text[end - 1])) end--;
  return fix(title, 'safe', insertAt(parsed, end, ` && ${command}`));
}

/** Index of the first later command in the same script matching `pred`, or -1. */
export function laterIndex(all: Command[], from: number, pred: (c: Command) => boolean): number {
  for (let i = from + 1; i < all.length; i++) if (pred(all[i])) return i;
  return -1;
}

/**
 * Variables visible to an instruction, for resolving `${VAR}` in package words: ENV and ARG of its stage and
 * of the stages it builds on, plus ARG defaults declared anywhere earlier (as hadolint resolves them).
 */
export function visibleVars(parsed: ParsedDockerfile, at: Instr): Map<string, string> {
  const vars = new Map<string, string>();
  const chain = at.stage ? new Set(stageChain(at.stage)) : new Set<Stage>();
  for (const instr of parsed.instructions) {
    if (instr.startOffset >= at.startOffset) break;
    if (instr.keyword !== 'ENV' && instr.keyword !== 'ARG') continue;
    if (instr.keyword === 'ENV' && instr.stage !== at.stage && !(instr.stage && chain.has(instr.stage))) continue;
    const node = instr.node as unknown as { getProperties?: () => { getName(): string; getValue(): string | null }[] };
    for (const p of node.getProperties?.() ?? []) {
      const v = p.getValue();
      if (v !== null) vars.set(p.getName(), v);
    }
  }
  return vars;
}

/** Substitute `$VAR`/`${VAR}` from `vars`; unknown variables stay as written. */
export function expandVars(s: string, vars: Map<string, string>): string {
  if (!s.includes('$')) return s;
  return s.replace(VAR_REF, (m, a: string | undefined, b: string | undefined) => vars.get((a ?? b)!) ?? m);
}

/** The stages whose layers end up in the final image: the final stage and its `FROM <stage>` ancestors. */
export function finalChain(parsed: ParsedDockerfile): Set<Stage> {
  return parsed.finalStage ? new Set(stageChain(parsed.finalStage)) : new Set();
}

/** Whether a package word names a local file, a URL or a path rather than a registry package. */
export function isPathOrUrl(v: string): boolean {
  return v.startsWith('/') || v.startsWith('./') || v.startsWith('../') || v.startsWith('~') || v.includes('://') || v === '.';
}

/** apt-get options that take a value, so the value is not mistaken for the subcommand or a package. */
export { APT_VALUE_FLAGS };

/** Each `apt-get install` / `apt install` in a POSIX RUN, with the words around its subcommand. */
export function* aptInstalls(parsed: ParsedDockerfile): Generator<{ instr: Instr; cmd: Command; found: { rest: Word[]; before: Word[]; sub: Word } }> {
  for (const { instr } of posixRuns(parsed)) {
    for (const cmd of instr.commands()) {
      const prog = progOf(cmd);
      if (prog !== 'apt-get' && prog !== 'apt') continue;
      const found = afterSubcommand(cmd, [['install']], APT_VALUE_FLAGS);
      if (found) yield { instr, cmd, found };
    }
  }
}

const APT_SIMULATE = new Set(['--simulate', '--just-print', '--dry-run', '--recon', '--no-act']);

/** Whether apt-get only simulates (`-s`, `--simulate`, `--dry-run`, …): it neither prompts nor installs anything. */
export function aptSimulates(words: Word[]): boolean {
  for (const w of words) {
    const v = w.value;
    if (v === '--') return false;
    if (APT_SIMULATE.has(v) || (/^-[a-zA-Z]+$/.test(v) && v.includes('s'))) return true;
  }
  return false;
}
