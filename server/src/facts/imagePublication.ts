// Whether the project publishes the image a Dockerfile builds, as far as its files show. A Docker official-image
// repository (`generate-stackbrew-library.sh`, a `stackbrew` file, or a bashbrew manifest under `library/`) has its
// images built and annotated by Docker's library build. Otherwise the image is published when a file that runs
// the build (a workflow, Makefile, script, package.json or GoReleaser file, found as for the build labels) pushes
// an image and names this Dockerfile: by its path (`file: ./docker/Dockerfile`, `-f docker/dockerfile`, with
// `${{ … }}` and `$VAR` read as any name), by a build `context:` whose default Dockerfile it is, or, when the file
// names no Dockerfile at all, as the default `Dockerfile`. Anything else is unknown. Also the build arguments those
// files and compose services pass, so a FROM built from one is known to be set by the build.

import * as path from 'node:path';
import type { FileHost } from '../core/fileHost';
import { buildFilesOf } from './buildLabels';
import { parseCompose } from '../parse/compose';
import { mapReferences, pushesImage, scanBuildFile } from './buildText';

export interface ImagePublication {
  /** The file that makes the repository a Docker official-image repository (relative to its folder), if any. */
  official?: string;
  /** The build file that pushes this Dockerfile's image (relative to the Dockerfile's folder), if any. */
  pushedBy?: string;
  /** Build arguments the project's builds pass (`--build-arg NAME=`, build-push-action's `build-args`, compose `args`), with the file that passes each. */
  buildArgs?: Map<string, string>;
}

/** A word of path characters; a word that holds a Dockerfile's name names one (`docker/Dockerfile.alpine`, `ci.Dockerfile`, `Containerfile`). */
const WORD = /[\w.\/*-]+/g;

/** The Dockerfile a path word names (`docker/Dockerfile.alpine`), cut after the name's last segment; undefined when it names none. */
function dockerfileIn(word: string): string | undefined {
  const lower = word.toLowerCase();
  const at = Math.max(lower.lastIndexOf('dockerfile'), lower.lastIndexOf('containerfile'));
  if (at < 0 || !/^[Dd]ockerfile|^[Cc]ontainerfile/.test(word.slice(at))) return undefined;
  const slash = word.indexOf('/', at);
  return slash < 0 ? word : word.slice(0, slash);
}
const CONTEXT = /(?:^|\s)context:\s*["']?([^\s"'#]+)/gm;
const BUILD = /\b(?:docker|podman|nerdctl)\s+(?:buildx\s+)?build\b([^\n;&|)]*)/g;

interface Pushed { pushes: boolean; names: string[]; args?: string[] }
const NONE: Pushed = { pushes: false, names: [] };

/** The Dockerfiles a piece of build text names: file words, build contexts (`context:`, the last word of `docker build`). */
function namesIn(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(WORD)) {
    const name = dockerfileIn(m[0]);
    if (!name) continue;
    const after = text[m.index! + name.length];
    // a key (`dockerfile:`) or a flag name is not a file
    if (after === ':' || after === '=' || name.startsWith('-')) continue;
    names.add(name.replace(/^\.\//, ''));
  }
  // an explicit file wins over the build context's default Dockerfile
  if (names.size) return names;
  const dflt = (ctx: string) => `${ctx.replace(/^\.\/?/, '').replace(/\/$/, '')}/Dockerfile`.replace(/^\//, '');
  for (const m of text.matchAll(CONTEXT)) names.add(dflt(m[1]));
  for (const m of text.replace(/\\\r?\n/g, ' ').matchAll(BUILD)) {
    const words = m[1].trim().split(/\s+/).filter(Boolean);
    const last = words[words.length - 1];
    if (last && !last.startsWith('-') && !last.includes('=') && !words.some((w) => w === '-f' || /^--file\b/.test(w))) names.add(dflt(last));
  }
  return names;
}

/**
 * Whether a build file's text pushes an image, and the Dockerfiles it publishes (as written, `*` for templating):
 * those named in the step, recipe or command block that pushes; all the file names when the pushing blocks name
 * none (a `docker push` after the build); the default `Dockerfile` when the file names none at all.
 */
export function pushedDockerfiles(text: string): Pushed {
  if (!pushesImage(text)) return { pushes: false, names: [] };
  // templating read as "any name"
  const t = mapReferences(text, () => '*');
  const blocks: string[] = [];
  let cur: string[] = [];
  for (const line of t.split(/\r?\n/)) {
    // a blank line, a workflow step, a Makefile target or a top-level key starts a new block
    if ((line.trim() === '' || /^\s*-\s+(?:name|uses|id|run):/.test(line) || /^[\w.\/$()*-]+\s*:(?!=)/.test(line)) && cur.length) { blocks.push(cur.join('\n')); cur = []; }
    cur.push(line);
  }
  blocks.push(cur.join('\n'));
  const names = new Set<string>();
  for (const b of blocks) if (pushesImage(b)) for (const n of namesIn(b)) names.add(n);
  if (names.size === 0) for (const n of namesIn(t)) names.add(n);
  if (names.size === 0) names.add('Dockerfile');
  return { pushes: true, names: [...names] };
}

/** The build arguments a workflow, Makefile or script passes: `--build-arg NAME=…`, and `NAME=…` lines under `build-args:`. */
export function buildArgsIn(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(/--build-arg(?:=|\s+)["']?([A-Za-z_][A-Za-z0-9_]*)=/g)) out.add(m[1]);
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const m = /^(\s*)build[-_]args:\s*(?:\|[-+]?\s*)?$/.exec(lines[i]);
    if (!m) continue;
    for (let j = i + 1; j < lines.length; j++) {
      if (lines[j].trim() === '') continue;
      if (lines[j].length - lines[j].trimStart().length <= m[1].length) break;
      const a = /^\s*(?:-\s*)?["']?([A-Za-z_][A-Za-z0-9_]*)=/.exec(lines[j]);
      if (a) out.add(a[1]);
    }
  }
  return [...out];
}

/** The build arguments compose services pass (`build.args`, a mapping or a `NAME=value` list). */
function composeArgs(text: string): string[] {
  const out = new Set<string>();
  for (const svc of parseCompose(text).services) {
    const build = svc.value?.build;
    const args = build && typeof build === 'object' ? (build as { args?: unknown }).args : undefined;
    const names = Array.isArray(args) ? args.map((a) => String(a).split('=')[0]) : args && typeof args === 'object' ? Object.keys(args) : [];
    for (const n of names) if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(n.trim())) out.add(n.trim());
  }
  return [...out];
}

/** Whether `text` matches `pattern`, where `*` stands for any run of characters other than `/`. */
function globMatches(pattern: string, text: string): boolean {
  const parts = pattern.split('*');
  if (parts.length === 1) return pattern === text;
  if (!text.startsWith(parts[0]) || !text.endsWith(parts[parts.length - 1]) || text.length < parts[0].length + parts[parts.length - 1].length) return false;
  let pos = parts[0].length;
  const end = text.length - parts[parts.length - 1].length;
  for (const mid of parts.slice(1, -1)) {
    const at = text.indexOf(mid, pos);
    if (at < 0 || at + mid.length > end || text.slice(pos, at).includes('/')) return false;
    pos = at + mid.length;
  }
  return !text.slice(pos, end).includes('/');
}

/** Whether `name` (as a build file writes it) names the Dockerfile at one of `rels` (its path relative to each folder walked). */
export function namesDockerfile(name: string, rels: string[]): boolean {
  return rels.some((r) => globMatches(name, r));
}

async function officialSignal(host: FileHost, dir: string): Promise<string | undefined> {
  const names = (await host.list?.(dir)) ?? [];
  const sign = names.find((n) => n === 'generate-stackbrew-library.sh' || /^stackbrew[\w.-]*$/i.test(n));
  if (sign) return sign;
  if (!names.includes('library')) return undefined;
  for (const n of ((await host.list?.(path.join(dir, 'library'))) ?? []).slice(0, 8)) {
    const r = await host.read(path.join(dir, 'library', n), 'other', { maxBytes: 64 * 1024, quiet: true });
    // a bashbrew manifest: the library build's list of tags, the repository and the folder of each image
    if (r.ok && /^GitRepo:\s*\S/m.test(r.text) && /^(?:Tags|Directory|GitCommit):\s*\S/m.test(r.text)) return `library/${n}`;
  }
  return undefined;
}

/** What the project's files say about publishing the image the Dockerfile `file` builds. */
export async function imagePublication(host: FileHost, file: string): Promise<ImagePublication> {
  const abs = path.resolve(file);
  const { files, dirs } = await buildFilesOf(host, abs);
  const out: ImagePublication = {};
  for (const d of dirs) {
    const sign = await officialSignal(host, d);
    if (sign) { out.official = path.relative(path.dirname(abs), path.join(d, sign)).split(path.sep).join('/'); break; }
  }
  const rel = (d: string) => path.relative(d, abs).split(path.sep).join('/');
  const shown = (p: string) => path.relative(path.dirname(abs), p).split(path.sep).join('/');
  for (const f of files) {
    // paths in a build file are read from the folder it was found in or from the repository root
    const rels = [rel(f.dir), rel(dirs[dirs.length - 1])];
    const found = await scanBuildFile(host, f.path, f.compose ? 'publication:compose' : 'publication', NONE, (text) =>
      f.compose ? { ...NONE, args: composeArgs(text) } : { ...pushedDockerfiles(text), args: buildArgsIn(text) });
    for (const a of found.args ?? []) if (!out.buildArgs?.has(a)) (out.buildArgs ??= new Map()).set(a, shown(f.path));
    if (!out.pushedBy && found.pushes && found.names.some((n) => namesDockerfile(n, rels))) out.pushedBy = shown(f.path);
  }
  return out;
}
