// Which paths a lint run leaves out: `.gitignore` files (git's semantics through the `ignore` package, nested
// files and negations included, plus .git/info/exclude), `--exclude` globs (relative to the working folder) and
// the `exclude:` globs of `.hullcheck.yaml` files (each relative to its own folder).

import { nodeHost, textOf } from '../core/fileHost';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { parseDocument } from 'yaml';
import { CONFIG_NAMES } from '../config/hullcheckConfig';
import { repositoryRoot } from '../core/projectScope';
import { glob, type Glob } from '../core/glob';
import { trimTrailing } from '../core/strings';

export interface ExcludeOptions {
  /** `--exclude` globs, relative to `cwd`. */
  exclude?: readonly string[];
  /** `--config FILE`: its `exclude:` list replaces those of the `.hullcheck.yaml` files around the paths. */
  explicitConfig?: string;
  /** Honour `.gitignore` files (default true). */
  gitignore?: boolean;
  cwd?: string;
}

interface DirRules { git?: Ignore; exclude: Glob[] }

/** A glob as a path test: one without a slash matches at any depth, as in `.gitignore`; a folder covers its contents. */
function compile(pattern: string): Glob {
  const g = trimTrailing(pattern.replace(/\\/g, '/').replace(/^\.\//, ''), '/');
  return glob(g.includes('/') ? g.replace(/^\//, '') : `**/${g}`);
}

async function readText(file: string): Promise<string | undefined> {
  return textOf(nodeHost, file, 'ignore');
}

/** The `exclude:` list of a configuration text; a malformed one is left to the config-error finding. */
export function configExcludes(text: string): string[] {
  try {
    const value = parseDocument(text, { logLevel: 'silent' }).toJSON() as { exclude?: unknown } | null;
    const list = value && typeof value === 'object' ? value.exclude : undefined;
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export class Excludes {
  private readonly dirs = new Map<string, Promise<DirRules>>();
  private readonly cwdGlobs: Glob[];
  private readonly cwd: string;
  private readonly roots = new Map<string, Promise<string | undefined>>();
  private explicit?: Promise<{ dir: string; globs: Glob[] }>;

  constructor(private readonly opts: ExcludeOptions = {}) {
    this.cwd = path.resolve(opts.cwd ?? process.cwd());
    this.cwdGlobs = (opts.exclude ?? []).map(compile);
  }

  /** The folder holding `.git` above `dir`, if any (gitignore files above the walked folder count up to there). */
  private root(dir: string): Promise<string | undefined> {
    let r = this.roots.get(dir);
    if (!r) { r = repositoryRoot(dir); this.roots.set(dir, r); }
    return r;
  }

  private rulesOf(dir: string): Promise<DirRules> {
    let r = this.dirs.get(dir);
    if (!r) { r = this.load(dir); this.dirs.set(dir, r); }
    return r;
  }

  private async load(dir: string): Promise<DirRules> {
    const rules: DirRules = { exclude: [] };
    if (this.opts.gitignore !== false) {
      const texts = [await readText(path.join(dir, '.gitignore'))];
      if (dir === await this.root(dir)) texts.push(await readText(path.join(dir, '.git', 'info', 'exclude')));
      const present = texts.filter((t): t is string => t !== undefined);
      if (present.length) {
        const ig = ignore();
        for (const t of present) ig.add(t); // one text per add: an array would be read as one pattern per item
        rules.git = ig;
      }
    }
    if (!this.opts.explicitConfig) {
      for (const name of CONFIG_NAMES) {
        const text = await readText(path.join(dir, name));
        if (text === undefined) continue;
        rules.exclude = configExcludes(text).map(compile);
        break;
      }
    }
    return rules;
  }

  private explicitGlobs(): Promise<{ dir: string; globs: Glob[] }> {
    return (this.explicit ??= (async () => {
      const file = path.resolve(this.cwd, this.opts.explicitConfig ?? '');
      const text = this.opts.explicitConfig ? await readText(file) : undefined;
      return { dir: path.dirname(file), globs: text ? configExcludes(text).map(compile) : [] };
    })());
  }

  /**
   * Whether `file` is left out: by an exclude glob on it or a folder above it, or by the `.gitignore` files of its
   * folders up to the repository root, or outside a repository up to `walked`, the folder being walked
   * (`useGitignore` false for paths named explicitly or reported by git).
   */
  async excluded(file: string, isDir: boolean, useGitignore = true, walked?: string): Promise<boolean> {
    const abs = path.resolve(file);
    const rel = (base: string) => path.relative(base, abs).split(path.sep).join('/');
    const inside = (base: string) => { const r = rel(base); return r !== '' && !r.startsWith('../') && r !== '..' && !path.isAbsolute(r); };
    if (inside(this.cwd) && this.cwdGlobs.some((g) => g.testOrParent(rel(this.cwd)))) return true;
    if (this.opts.explicitConfig) {
      const { dir, globs } = await this.explicitGlobs();
      if (inside(dir) && globs.some((g) => g.testOrParent(rel(dir)))) return true;
    }
    const git = useGitignore && this.opts.gitignore !== false;
    const top = git ? await this.root(path.dirname(abs)) : undefined;
    // .gitignore files count inside the repository only; outside one, inside the walked folder only (a
    // ~/.gitignore of dotfiles must not hide a project that is not under git)
    const boundary = top ?? (walked === undefined ? undefined : path.resolve(walked));
    const inRepo = (d: string) => boundary !== undefined && (d === boundary || !path.relative(boundary, d).startsWith('..'));
    let gitDecided = !git;
    for (let d = path.dirname(abs); ; d = path.dirname(d)) {
      const rules = await this.rulesOf(d);
      if (rules.exclude.some((g) => g.testOrParent(rel(d)))) return true;
      if (!gitDecided && rules.git && inRepo(d)) {
        const t = rules.git.test(rel(d) + (isDir ? '/' : ''));
        if (t.ignored) return true;
        if (t.unignored) gitDecided = true; // a deeper negation wins over the files above
      }
      if (path.dirname(d) === d) return false;
    }
  }
}
