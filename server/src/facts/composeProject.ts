// The effective project around a linted compose file: the model of the project it belongs to, and the models of
// the files that use it as a building block (through `include:` or `extends: { file }`), found among the YAML files
// of its folder and the two folders above. Rules judge a fragment with what its users declare, so a base file
// reports only what is wrong wherever it is used.

import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import type { FileHost } from '../core/fileHost';
import { parseCompose, type ParsedCompose } from '../parse/compose';
import { DEFAULT_FILES, loadComposeModel, type ComposeModel } from '../model/composeProject';
import { StatCache } from './statCache';

export interface ProjectModels {
  /** The effective project of the linted file's own project files; absent when the file stands alone. */
  model?: ComposeModel;
  /** Projects of other files that include the linted file or extend one of its services. */
  users: ComposeModel[];
}

/** Folders searched for users, and files read per folder: enough for real layouts, bounded for monorepos. */
const UP = 2;
const MAX_FILES_PER_DIR = 40;
const MAX_USER_CHARS = 256 * 1024;

/** Files that a compose text refers to through `include:` or `extends: { file }`, resolved against its folder. */
export function referencedFiles(file: string, parsed: ParsedCompose): string[] {
  const dir = path.dirname(file);
  const out = new Set<string>();
  for (const root of parsed.values) {
    if (!root || typeof root !== 'object') continue;
    const r = root as Record<string, unknown>;
    for (const e of Array.isArray(r.include) ? r.include : r.include === undefined ? [] : [r.include]) {
      const p = typeof e === 'string' ? e : e && typeof e === 'object' ? (e as { path?: unknown }).path : undefined;
      for (const x of Array.isArray(p) ? p : [p]) if (typeof x === 'string') out.add(path.resolve(dir, x));
    }
    for (const s of Object.values((r.services ?? {}) as Record<string, unknown>)) {
      const ext = s && typeof s === 'object' ? (s as { extends?: unknown }).extends : undefined;
      const f = ext && typeof ext === 'object' ? (ext as { file?: unknown }).file : undefined;
      if (typeof f === 'string') out.add(path.resolve(dir, f));
    }
  }
  return [...out];
}

/** Per candidate file, the files it refers to (most YAML files refer to none), while it is unchanged. */
const refsCache = new StatCache<string[]>(512, MAX_USER_CHARS);

async function refsOf(host: FileHost, file: string): Promise<string[]> {
  return refsCache.get(file, [], async () => {
    // a speculative look: a file that cannot be read (outside the project, too large) is simply not a user
    const r = await host.read(file, 'compose', { quiet: true, maxBytes: MAX_USER_CHARS });
    return r.ok ? referencedFiles(file, parseCompose(r.text)) : [];
  });
}

/** Compose files near `self` that include it or extend a service from it. */
export async function usersOf(host: FileHost, self: string): Promise<string[]> {
  const out: string[] = [];
  let dir = path.dirname(self);
  for (let up = 0; up <= UP; up++) {
    // folders outside the project are never searched
    if (up > 0 && (await host.kind(dir, { quiet: true })) === 'outside') break;
    let names: string[] = [];
    try { names = (await readdir(dir)).filter((n) => /\.ya?ml$/i.test(n)).sort().slice(0, MAX_FILES_PER_DIR); } catch { names = []; }
    for (const n of names) {
      const f = path.join(dir, n);
      if (f !== self && (await refsOf(host, f)).includes(self)) out.push(f);
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return out;
}

/** Per nearby file, the top-level volumes it declares, while it is unchanged. */
const volumesCache = new StatCache<string[]>(512, MAX_USER_CHARS);

async function volumesOf(host: FileHost, file: string): Promise<string[]> {
  return volumesCache.get(file, [], async () => {
    // a speculative look, as for users: a file that cannot be read declares nothing here
    const r = await host.read(file, 'compose', { quiet: true, maxBytes: MAX_USER_CHARS });
    if (!r.ok) return [];
    return parseCompose(r.text).values.flatMap((v) => {
      const vols = v && typeof v === 'object' ? (v as { volumes?: unknown }).volumes : undefined;
      return vols && typeof vols === 'object' && !Array.isArray(vols) ? Object.keys(vols) : [];
    });
  });
}

/**
 * Named volumes that the compose files a project-less file may be combined with declare: the other YAML files of
 * its folder (`-f compose.yaml -f overrides/a.yaml -f overrides/b.yaml`) and the default files of the folders above.
 */
export async function companionVolumes(host: FileHost, self: string, roots: string[]): Promise<Set<string>> {
  const dir = path.dirname(self);
  let names: string[] = [];
  try { names = (await readdir(dir)).filter((n) => /\.ya?ml$/i.test(n)).sort().slice(0, MAX_FILES_PER_DIR); } catch { names = []; }
  const files = [...names.map((n) => path.join(dir, n)).filter((f) => f !== self)];
  for (const root of roots) for (const n of DEFAULT_FILES) files.push(path.join(root, n));
  const out = new Set<string>();
  for (const f of files) for (const v of await volumesOf(host, f)) out.add(v);
  return out;
}

/** The models a compose file's rules consult; failures leave them absent (the rules then judge the file alone). */
export async function projectModels(host: FileHost, self: string, projectFiles: string[], read: (f: string) => Promise<ParsedCompose | undefined>): Promise<ProjectModels> {
  // a file on its own, with no include or extends, is its own project: the rules read it directly
  const own = await read(self);
  const alone = projectFiles.length === 0 && (!own || referencedFiles(self, own).length === 0);
  const model = alone ? undefined : await loadComposeModel(host, projectFiles.length ? projectFiles : [self], { read });
  const users: ComposeModel[] = [];
  for (const u of await usersOf(host, self)) users.push(await loadComposeModel(host, [u], { read }));
  return { model, users };
}
