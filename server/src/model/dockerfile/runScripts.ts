// Helpers for the rules that mirror hadolint's checks: arguments as written, cache mounts, command words, package-word
// variables as hadolint resolves them, and fixes that extend a RUN. The RUNs themselves come from the model.

import type { Instr, ParsedDockerfile } from '../../parse/dockerfile';
import { programArgs, programName, type Command, type Word } from '../../parse/shell';
import { insertAt, fix } from './wordsAndEdits';
import type { Fix } from '../../core/findings';
import { APT_VALUE_FLAGS, hasHeredoc } from './packages';
import { mountsOf } from './runs';
import { argDecls } from './vars';
import { modelOf } from './model';

const QUOTES = /^(["'])(.*)\1$/s;

/** A value without one pair of surrounding quotes. */
export function unquote(s: string): string {
  const m = QUOTES.exec(s);
  return m ? m[2] : s;
}

/**
 * The arguments of an instruction as written, split on whitespace as BuildKit splits the shell form of COPY and ADD
 * (a quote does not hold a space inside a word: `COPY "a b" c` is three words), quotes removed and line continuations
 * joined, with no escape processing (so Windows paths such as `C:\\app` survive). Exec form (JSON) arguments come
 * back as parsed; heredoc bodies are left out.
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
    if (c === escapeChar) {
      // a line continuation: skip to the next line
      let j = i + 1;
      while (text[j] === ' ' || text[j] === '\t') j++;
      if (text[j] === '\n' || (text[j] === '\r' && text[j + 1] === '\n')) { i = text[j] === '\r' ? j + 1 : j; continue; }
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (has) out.push(cur);
      cur = '';
      has = false;
      quote = '';
      continue;
    }
    has = true;
    if (quote) {
      if (c === quote) quote = '';
      else cur += c;
      continue;
    }
    if (c === '"' || c === "'") { quote = c; continue; }
    cur += c;
  }
  if (has) out.push(cur);
  return out;
}

/** The program of a command, basename only, without wrappers such as sudo or env. */
export function progOf(cmd: Command): string {
  return programName(cmd);
}

/** Whether a RUN has a cache or tmpfs mount on one of the given folders (or below them). */
export function hasCacheMount(instr: Instr, folders: string[]): boolean {
  return mountsOf(instr).some((m) => (m.type === 'cache' || m.type === 'tmpfs')
    && folders.some((d) => m.target === d || m.target.startsWith(d + '/') || d.startsWith(m.target + '/')));
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
 * Variables visible to an instruction as hadolint resolves `${VAR}` in package words: the model's scope before it,
 * plus the default of an ARG declared anywhere earlier in the file (in another stage, or global and not re-declared).
 */
export function visibleVars(parsed: ParsedDockerfile, at: Instr): Map<string, string> {
  const vars = new Map<string, string>();
  for (const instr of parsed.instructions) {
    if (instr.startOffset >= at.startOffset) break;
    if (instr.keyword === 'ARG') for (const a of argDecls(instr)) if (a.value !== undefined) vars.set(a.name, a.value);
  }
  for (const [k, v] of modelOf(parsed).scopeBefore(at).values()) vars.set(k, v);
  return vars;
}

/** Whether a package word names a local file, a URL or a path rather than a registry package. */
export function isPathOrUrl(v: string): boolean {
  return v.startsWith('/') || v.startsWith('./') || v.startsWith('../') || v.startsWith('~') || v.includes('://') || v === '.';
}

/** apt-get options that take a value, so the value is not mistaken for the subcommand or a package. */
export { APT_VALUE_FLAGS };

/** Each `apt-get install` / `apt install` in a POSIX RUN, with the words around its subcommand. */
export function* aptInstalls(parsed: ParsedDockerfile): Generator<{ instr: Instr; cmd: Command; found: { rest: Word[]; before: Word[]; sub: Word } }> {
  for (const { instr } of modelOf(parsed).posixRuns) {
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
