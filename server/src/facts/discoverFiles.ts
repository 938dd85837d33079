// File discovery for `hullcheck lint PATH...`: folders are walked (skipping dependency and VCS folders, what
// .gitignore and the exclude globs leave out, and symlinks that leave the folder), files named on the command
// line are classified by name and content, and `--changed-since` takes the list from git instead of a walk.

import { readdir, realpath, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { languageOf } from '../core/fileLanguage';
import type { Language } from '../core/findings';
import { classify, languageByName } from './classifyFile';
import { Excludes, type ExcludeOptions } from './excludes';
import { changedFiles } from './gitChangedFiles';
import { isSkippedFolder } from './skippedFolders';


export interface DiscoveryError { path: string; message: string }

export interface DiscoverOptions extends ExcludeOptions {
  /** Lint only the files git reports as changed since this revision (within the given paths). */
  changedSince?: string;
}

export interface Discovered {
  files: string[];
  /** What each file is linted as. */
  languages: Map<string, Language>;
  errors: DiscoveryError[];
  /** One line each for paths named explicitly that are not linted (not a known kind of file, or excluded). */
  notices: string[];
}

/** Whether a file name is one the CLI lints when it walks a folder (YAML files also need a `services:` key). */
export function isLintable(name: string): boolean {
  return languageOf(name) !== undefined;
}

interface Candidate { file: string; language: Language; real: string; link: boolean }

/**
 * Expand the given paths into files. Errors (missing path, permission denied) are collected, not thrown, so the
 * rest still gets linted. A file reached twice (a symlink to a Dockerfile of the tree) is linted once.
 */
export async function discover(paths: string[], opts: DiscoverOptions = {}): Promise<Discovered> {
  const errors: DiscoveryError[] = [];
  const notices: string[] = [];
  const found: Candidate[] = [];
  const ex = new Excludes(opts);
  const cwd = path.resolve(opts.cwd ?? process.cwd());

  const add = async (file: string, language: Language, link: boolean, within?: string): Promise<void> => {
    const real = await realpath(path.resolve(cwd, file)).catch(() => undefined);
    if (!real) return;
    // a symlink that leads out of the walked folder is not followed
    if (link && within && path.relative(within, real).startsWith('..')) return;
    found.push({ file, language, real, link });
  };

  const walk = async (dir: string, rootReal: string, rootAbs: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(path.resolve(cwd, dir), { withFileTypes: true });
    } catch (e) {
      errors.push({ path: dir, message: (e as Error).message });
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!isSkippedFolder(entry.name) && !await ex.excluded(path.resolve(cwd, full), true, true, rootAbs)) await walk(full, rootReal, rootAbs);
        continue;
      }
      if (!entry.isFile() && !entry.isSymbolicLink()) continue;
      const byName = languageByName(entry.name);
      if (!byName) continue;
      const abs = path.resolve(cwd, full);
      if (entry.isSymbolicLink() && !(await stat(abs).then((s) => s.isFile(), () => false))) continue;
      if (await ex.excluded(abs, false, true, rootAbs)) continue;
      const language = byName === 'yaml' || byName === 'compose' ? await classify(abs, false) : byName;
      if (language) await add(full, language, entry.isSymbolicLink(), rootReal);
    }
  };

  if (opts.changedSince) {
    let changed: string[];
    try { changed = await changedFiles(opts.changedSince, cwd); } catch (e) {
      errors.push({ path: opts.changedSince, message: (e as Error).message });
      return { files: [], languages: new Map(), errors, notices };
    }
    const roots = paths.map((p) => path.resolve(cwd, p));
    for (const abs of changed) {
      if (!roots.some((r) => abs === r || !path.relative(r, abs).startsWith('..'))) continue;
      if (path.relative(cwd, abs).split(path.sep).some(isSkippedFolder)) continue;
      if (!(await stat(abs).then((s) => s.isFile(), () => false)) || await ex.excluded(abs, false, false)) continue;
      const language = await classify(abs, false);
      const shown = path.relative(cwd, abs);
      if (language) await add(shown.startsWith('..') ? abs : shown, language, false);
    }
  } else {
    for (const p of paths) {
      let st;
      try {
        st = await stat(path.resolve(cwd, p));
      } catch (e) {
        errors.push({ path: p, message: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message });
        continue;
      }
      if (st.isDirectory()) {
        await walk(p, await realpath(path.resolve(cwd, p)), path.resolve(cwd, p));
      } else if (await ex.excluded(path.resolve(cwd, p), false, false)) {
        notices.push(`${p}: excluded by an exclude glob; not linted`);
      } else {
        const language = await classify(path.resolve(cwd, p), true);
        if (language) await add(p, language, false);
        else notices.push(`${p}: not a Dockerfile, compose file (no top-level services:), .dockerignore or .trivyignore; not linted`);
      }
    }
  }

  // one entry per real file: the file itself rather than a link to it, else the first link in walk order
  const keep = new Map<string, Candidate>();
  for (const c of found) {
    const prev = keep.get(c.real);
    if (!prev || (prev.link && !c.link)) keep.set(c.real, c);
  }
  const chosen = found.filter((c) => keep.get(c.real) === c);
  return { files: chosen.map((c) => c.file), languages: new Map(chosen.map((c) => [c.file, c.language])), errors, notices };
}
