// Stage-level facts shared by the image-config rules, read off the model's image views (imageViews.ts): the distro
// family of a base image, what tools an image can hold, HEALTHCHECK probes and durations, and where to insert lines.

import { glob } from '../../core/glob';
import type { Instr, ParsedDockerfile, Stage } from '../../parse/dockerfile';
import type { TextEdit } from '../../core/findings';
import { continuationRe } from '../../parse/args';
import { programArgs } from '../../parse/shell';
import { insertAt, isProgram } from './wordsAndEdits';
import { installedPackages, packageName } from './packages';
import { expandWord } from './expansion';
import { chainOf, instrsOf, type Squash } from './imageViews';
import { modelOf } from './model';
import { trimTrailing } from '../../core/strings';

export type Family = 'scratch' | 'distroless' | 'busybox' | 'alpine' | 'debian' | 'ubuntu' | 'unknown';

/** Config instructions, in the order of the brief's catalogue. */
export const CONFIG_KEYWORDS = ['ENV', 'USER', 'WORKDIR', 'ENTRYPOINT', 'CMD', 'EXPOSE', 'HEALTHCHECK', 'LABEL', 'STOPSIGNAL', 'VOLUME'];

/** Distributions whose /bin/sh is bash (the RHEL family, Amazon Linux, openSUSE, Arch), by repository name or tag. */
const BASH_SH_NAME = /^(fedora|centos|centos-stream\d*|rockylinux|almalinux|oraclelinux|amazonlinux|rhel\d*|ubi\d*(-minimal|-micro|-init)?|archlinux|dev-almalinux-\d+|dev-centos-\d+)$/;
const BASH_SH_TAG = /(^|[-_.])(ubi\d|rockylinux\d|almalinux\d|centos\d|rhel\d|amzn\d|amazonlinux\d|oraclelinux\d|fedora\d*)/;

/** A character a variable in a stage name can stand for. */
const NAME_CHAR = /[a-z0-9_.-]/;

/**
 * Whether `name` reads as the literal `parts` with one or more stage-name characters in place of each variable
 * between them (the parts `base-` and an empty one for `base-${ARCH}`). One sweep per part: linear in the name.
 */
export function fillsTemplate(name: string, parts: string[]): boolean {
  if (!name.startsWith(parts[0])) return false;
  let reachable = new Set<number>([parts[0].length]);
  for (let k = 1; k < parts.length; k++) {
    const part = parts[k];
    const next = new Set<number>();
    let open = false; // a variable that started at a reachable position is still running here
    for (let q = 0; q <= name.length; q++) {
      if (open && name.startsWith(part, q)) next.add(q + part.length);
      if (q === name.length) break;
      if (!NAME_CHAR.test(name[q])) open = false;
      else if (reachable.has(q)) open = true;
    }
    reachable = next;
    if (reachable.size === 0) return false;
  }
  return reachable.has(name.length);
}

/**
 * Whether a stage's /bin/sh is known to be bash: its FROM chain ends on a RHEL-family (or other bash-as-sh) image.
 * A FROM that names stages through a variable (`FROM base-${TARGETARCH}`) counts when every stage it can name
 * does. Unknown bases are not bash.
 */
export function shIsBash(parsed: ParsedDockerfile, stage: Stage, depth = 0): boolean {
  const root = chainOf(stage)[0];
  const image = root.image.toLowerCase();
  // a variable in the tag only (`rocm/dev-almalinux-8:${V}-complete`) leaves the repository to judge by
  const repoPart = image.replace(/@.*$/, '').replace(/:[^/]*$/, '');
  if (repoPart.includes('$')) {
    if (depth > 4) return false;
    // the stages a variable FROM can name, such as base-amd64 and base-arm64 for base-${TARGETARCH}
    const parts = image.split(/\$\{?[A-Za-z_][A-Za-z0-9_]*(?::[-+][^}]*)?\}?/);
    const named = parsed.stages.filter((s) => s.index < root.index && s.name && fillsTemplate(s.name, parts));
    return named.length > 0 && named.every((s) => shIsBash(parsed, s, depth + 1));
  }
  const { repo, tag, name } = repoAndTag(image);
  return BASH_SH_NAME.test(name) || repo.startsWith('opensuse/') || BASH_SH_TAG.test(tag);
}

/**
 * A reference split for matching by name: the repository with its registry (`cgr.dev/chainguard/static`), the tag
 * (empty when none) and the last path component. The digest is dropped.
 */
function repoAndTag(ref: string): { repo: string; tag: string; name: string } {
  const at = ref.indexOf('@');
  const noDigest = at >= 0 ? ref.slice(0, at) : ref;
  const colon = noDigest.indexOf(':', noDigest.lastIndexOf('/') + 1);
  const repo = colon >= 0 ? noDigest.slice(0, colon) : noDigest;
  return { repo, tag: colon >= 0 ? noDigest.slice(colon + 1) : '', name: repo.slice(repo.lastIndexOf('/') + 1) };
}

/** The distro family of an image reference, from its name and tag. Unknown when it cannot tell. */
export function familyOf(image: string): Family {
  const ref = image.toLowerCase();
  if (ref === 'scratch') return 'scratch';
  if (ref.includes('$')) return 'unknown';
  const { repo, tag, name } = repoAndTag(ref);
  if (repo.includes('distroless')) return tag.includes('debug') ? 'busybox' : 'distroless';
  if (repo.startsWith('cgr.dev/chainguard/') && ['static', 'glibc-dynamic'].includes(name)) return 'distroless';
  if (name === 'busybox') return 'busybox';
  if (name === 'alpine' || /(^|[-_.])alpine/.test(tag)) return 'alpine';
  if (name === 'ubuntu' || /(jammy|noble|focal|bionic|xenial)/.test(tag)) return 'ubuntu';
  if (name === 'debian' || /(bookworm|bullseye|buster|trixie|stretch)/.test(tag)) return 'debian';
  // official language images default to a Debian base
  if (!repo.includes('/') || repo.startsWith('library/') || repo.startsWith('docker.io/library/')) {
    if (DEBIAN_OFFICIAL.has(name)) return 'debian';
  }
  return 'unknown';
}

const DEBIAN_OFFICIAL = new Set(['python', 'node', 'golang', 'ruby', 'rust', 'php', 'perl', 'buildpack-deps', 'gcc',
  'openjdk', 'postgres', 'redis', 'nginx', 'httpd', 'elixir', 'erlang', 'haskell', 'julia', 'r-base', 'swift']);

/** Official images built on buildpack-deps, whose full (non-slim) tags ship curl and wget. */
const BUILDPACK_FULL = new Set(['python', 'node', 'golang', 'ruby', 'rust', 'perl', 'buildpack-deps', 'gcc']);

/**
 * Whether an image of this reference ships a tool out of the box: 'yes', 'no', or 'unknown' when the
 * image is not one we know (then rules stay silent).
 */
export function baseHasTool(image: string, tool: 'curl' | 'wget' | 'sh'): 'yes' | 'no' | 'unknown' {
  const fam = familyOf(image);
  const { name, tag } = repoAndTag(image.toLowerCase());
  switch (fam) {
    case 'scratch':
    case 'distroless':
      return 'no';
    case 'busybox':
    case 'alpine':
      return tool === 'curl' ? 'no' : 'yes';
    case 'debian':
    case 'ubuntu':
      if (tool === 'sh') return 'yes';
      if (BUILDPACK_FULL.has(name) && !/slim/.test(tag)) return 'yes';
      if (name === 'debian' || name === 'ubuntu' || /slim/.test(tag)) return 'no';
      return 'unknown';
    default:
      return 'unknown';
  }
}

/** Package-manager installs of any of `pkgs` in the RUNs of some stages. */
export function installsPackage(parsed: ParsedDockerfile, stages: Stage[], pkgs: string[], opts: { unresolvedCounts?: boolean } = {}): boolean {
  for (const s of stages) {
    for (const i of s.instructions) {
      if (i.keyword !== 'RUN') continue;
      let vars: ((name: string) => string | undefined) | undefined;
      for (const cmd of i.commands()) {
        const list = installedPackages(cmd);
        if (!list) continue;
        for (const w of list.packages) {
          // `apt-get install ${PKGS}` with `ARG PKGS="curl ca-certificates"`: the ARG/ENV values are the packages
          if (w.value.includes('$')) vars ??= modelOf(parsed).scopeBefore(i).lookup;
          const words = w.value.includes('$') ? expandWord(w.value, vars!, { quotes: false, keepUnset: true }).result.split(/\s+/) : [w.value];
          for (const word of words) {
            if (pkgs.includes(packageName(word))) return true;
            if (opts.unresolvedCounts && word.includes('$')) return true;
          }
        }
      }
    }
  }
  return false;
}

/** COPY/ADD instructions of some stages whose source or destination path ends in one of the names. */
export function copiesFile(stages: Stage[], names: string[]): boolean {
  return instrsOf(stages, 'COPY', 'ADD').some((i) => (i.jsonArgs ?? i.args.map((a) => a.value))
    .some((p) => names.includes(trimTrailing(p, '/').split('/').pop() ?? '')));
}

/** The user a stage creates with useradd/adduser (last one), if any. */
export function createdUser(stages: Stage[]): string | undefined {
  let user: string | undefined;
  for (const s of stages) {
    for (const i of s.instructions) {
      if (i.keyword !== 'RUN') continue;
      for (const cmd of i.commands()) {
        if (!isProgram(cmd, 'useradd', 'adduser')) continue;
        const args = programArgs(cmd);
        // the login name is the last positional; flags with values are skipped by pairing
        const withValue = new Set(['-u', '--uid', '-g', '--gid', '-G', '--groups', '-s', '--shell', '-h', '--home', '-d', '--home-dir', '-c', '--comment', '--gecos', '-k', '-K', '-e', '-f', '--ingroup']);
        const pos: string[] = [];
        for (let k = 0; k < args.length; k++) {
          const v = args[k].value;
          // `-ms /bin/bash`: short flags run together, the last of which takes a value
          if (withValue.has(v) || /^-[a-zA-Z]*[ugGshdckKef]$/.test(v) && !/^-[a-zA-Z]*[ugGshdckKef]=/.test(v) && v.length > 2) { k++; continue; }
          if (!v.startsWith('-')) pos.push(v);
        }
        // busybox/Debian `adduser user group` adds an existing user to a group: first positional wins
        if (pos.length > 0 && /^[a-z_][a-z0-9_-]*\$?$/i.test(pos[0])) user = pos[0];
      }
    }
  }
  return user;
}

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, '\u00b5s': 1e-3, '\u03bcs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A Go-style duration (`30s`, `1m30s`, `500ms`, `1.5h`) in milliseconds; undefined when invalid. */
export function parseDuration(text: string): number | undefined {
  const s = text.trim();
  if (s === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)/y;
  let total = 0;
  let pos = 0;
  while (pos < s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) return undefined;
    total += Number(m[1]) * UNIT_MS[m[2]];
    pos = re.lastIndex;
  }
  return pos > 0 ? total : undefined;
}

/**
 * Where to add config lines to a stage "before it starts the program": the first CMD/ENTRYPOINT of the
 * stage (above the comment lines directly over it, which belong to it), else after the stage's end.
 */
export function runConfigInsertion(parsed: ParsedDockerfile, stage: Stage): { offset: number; atLineStart: boolean } {
  const first = stage.instructions.find((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT');
  if (first) {
    let line = first.range.start.line;
    while (line > stage.from.range.end.line + 1 && /^\s*#/.test(parsed.index.lineText(line - 1))) line--;
    return { offset: parsed.index.starts[line], atLineStart: true };
  }
  const last = stage.instructions[stage.instructions.length - 1];
  return { offset: last.endOffset, atLineStart: false };
}

/** An edit inserting whole lines at an insertion point (line start: before it; otherwise after a line's end). */
export function insertLines(parsed: ParsedDockerfile, at: { offset: number; atLineStart: boolean }, lines: string[]): TextEdit {
  const eol = parsed.index.eol;
  const body = lines.join(eol);
  return insertAt(parsed, at.offset, at.atLineStart ? body + eol : eol + body);
}

/** Insertion right after an instruction (on the following line). */
export function afterInstr(instr: Instr): { offset: number; atLineStart: boolean } {
  return { offset: instr.endOffset, atLineStart: false };
}

/** A path glob match ignoring case: `*` and `?` stay within a folder, `**` crosses folders (see core/glob). */
export function globMatch(pattern: string, text: string): boolean {
  return glob(pattern, { nocase: true }).test(text);
}

/** Continuation text that matches the file's escape character. */
export function continuation(parsed: ParsedDockerfile): string {
  return ` ${parsed.escapeChar}`;
}

/**
 * Where config re-declared in a squash stage goes: right after the `COPY --from=<src> / /` line, or after
 * the ARG instructions that directly follow it so the new lines can use those ARGs.
 */
export function squashInsertion(squash: Squash): { offset: number; atLineStart: boolean; after: Instr } {
  const list = squash.stage.instructions;
  let k = list.indexOf(squash.copy);
  while (k + 1 < list.length && list[k + 1].keyword === 'ARG') k++;
  return { ...afterInstr(list[k]), after: list[k] };
}

/**
 * ARG and ENV names visible at an offset of a stage (where lines are about to be inserted): the model's scope before
 * the first instruction at or after it.
 */
export function namesInScope(parsed: ParsedDockerfile, stage: Stage, offset: number): Set<string> {
  const m = modelOf(parsed);
  const next = stage.instructions.find((i) => i.startOffset >= offset);
  return (next ? m.scopeBefore(next) : m.scopeAtEnd(stage)).names();
}

/** What a HEALTHCHECK runs: NONE, the exec-form array, or the shell script's commands. */
export function healthcheckProbe(parsed: ParsedDockerfile, instr: Instr): { none: boolean; exec: string[] | null; shell: boolean } {
  const first = instr.args[0]?.value.toUpperCase();
  if (first === 'NONE') return { none: true, exec: null, shell: false };
  const m = /(^|\s)CMD\s+/i.exec(instr.argsText);
  if (!m) return { none: false, exec: null, shell: false };
  const rest = instr.argsText.slice(m.index + m[0].length)
    .replace(continuationRe(parsed.escapeChar), '').trim();
  if (rest.startsWith('[')) {
    try {
      const v = JSON.parse(rest) as unknown;
      if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return { none: false, exec: v as string[], shell: false };
    } catch { /* not JSON: Docker runs it through the shell */ }
  }
  return { none: false, exec: null, shell: true };
}

export const HEALTHCHECK_DEFAULTS = { interval: '30s', timeout: '5s', 'start-period': '30s', retries: '3' } as const;
