// Which OCI labels the project's build supplies from outside the Dockerfile: a GitHub Actions workflow that passes
// `docker/metadata-action`'s labels (or bake file) to the build sets every OCI label; `--label org.opencontainers.
// image.<name>=…` in a workflow, Makefile or script, a build-push-action `labels:` list, a bake file's `labels`, a
// compose service's `build.labels`, GoReleaser's `--label=` build flags and package.json scripts each set the labels they name. Searched in
// the Dockerfile's folder and the folders above it up to the repository root, read through the file host (confined to the project, size-capped).

import * as path from 'node:path';
import type { FileHost } from '../core/fileHost';
import { foldersUp } from '../core/projectScope';
import { parseCompose } from '../parse/compose';
import { scanBuildFile } from './buildText';
import { trimTrailing } from '../core/strings';

export interface BuildLabels {
  /** The build sets every OCI label (docker/metadata-action's labels passed to the build). */
  all: boolean;
  /** The OCI label keys the build sets by name. */
  keys: Set<string>;
}

const MAX_FILES = 64;
const OCI_KEY = /org\.opencontainers\.image\.[a-z][a-z0-9.-]*/g;
/** Files in a folder that may run the build: Makefiles, shell scripts and bake files. */
const BUILD_FILE = /^(?:(?:GNU)?makefile|.*\.mk|.*\.sh|docker-bake(?:\.[\w-]+)?\.(?:hcl|json))$/i;
const COMPOSE_NAME = /^(docker-)?compose[^/]*\.ya?ml$/i;
const SCRIPT_FOLDERS = ['scripts', 'script', 'hack', 'build', 'ci', '.ci'];
/** Files looked for by name in each folder: CI definitions, GoReleaser and npm scripts. */
const ROOT_BUILD_FILES = ['.gitlab-ci.yml', '.drone.yml', '.goreleaser.yml', '.goreleaser.yaml', 'goreleaser.yml', 'goreleaser.yaml', 'package.json'];

interface Found { all: boolean; keys: string[] }

/** The OCI keys a workflow, Makefile, script or bake file sets: a key followed by `=`, `:` or a quoted `=`/`:`. */
export function labelsInBuildText(text: string): Found {
  const keys = new Set<string>();
  for (const m of text.matchAll(OCI_KEY)) {
    const after = text.slice(m.index! + m[0].length, m.index! + m[0].length + 4);
    if (/^["']?\s*[=:]/.test(after)) keys.add(trimTrailing(m[0], '.-'));
  }
  // metadata-action's `labels` (or `bake-file`) output handed to the build sets the whole OCI set
  const all = /uses:\s*["']?docker\/metadata-action@/.test(text) && /steps\.[\w-]+\.outputs\.(?:labels|bake-file(?:-labels)?)\b/.test(text);
  return { all, keys: [...keys] };
}

/** The OCI keys compose services set with `build.labels` (a mapping or a `KEY=VALUE` list). */
export function labelsInCompose(text: string): Found {
  const keys = new Set<string>();
  for (const svc of parseCompose(text).services) {
    const build = svc.value?.build;
    const labels = build && typeof build === 'object' ? (build as { labels?: unknown }).labels : undefined;
    const names = Array.isArray(labels) ? labels.map((l) => String(l).split('=')[0]) : labels && typeof labels === 'object' ? Object.keys(labels) : [];
    for (const n of names) if (n.trim().startsWith('org.opencontainers.image.')) keys.add(n.trim());
  }
  return { all: false, keys: [...keys] };
}

/** A folder's names, and whether it may hold an entry (only a listing that does not name it rules it out). */
interface Folder { names: string[]; mayHold(name: string): boolean }

async function folderAt(host: FileHost, dir: string): Promise<Folder> {
  if ((await host.kind(dir, { quiet: true })) !== 'dir') return { names: [], mayHold: () => false };
  const listing = host.list ? await host.list(dir) : undefined;
  if (!listing) return { names: [], mayHold: () => true };
  // compared without case: on a case-insensitive file system the lookups that follow would find `.GitHub` too
  const lower = new Set(listing.map((n) => n.toLowerCase()));
  return { names: [...listing].sort(), mayHold: (name) => lower.has(name.toLowerCase()) };
}

async function listed(host: FileHost, dir: string): Promise<string[]> {
  return (await folderAt(host, dir)).names;
}

/** A file that may run the build of a Dockerfile: a workflow, Makefile, script, package.json, bake, compose or GoReleaser file. */
export interface BuildFile {
  path: string;
  compose: boolean;
  /** The folder walked in which the file was found (paths it names are read from there or from the root). */
  dir: string;
}

/**
 * The files that may run the build of the Dockerfile `file`, searched in its folder and the folders above it up to
 * the repository root (foldersUp: never outside the project), and the folders walked, nearest first.
 */
export async function buildFilesOf(host: FileHost, file: string): Promise<{ files: BuildFile[]; dirs: string[] }> {
  const files: BuildFile[] = [];
  const dirs = await foldersUp(host, path.dirname(path.resolve(file)));
  for (const dir of dirs) {
    // the folder's listing answers which of the candidates below exist, so absent ones cost no lookup
    const here = await folderAt(host, dir);
    for (const n of here.names) {
      if (BUILD_FILE.test(n)) files.push({ path: path.join(dir, n), compose: false, dir });
      else if (COMPOSE_NAME.test(n)) files.push({ path: path.join(dir, n), compose: true, dir });
    }
    for (const sub of SCRIPT_FOLDERS) if (here.mayHold(sub)) for (const n of await listed(host, path.join(dir, sub))) {
      if (BUILD_FILE.test(n)) files.push({ path: path.join(dir, sub, n), compose: false, dir });
    }
    for (const w of ['.github/workflows', '.gitea/workflows']) if (here.mayHold(w.split('/')[0])) for (const n of await listed(host, path.join(dir, w))) {
      if (/\.ya?ml$/i.test(n)) files.push({ path: path.join(dir, w, n), compose: false, dir });
    }
    for (const n of ROOT_BUILD_FILES) if (here.mayHold(n) && (await host.kind(path.join(dir, n), { quiet: true })) === 'file') files.push({ path: path.join(dir, n), compose: false, dir });
  }
  return { files: files.slice(0, MAX_FILES), dirs };
}

/** The labels the build of the Dockerfile `file` supplies; undefined when it supplies none. */
export async function buildLabels(host: FileHost, file: string): Promise<BuildLabels | undefined> {
  const { files } = await buildFilesOf(host, file);
  const out: BuildLabels = { all: false, keys: new Set() };
  for (const f of files) {
    const found = await scanBuildFile(host, f.path, f.compose ? 'labels:compose' : 'labels', { all: false, keys: [] }, f.compose ? labelsInCompose : labelsInBuildText);
    if (!found.all && found.keys.length === 0) continue;
    out.all ||= found.all;
    for (const k of found.keys) out.keys.add(k);
  }
  return out.all || out.keys.size ? out : undefined;
}
