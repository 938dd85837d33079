// File discovery for `hullcheck lint PATH...`: the file-name conventions of the CLI contract,
// walking folders asynchronously and skipping dependency and VCS folders.

import { readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { languageOf } from '../engine/linter';

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', '.venv', 'venv', '__pycache__', '.tox', '.mypy_cache', '.cache', 'dist-newstyle', '.vscode-test']);

export interface DiscoveryError { path: string; message: string }

/** Whether a file name is one the CLI lints when it walks a folder. */
export function isLintable(name: string): boolean {
  return languageOf(name) !== undefined;
}

/**
 * Expand the given paths into files: files are kept as given (any name), folders are walked.
 * Errors (missing path, permission denied) are collected, not thrown, so the rest still gets linted.
 */
export async function discover(paths: string[]): Promise<{ files: string[]; errors: DiscoveryError[] }> {
  const files: string[] = [];
  const errors: DiscoveryError[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      errors.push({ path: dir, message: (e as Error).message });
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) await walk(full);
      } else if (entry.isFile() && isLintable(entry.name)) {
        files.push(full);
      }
    }
  };
  for (const p of paths) {
    let st;
    try {
      st = await stat(p);
    } catch (e) {
      errors.push({ path: p, message: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message });
      continue;
    }
    if (st.isDirectory()) await walk(p);
    else files.push(p);
  }
  return { files, errors };
}
