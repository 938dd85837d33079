// The project a file belongs to, and the limits that follow from it: the configuration search stops at the project
// boundary (workspace folder or repository root), and paths named by the project's own files are read only inside
// the project, so an untrusted repository can neither pull in configuration from above it nor read outside it.

import { statSync } from 'node:fs';
import * as path from 'node:path';
import { nodeHost, type FileHost, type NotReadableReason, type PathKind, type ReadKind, type ReadOptions, type ReadResult } from './fileHost';

export interface ProjectScope {
  /** Paths named by the project's files are confined to this folder (the workspace folder, or the CLI's project root). */
  root: string;
  /** The upward configuration search checks this folder last (the repository root or the workspace folder). */
  stop: string;
}

/** Whether `p` is `root` or inside it, lexically (after resolving `.` and `..`). */
export function isInside(root: string, p: string): boolean {
  const rel = path.relative(path.resolve(root), path.resolve(p));
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
}

/** The workspace folder holding `file` (the innermost one), if any. */
export function folderOf(folders: readonly string[], file: string): string | undefined {
  return folders.filter((f) => isInside(f, file)).sort((a, b) => b.length - a.length)[0];
}

/** Whether a glob or path written in a project file tries to leave the folder it is relative to. */
export function escapesBase(pattern: string): boolean {
  return path.isAbsolute(pattern) || /^[a-zA-Z]:/.test(pattern) || pattern.split(/[\\/]+/).includes('..');
}

/**
 * Whether anyone may create files in a folder (the temp folder): configuration is never taken from such a place.
 * One system call, made directly (as the file host's lookups are), with no exception built for a missing folder.
 */
function writableByAll(dir: string): boolean {
  try { return ((statSync(dir, { throwIfNoEntry: false })?.mode ?? 0) & 0o002) !== 0; } catch { return false; }
}

/** Whether `dir` is the root of a repository: it holds `.git` (a folder, or a file in a worktree or submodule). */
export async function holdsRepository(dir: string, host: Pick<FileHost, 'kind'> = nodeHost): Promise<boolean> {
  const kind = await host.kind(path.join(dir, '.git'), { quiet: true });
  return kind === 'dir' || kind === 'file';
}

/** How many folders above a file the project's build files, README and ignore files are looked for. */
const FOLDERS_UP = 4;

/**
 * `dir` and the folders above it up to the repository root (the first holding `.git`), at most FOLDERS_UP folders up and
 * never outside the project, nearest first: where a project's build files, README and `.gitignore` files are looked for.
 */
export async function foldersUp(host: FileHost, dir: string): Promise<string[]> {
  const dirs: string[] = [];
  let d = path.resolve(dir);
  for (let i = 0; i <= FOLDERS_UP; i++) {
    if (i > 0 && (await host.kind(d, { quiet: true })) === 'outside') break;
    dirs.push(d);
    if (await holdsRepository(d, host)) break;
    const parent = path.dirname(d);
    if (parent === d) break;
    d = parent;
  }
  return dirs;
}

/**
 * The repository root at or above `dir`: the first folder, walking up, that holds `.git`. The walk ends without one
 * at the filesystem root, or on reaching `before` (a folder that bounds the search, such as the workspace folder,
 * which is not itself checked).
 */
export async function repositoryRoot(dir: string, host: Pick<FileHost, 'kind'> = nodeHost, before?: string): Promise<string | undefined> {
  const end = before === undefined ? undefined : path.resolve(before);
  for (let current = path.resolve(dir); current !== end; current = path.dirname(current)) {
    if (await holdsRepository(current, host)) return current;
    if (path.dirname(current) === current) return undefined;
  }
  return undefined;
}

/**
 * The project of a file in folder `dir`. Walking up from `dir`, the first folder that is the workspace folder or holds
 * `.git` is the boundary. Without either (a CLI run outside a repository), the current folder bounds the files inside
 * it; other files are bounded by the highest folder below a folder anyone can write to (such as the temp folder), else
 * the filesystem root. In the editor, paths are confined to the workspace folder.
 */
export async function projectScope(host: FileHost, dir: string, workspaceFolder?: string, cwd = process.cwd()): Promise<ProjectScope> {
  const start = path.resolve(dir);
  const folder = workspaceFolder && isInside(workspaceFolder, start) ? path.resolve(workspaceFolder) : undefined;
  // a repository below the workspace folder bounds the configuration search; the folder itself comes first otherwise
  const repo = await repositoryRoot(start, host, folder);
  if (repo) return { root: folder ?? repo, stop: repo };
  if (folder) return { root: folder, stop: folder };
  const here = path.resolve(cwd);
  if (isInside(here, start) && path.dirname(here) !== here && !writableByAll(here)) return { root: here, stop: here };
  let top = start;
  for (let parent = path.dirname(top); parent !== top && !writableByAll(parent); parent = path.dirname(top)) top = parent;
  return { root: top, stop: top };
}

/** A path the project's files named but Hullcheck did not read, reported once per path. */
export interface ReadNotice { file: string; kind: ReadKind | 'path'; reason: NotReadableReason; message: string }

/** The notice for a path outside the project: it names the path and says nothing about what is there. */
export const OUTSIDE_MESSAGE = 'it is outside the project';

/**
 * A host that refuses, without looking, any path outside `root` (lexically, or through a symbolic link when the host
 * can resolve links) unless the user chose it, and records each path it refused or could not read (other than a
 * missing one) in `notices`.
 */
export function confinedHost(inner: FileHost, root: string, notices: Map<string, ReadNotice>): FileHost {
  let realRoot: Promise<string> | undefined;
  const outside = async (file: string, opts?: ReadOptions): Promise<boolean> => {
    if (opts?.userChosen) return false;
    if (!isInside(root, file)) return true;
    if (!inner.realpath) return false;
    realRoot ??= inner.realpath(root).then((r) => r ?? path.resolve(root));
    // a missing file is judged by where its folder leads, so a link to an outside folder reveals nothing either
    const real = await inner.realpath(file) ?? await inner.realpath(path.dirname(file));
    return real !== undefined && !isInside(await realRoot, real);
  };
  const note = (file: string, kind: ReadNotice['kind'], reason: ReadNotice['reason'], message: string) => {
    if (!notices.has(file)) notices.set(file, { file, kind, reason, message });
  };
  return {
    async read(file: string, kind: ReadKind, opts?: ReadOptions): Promise<ReadResult> {
      if (await outside(file, opts)) {
        if (!opts?.quiet) note(file, kind, 'outside', OUTSIDE_MESSAGE);
        return { ok: false, reason: 'outside', message: OUTSIDE_MESSAGE };
      }
      const r = await inner.read(file, kind, opts);
      // a caller that set its own cap skips larger files on purpose: that is no notice
      if (!r.ok && r.reason !== 'missing' && !opts?.quiet && !(r.reason === 'too-large' && opts?.maxBytes !== undefined)) note(file, kind, r.reason, r.message);
      return r;
    },
    async kind(file: string, opts?: ReadOptions): Promise<PathKind> {
      if (await outside(file, opts)) { if (!opts?.quiet) note(file, 'path', 'outside', OUTSIDE_MESSAGE); return 'outside'; }
      return inner.kind(file, opts);
    },
    // folders are listed only once found inside the project (see buildContext's folder search)
    list: inner.list ? (dir) => inner.list!(dir) : undefined,
  };
}
