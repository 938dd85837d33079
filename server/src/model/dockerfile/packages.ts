// Package-manager knowledge shared by the install rules: the cache mounts and environment a RUN sees, recognising
// pip/uv/apt/apk/yum calls and their package arguments, and BuildKit usage. The RUNs themselves, their mounts and
// the ARG/ENV scopes come from the model (model.ts).

import type { Instr, ParsedDockerfile } from '../../parse/dockerfile';
import { positionals, programArgs, programIndex, programName, type Command, type Word } from '../../parse/shell';
import { subcommand } from './wordsAndEdits';
import { chainOf } from './imageViews';
import { mountsOf, type RunInfo } from './runs';
import { modelOf } from './model';
import { HEREDOC_KEYWORDS } from '../../parse/args';
import { valueOptions, valueOptionSet } from './programOptions';

/** Exec-form RUNs have one pseudo-command whose word offsets span the whole array: never edit inside them. */
export function isExecForm(instr: Instr): boolean {
  return instr.jsonArgs !== null;
}

// ---------------------------------------------------------------------------------------------
// Mounts

/** Targets of mounts whose content never lands in the layer (cache and tmpfs). */
export function volatileTargets(instr: Instr): string[] {
  return mountsOf(instr).filter((m) => m.type === 'cache' || m.type === 'tmpfs').map((m) => m.target);
}

/** True when a mount target is the path or one of its parents (`/var/lib/apt` covers `/var/lib/apt/lists`). */
export function covers(target: string, path: string): boolean {
  return target === path || path.startsWith(target + '/');
}

// ---------------------------------------------------------------------------------------------
// Environment

const TRUE_VALUES = new Set(['1', 'true', 'on', 'yes', 'y', 't']);

export function truthy(value: string | undefined | null): boolean {
  return value !== undefined && value !== null && TRUE_VALUES.has(value.replace(/^["']|["']$/g, '').trim().toLowerCase());
}

/** The ARG/ENV values a RUN sees from the Dockerfile (the model's scope before it). */
export function envAt(parsed: ParsedDockerfile, run: RunInfo): Map<string, string> {
  return modelOf(parsed).scopeBefore(run.outer).values();
}

/**
 * Variables set inside the RUN for one command: `export K=V` earlier in the script and `K=V cmd` /
 * `env K=V cmd` prefixes of the command itself.
 */
export function shellEnvAt(commands: Command[], index: number): Map<string, string> {
  const env = new Map<string, string>();
  const assign = (w: Word) => {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(w.value);
    if (m) env.set(m[1], m[2]);
  };
  for (let i = 0; i < index; i++) {
    const c = commands[i];
    if (c.words[0]?.value === 'export') c.words.slice(1).forEach(assign);
  }
  const cmd = commands[index];
  const p = programIndex(cmd);
  cmd.words.slice(0, p < 0 ? cmd.words.length : p).forEach(assign);
  return env;
}

/** Whether a variable is truthy for a command, from the shell prefix/exports or the Dockerfile. */
export function flagVarSet(parsed: ParsedDockerfile, run: RunInfo, index: number, name: string): boolean {
  const sh = shellEnvAt(run.commands, index);
  if (sh.has(name)) return truthy(sh.get(name));
  return truthy(envAt(parsed, run).get(name));
}

/** The USER in effect for a RUN (stage chain), or undefined when none is set (root). */
export function userAt(run: RunInfo): string | undefined {
  if (!run.stage) return undefined;
  let user: string | undefined;
  for (const st of chainOf(run.stage)) {
    for (const i of st.instructions) {
      if (st === run.stage && i.startOffset >= run.outer.startOffset) break;
      if (i.keyword === 'USER') user = i.argsText.trim().split(/[\s:]/)[0];
    }
  }
  return user;
}

export function isRootUser(user: string | undefined): boolean {
  return user === undefined || user === '' || user === 'root' || user === '0';
}

// ---------------------------------------------------------------------------------------------
// pip, uv pip and pipx

export interface PipCall {
  tool: 'pip' | 'uv' | 'pipx';
  /** The program word (`pip3`, `python3`, `uv`). */
  program: Word;
  /** The `install` word. */
  install: Word;
  /** Every argument after the program except the subcommand words (flags may precede `install`). */
  flags: Word[];
  /** Arguments after `install`. */
  args: Word[];
}

const PIP_RE = /^pip[0-9.]*$/;
const PYTHON_RE = /^(python[0-9.]*|py)$/;

/** Recognise `pip install`, `python -m pip install`, `uv pip install` and `pipx install`. */
export function pipInstall(cmd: Command): PipCall | undefined {
  const pi = programIndex(cmd);
  if (pi < 0) return undefined;
  const program = cmd.words[pi];
  const name = programName(cmd);
  const rest = cmd.words.slice(pi + 1);
  let tool: PipCall['tool'];
  let subWords: string[];
  let from = 0;
  if (PIP_RE.test(name)) { tool = 'pip'; subWords = ['install']; }
  else if (name === 'pipx') { tool = 'pipx'; subWords = ['install']; }
  else if (name === 'uv') { tool = 'uv'; subWords = ['pip', 'install']; }
  else if (PYTHON_RE.test(name)) {
    const m = rest.findIndex((w) => w.value === '-m');
    if (m < 0 || !PIP_RE.test(rest[m + 1]?.value ?? '')) return undefined;
    tool = 'pip'; subWords = ['install']; from = m + 2;
  } else return undefined;
  const flags: Word[] = [];
  let k = 0;
  let install: Word | undefined;
  for (let i = from; i < rest.length; i++) {
    const w = rest[i];
    if (k < subWords.length && !w.value.startsWith('-')) {
      if (w.value !== subWords[k]) return undefined;
      k++;
      if (k === subWords.length) { install = w; flags.push(...rest.slice(i + 1)); break; }
      continue;
    }
    flags.push(w);
    if (valueOptions(tool).includes(w.value)) {
      flags.push(...rest.slice(i + 1, i + 2));
      i++;
    }
  }
  if (!install) return undefined;
  const args = rest.slice(rest.indexOf(install) + 1);
  return { tool, program, install, flags, args };
}

/**
 * Whether a pip call passes a long option, in full or abbreviated: pip parses with optparse, which takes any
 * unambiguous prefix (`--no-cache` for `--no-cache-dir`). `shortest` is the shortest prefix no other pip
 * option shares.
 */
export function hasPipOption(args: Word[], option: string, shortest: string): boolean {
  return args.some((w) => {
    const v = w.value.split('=')[0];
    return v.length >= shortest.length && option.startsWith(v) && v.startsWith(shortest);
  });
}

/** pip's `--no-cache-dir` as written or abbreviated (`--no-cache`; `--no-c` alone would also match `--no-color`). */
export function pipNoCacheDir(args: Word[]): boolean {
  return hasPipOption(args, '--no-cache-dir', '--no-ca');
}

/** Requirement files (`-r x`, `--requirement=x`) of a pip call. */
export function requirementFiles(args: Word[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const v = args[i].value;
    if ((v === '-r' || v === '--requirement' || v === '--requirements') && args[i + 1]) out.push(args[++i].value);
    else if (/^--requirements?=/.test(v)) out.push(v.slice(v.indexOf('=') + 1));
    else if (/^-r\S/.test(v)) out.push(v.slice(2));
  }
  return out;
}

/** Package arguments of a pip call: positionals, with values of value-taking options skipped. */
export function pipPackages(args: Word[]): Word[] {
  return positionals(args, valueOptions('pip'));
}

// ---------------------------------------------------------------------------------------------
// System package managers

export const APT_PROGRAMS = ['apt-get', 'apt', 'aptitude'];

export function aptSub(cmd: Command): Word | undefined {
  return APT_PROGRAMS.includes(programName(cmd)) ? subcommand(cmd) : undefined;
}

export function isAptInstall(cmd: Command): boolean {
  return aptSub(cmd)?.value === 'install';
}

export interface PackageList { manager: 'apt' | 'apk' | 'rpm' | 'zypper'; packages: Word[]; virtual?: string }

/** apt options that take a value (the next word is not a package). */
export const APT_VALUE_FLAGS = valueOptionSet('apt-get');
const APT_VALUE = valueOptions('apt-get');
const APK_VALUE = valueOptions('apk');
const RPM_VALUE = valueOptions('dnf');

function afterSub(cmd: Command, sub: Word): Word[] {
  const args = programArgs(cmd);
  return args.slice(args.indexOf(sub) + 1);
}

/** Packages a command installs with a system package manager (apt, apk, yum/dnf/microdnf, zypper). */
export function installedPackages(cmd: Command): PackageList | undefined {
  const name = programName(cmd);
  const sub = subcommand(cmd);
  if (!sub) return undefined;
  if (APT_PROGRAMS.includes(name) && sub.value === 'install') return { manager: 'apt', packages: positionals(afterSub(cmd, sub), APT_VALUE) };
  if (name === 'apk' && sub.value === 'add') {
    const args = programArgs(cmd);
    let virtual: string | undefined;
    args.forEach((w, i) => { if ((w.value === '-t' || w.value === '--virtual') && args[i + 1]) virtual = args[i + 1].value; });
    const pk = positionals(afterSub(cmd, sub), APK_VALUE);
    return { manager: 'apk', packages: pk, virtual };
  }
  if (['yum', 'dnf', 'microdnf', 'tdnf'].includes(name) && sub.value === 'install') return { manager: 'rpm', packages: positionals(afterSub(cmd, sub), RPM_VALUE) };
  if (name === 'zypper' && (sub.value === 'install' || sub.value === 'in')) return { manager: 'zypper', packages: positionals(afterSub(cmd, sub), valueOptions('zypper')) };
  return undefined;
}

const RPM_REMOVERS = new Set(['yum', 'dnf', 'microdnf', 'tdnf']);

/** Package names a command removes (apt purge/remove, apk del, yum/dnf remove). */
export function removedPackages(cmd: Command): string[] {
  const name = programName(cmd);
  const sub = subcommand(cmd);
  if (!sub) return [];
  const removing =
    (APT_PROGRAMS.includes(name) && (sub.value === 'purge' || sub.value === 'remove')) ||
    (name === 'apk' && sub.value === 'del') ||
    (RPM_REMOVERS.has(name) && (sub.value === 'remove' || sub.value === 'erase')) ||
    (name === 'zypper' && (sub.value === 'remove' || sub.value === 'rm'));
  return removing ? positionals(afterSub(cmd, sub), valueOptions(name)).map((w) => packageName(w.value)) : [];
}

/** A package argument without its version or architecture (`gcc=4:12` -> `gcc`, `curl~8` -> `curl`). */
export function packageName(word: string): string {
  return word.replace(/[=~<>].*$/, '').replace(/:[a-z0-9]+$/, '').toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// BuildKit

const HEREDOC_RE = /<<-?\s*["']?[A-Za-z_][A-Za-z0-9_]*/;

/** Whether an instruction uses a heredoc (`RUN <<EOF`, `COPY <<EOF /x`). */
export function hasHeredoc(instr: Instr): boolean {
  if (!HEREDOC_KEYWORDS.has(instr.keyword) || instr.jsonArgs) return false;
  // only the first line can open one: look at it without splitting the whole text into lines
  const text = instr.argsText;
  const nl = text.indexOf('\n');
  const firstLine = nl < 0 ? text : text.slice(0, nl);
  return firstLine.includes('<<') && HEREDOC_RE.test(firstLine);
}

/** Whether the file already relies on BuildKit: a syntax directive, RUN flags, heredocs or COPY --link/--parents/--exclude. */
export function usesBuildKit(parsed: ParsedDockerfile): boolean {
  if (parsed.directives.has('syntax')) return true;
  for (const outer of parsed.instructions) {
    const i = outer.onbuild ?? outer;
    if (i.keyword === 'RUN' && i.flags.some((f) => ['mount', 'network', 'security'].includes(f.name.toLowerCase()))) return true;
    if ((i.keyword === 'COPY' || i.keyword === 'ADD') && i.flags.some((f) => ['link', 'parents', 'exclude'].includes(f.name.toLowerCase()))) return true;
    if (hasHeredoc(i)) return true;
  }
  return false;
}

/**
 * For a heredoc RUN, the offset at the start of the closing delimiter's line (where a line can be
 * added to the body) and the indentation of the body's last line.
 */
export function heredocEnd(parsed: ParsedDockerfile, instr: Instr): { offset: number; indent: string } | undefined {
  const m = /<<(-?)\s*(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/.exec(parsed.index.lineText(instr.range.start.line));
  if (!m) return undefined;
  let prevIndent = '';
  for (let line = instr.range.start.line + 1; line <= instr.range.end.line; line++) {
    const text = parsed.index.lineText(line);
    const bare = m[1] ? text.replace(/^\t+/, '') : text;
    if (bare.trimEnd() === m[3]) return { offset: parsed.index.starts[line], indent: prevIndent };
    if (text.trim()) prevIndent = /^[ \t]*/.exec(text)![0];
  }
  return undefined;
}
