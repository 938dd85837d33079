// Shared logic for the yum, dnf/microdnf and zypper rules: which commands install packages, whether they
// answer prompts, clean their cache afterwards, and pin versions. One definition per tool family.

import type { Instr, ParsedDockerfile } from '../parse/dockerfile';
import type { Command, Word } from '../parse/shell';
import { runsProgram } from './runPrograms';
import { valueOptionSet } from '../model/dockerfile/programOptions';
import { afterSubcommand, anyFlag, hasCacheMount, isPathOrUrl, laterIndex, progOf, splitArgs } from '../model/dockerfile/runScripts';
import { modelOf } from '../model/dockerfile/model';
import { expandWord } from '../model/dockerfile/expansion';

export interface Family {
  programs: string[];
  /** Subcommand word sequences that install packages (for pinning, -y and cleanup). */
  install: string[][];
  /** Subcommands that also need cleanup / -y but take no package list to pin. */
  otherChanging: string[][];
  /** Subcommands that install module streams (`name:stream` pins). */
  module: string[][];
  yes: string[];
  valueFlags: ReadonlySet<string>;
  cacheDirs: string[];
  /** Whether a later command cleans the cache for the command's program. */
  cleans(later: Command, program: string): boolean;
  pinned(pkg: string): boolean;
}

const RM_TARGET = (dirs: string[]) => (c: Command): boolean =>
  progOf(c) === 'rm' && c.words.some((w) => dirs.some((d) => w.value === d || w.value.startsWith(d + '/')));

const subIs = (c: Command, program: string, ...seq: string[]): boolean => {
  if (progOf(c) !== program) return false;
  const pos = c.words.filter((w, i) => i > 0 && !w.value.startsWith('-')).map((w) => w.value);
  return seq.every((s, i) => pos[i] === s);
};

const RPM_VERSION = /-\d/;
const ZYPPER_VERSION = /[=<>]/;

const YUM_VALUES = valueOptionSet('yum');
const DNF_VALUES = valueOptionSet('dnf');
const ZYPPER_VALUES = valueOptionSet('zypper');

export const YUM: Family = {
  programs: ['yum'],
  install: [['install'], ['localinstall'], ['groupinstall']],
  otherChanging: [['update'], ['upgrade'], ['reinstall']],
  module: [['module', 'install']],
  yes: ['-y', '--assumeyes'],
  valueFlags: YUM_VALUES,
  cacheDirs: ['/var/cache/yum'],
  cleans: (c) => subIs(c, 'yum', 'clean', 'all') || RM_TARGET(['/var/cache/yum'])(c),
  pinned: (p) => RPM_VERSION.test(p),
};

export const DNF: Family = {
  programs: ['dnf', 'microdnf', 'dnf5'],
  install: [['install'], ['in']],
  otherChanging: [['upgrade'], ['up'], ['update'], ['upgrade-minimal'], ['up-min'], ['reinstall'], ['rei']],
  module: [['module', 'install']],
  yes: ['-y', '--assumeyes'],
  valueFlags: DNF_VALUES,
  cacheDirs: ['/var/cache/yum', '/var/cache/dnf', '/var/cache/libdnf5'],
  cleans: (c, program) => subIs(c, program, 'clean', 'all') || RM_TARGET(['/var/cache/yum', '/var/cache/dnf', '/var/cache/libdnf5'])(c),
  pinned: (p) => RPM_VERSION.test(p),
};

export const ZYPPER: Family = {
  programs: ['zypper'],
  install: [['install'], ['in']],
  otherChanging: [],
  module: [],
  yes: ['-n', '--non-interactive', '-y', '--no-confirm'],
  valueFlags: ZYPPER_VALUES,
  cacheDirs: ['/var/cache/zypp'],
  cleans: (c) => subIs(c, 'zypper', 'clean') || subIs(c, 'zypper', 'cc') || RM_TARGET(['/var/cache/zypp'])(c),
  pinned: (p) => ZYPPER_VERSION.test(p),
};

export interface Match { cmd: Command; index: number; program: string; sub: Word; before: Word[]; rest: Word[]; kind: 'install' | 'module' | 'other' }

/** The family command at `index`, if it is an install-like subcommand. */
export function matchCommand(f: Family, all: Command[], index: number): Match | undefined {
  const cmd = all[index];
  const program = progOf(cmd);
  if (!f.programs.includes(program)) return undefined;
  const mod = f.module.length ? afterSubcommand(cmd, f.module, f.valueFlags) : undefined;
  if (mod) return { cmd, index, program, ...mod, kind: 'module' };
  const inst = afterSubcommand(cmd, f.install, f.valueFlags);
  if (inst) return { cmd, index, program, ...inst, kind: 'install' };
  const other = f.otherChanging.length ? afterSubcommand(cmd, f.otherChanging, f.valueFlags) : undefined;
  if (other) return { cmd, index, program, ...other, kind: 'other' };
  return undefined;
}

export function answersYes(f: Family, m: Match): boolean {
  return anyFlag(m.before, f.yes) || anyFlag(m.rest, f.yes);
}

/** Install commands of a RUN that no later command cleans up after (and no cache mount covers). */
export function uncleaned(f: Family, instr: Instr, includeOther: boolean): Match[] {
  if (hasCacheMount(instr, f.cacheDirs)) return [];
  const all = instr.commands();
  const out: Match[] = [];
  for (let i = 0; i < all.length; i++) {
    const m = matchCommand(f, all, i);
    if (!m || (m.kind === 'other' && !includeOther)) continue;
    if (laterIndex(all, i, (c) => f.cleans(c, m.program)) >= 0) continue;
    out.push(m);
  }
  return out;
}

const WHOLE_VAR = /^\$(\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*)$/;

/** Package words of an install or module install that carry no version, after expanding known variables. */
export function unpinned(f: Family, m: Match, vars: Map<string, string>): Word[] {
  if (m.kind === 'other' || m.sub.value === 'groupinstall') return [];
  return splitArgs(m.rest, f.valueFlags).positionals.filter((w) => {
    const v = w.value;
    if (WHOLE_VAR.test(v) || isPathOrUrl(v) || v.endsWith('.rpm') || v.startsWith('@')) return false;
    const value = expandWord(v, vars, { quotes: false, keepUnset: true }).result;
    return m.kind === 'module' ? !value.includes(':') : !f.pinned(value);
  });
}

/** Every command of a package-manager family in the file's POSIX RUNs, with the RUN it belongs to. */
export function* familyCommands(parsed: ParsedDockerfile, f: Family): Generator<{ instr: Instr; m: Match }> {
  // most files never run the family's programs: skip the walk over every command
  if (!runsProgram(parsed, ...f.programs)) return;
  for (const { instr } of modelOf(parsed).posixRuns) {
    const all = instr.commands();
    for (let i = 0; i < all.length; i++) {
      const m = matchCommand(f, all, i);
      if (m) yield { instr, m };
    }
  }
}
