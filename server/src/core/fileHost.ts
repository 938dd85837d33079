// The one way Hullcheck reads a file from disk: stat first, read only regular files, cap the size per kind, and
// answer "not readable" (with the reason) instead of throwing, so a FIFO, a device or a huge file can never hang or
// flood the engine. The `FileHost` interface lets the server put open documents in front of the disk.

import * as fs from 'node:fs';
import { open, readdir, realpath, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Language } from './findings';
import { formatSize } from './size';

/** What a file is read as: each kind has its own size cap. */
export type ReadKind = 'config' | 'ignore' | 'dockerfile' | 'compose' | 'report' | 'other';

export type NotReadableReason = 'missing' | 'not-regular' | 'too-large' | 'permission' | 'outside' | 'error';

export type ReadResult =
  | { ok: true; text: string }
  | { ok: false; reason: NotReadableReason; message: string };

/** What a path is, from a `stat` (links followed); nothing is opened. `outside`: not looked at (outside the project). */
export type PathKind = 'file' | 'dir' | 'other' | 'missing' | 'outside';

export interface ReadOptions {
  /**
   * The path comes from the user's own choice (a command-line flag, user-level settings, the user-level hadolint
   * config), not from a file of the project, so it may lie outside the project.
   */
  userChosen?: boolean;
  /** The size cap for this read instead of the kind's (the CLI's --max-file-size, a caller that skips larger files). */
  maxBytes?: number;
  /** A speculative look (is there a compose file here that builds this?): a refusal is not worth a notice. */
  quiet?: boolean;
  /** Read only the first `maxBytes` bytes (sniffing a file's kind): a longer file is not an error. */
  head?: boolean;
}

export interface FileHost {
  /** The file's text, or why it cannot be read. Never throws. */
  read(file: string, kind: ReadKind, opts?: ReadOptions): Promise<ReadResult>;
  /** What is at `file` (links followed), without opening it. Never throws. */
  kind(file: string, opts?: ReadOptions): Promise<PathKind>;
  /** The path with symbolic links resolved, when the host can tell (confinement checks where a link leads). */
  realpath?(file: string): Promise<string | undefined>;
  /** The names in a folder, undefined when it cannot be listed. Never throws. */
  list?(dir: string): Promise<string[] | undefined>;
}

const MB = 1024 * 1024;

/** Size caps per kind. Dockerfiles and compose files are capped at 5 MB (the CLI can raise it, see `fsHost`). */
export const READ_LIMITS: Readonly<Record<ReadKind, number>> = {
  config: 1 * MB,
  ignore: 1 * MB,
  dockerfile: 5 * MB,
  compose: 5 * MB,
  report: 64 * MB,
  other: 5 * MB,
};

/** The kind a document of a language is read as. */
export function readKindOf(language: Language | undefined): ReadKind {
  return language === 'dockerfile' ? 'dockerfile' : language === 'compose' ? 'compose' : language ? 'ignore' : 'other';
}

function notReadable(reason: NotReadableReason, message: string): ReadResult {
  return { ok: false, reason, message };
}

function errnoResult(e: unknown): ReadResult {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return notReadable('missing', 'it does not exist');
  if (code === 'EACCES' || code === 'EPERM') return notReadable('permission', 'permission denied');
  if (code === 'ELOOP') return notReadable('not-regular', 'it is a symbolic link loop');
  return notReadable('error', (e as Error).message);
}

// O_NONBLOCK: if the path is swapped for a FIFO between the stat and the open, the open returns at once instead of
// waiting for a writer (the fstat below then refuses it). Windows has no such flag and no FIFOs in the file system.
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

/**
 * Read a regular file of at most `maxBytes` as UTF-8. Anything else (missing, a folder, a FIFO, a device, a socket,
 * too large, no permission) is a typed "not readable" result; the read never blocks on a special file.
 */
export async function readRegularFile(file: string, maxBytes: number, head = false): Promise<ReadResult> {
  let size: number;
  try {
    const st = await stat(file);
    if (!st.isFile()) return notReadable('not-regular', st.isDirectory() ? 'it is a folder' : 'it is not a regular file');
    size = st.size;
  } catch (e) {
    return errnoResult(e);
  }
  if (size > maxBytes && !head) return notReadable('too-large', `it is larger than ${formatSize(maxBytes)} (${formatSize(size)})`);
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(file, OPEN_FLAGS);
    const st = await handle.stat();
    if (!st.isFile()) return notReadable('not-regular', 'it is not a regular file');
    // read at most one byte over the cap: a file that grew since the stat is refused, not read whole
    const buf = Buffer.allocUnsafe(Math.min(st.size, maxBytes) + 1);
    let total = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buf, total, buf.length - total, total);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total === buf.length) break;
    }
    if (total > maxBytes && head) total = maxBytes;
    else if (total > maxBytes) return notReadable('too-large', `it is larger than ${formatSize(maxBytes)}`);
    return { ok: true, text: buf.toString('utf8', 0, total) };
  } catch (e) {
    return errnoResult(e);
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** What is at a path, by `stat` (never opened). */
export async function pathKind(file: string): Promise<PathKind> {
  try {
    return kindOf(await stat(file));
  } catch {
    return 'missing';
  }
}

function kindOf(st: fs.Stats): PathKind {
  return st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other';
}

/**
 * The disk's lookups (what a path is, where its links lead, what a folder holds) without the thread pool, for the
 * CLI's runs over many files and the editor's analysis on each keystroke: each is one system call, and a round trip
 * through the pool costs more than the call itself (and waits behind other work on a busy machine). Same answers as
 * nodeHost's.
 */
export const syncLookups: Required<Pick<FileHost, 'kind' | 'realpath' | 'list'>> = {
  // a missing path is the common answer: no exception is built for it
  kind: async (file) => { try { const st = fs.statSync(file, { throwIfNoEntry: false }); return st ? kindOf(st) : 'missing'; } catch { return 'missing'; } },
  // a path that cannot be stat'ed cannot be resolved either: a missing one is answered without building an exception
  realpath: async (file) => { try { return fs.statSync(file, { throwIfNoEntry: false }) ? fs.realpathSync.native(file) : undefined; } catch { return undefined; } },
  list: async (dir) => { try { return fs.readdirSync(dir); } catch { return undefined; } },
};

/** The real file system, with the size caps of READ_LIMITS unless a read names its own. */
export const nodeHost: FileHost = {
  read: (file, kind, opts) => readRegularFile(file, opts?.maxBytes ?? READ_LIMITS[kind], opts?.head),
  kind: (file) => pathKind(file),
  realpath: (file) => realpath(file).catch(() => undefined),
  list: (dir) => readdir(dir).catch(() => undefined),
};

/** nodeHost with another cap for Dockerfiles and compose files (the CLI's --max-file-size). */
export function cappedHost(maxBytes: number): FileHost {
  return {
    read: (file, kind, opts) => nodeHost.read(file, kind, kind === 'dockerfile' || kind === 'compose' ? { maxBytes, ...opts } : opts),
    kind: (file, opts) => nodeHost.kind(file, opts),
    realpath: (file) => nodeHost.realpath!(file),
    list: (dir) => nodeHost.list!(dir),
  };
}

/** The text of a readable file, else undefined (for callers to which every failure means "not there"). */
export async function textOf(host: FileHost, file: string, kind: ReadKind, opts?: ReadOptions): Promise<string | undefined> {
  const r = await host.read(file, kind, opts);
  return r.ok ? r.text : undefined;
}

/** An in-memory host (tests, stdin): the given files exist, nothing else does. */
export function memoryHost(files: Record<string, string>): FileHost {
  const dirs = new Set<string>();
  for (const f of Object.keys(files)) {
    for (let d = f; ;) {
      const parent = d.slice(0, Math.max(d.lastIndexOf('/'), 0)) || '/';
      if (parent === d || dirs.has(parent)) break;
      dirs.add(parent);
      d = parent;
    }
  }
  return {
    read: async (file) => (Object.hasOwn(files, file) ? { ok: true, text: files[file] } : notReadable('missing', 'it does not exist')),
    kind: async (file) => (Object.hasOwn(files, file) ? 'file' : dirs.has(file) ? 'dir' : 'missing'),
  };
}

/** A host whose lookups are remembered (see memoizedLookups); `clear` forgets them after the disk changed. */
export type MemoizedHost = FileHost & { clear(): void };

/**
 * `inner` with its lookups (what a path is, where its links lead, what a folder holds) answered once per path until
 * `clear`: one analysis asks the same questions many times (the project boundary's realpath for every path it
 * confines, a folder's realpath for each missing file in it, `.git` on each walk up), and a CLI run over many files
 * asks them again per file. Reads are not remembered. The answers are the disk's at the time of the first question,
 * so the editor makes one per analysis.
 */
export function memoizedLookups(inner: FileHost): MemoizedHost {
  const kinds = new Map<string, Promise<PathKind>>();
  const reals = new Map<string, Promise<string | undefined>>();
  const lists = new Map<string, Promise<string[] | undefined>>();
  /** Paths whose links could not be resolved: nothing below them resolves either (no lookup needed). */
  const unresolved = new Set<string>();
  const underUnresolved = (file: string): boolean => {
    for (let dir = dirname(file); ; dir = dirname(dir)) {
      if (unresolved.has(dir)) return true;
      if (dirname(dir) === dir) return false;
    }
  };
  const once = <T>(map: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> => {
    let p = map.get(key);
    if (!p) { p = load(); map.set(key, p); }
    return p;
  };
  const { realpath, list } = inner;
  return {
    read: (file, kind, opts) => inner.read(file, kind, opts),
    // the options are part of the question (a host may answer a path the user chose differently)
    kind: (file, opts) => once(kinds, `${opts?.userChosen ? 'u' : ''}${opts?.quiet ? 'q' : ''}\0${file}`, () => inner.kind(file, opts)),
    realpath: realpath ? (file) => once(reals, file, async () => {
      if (underUnresolved(file)) return undefined;
      const real = await realpath.call(inner, file);
      if (real === undefined) unresolved.add(file);
      return real;
    }) : undefined,
    // callers may sort or filter the names they get: each gets its own copy
    list: list ? (dir) => once(lists, dir, () => list.call(inner, dir)).then((names) => names && [...names]) : undefined,
    clear: () => { kinds.clear(); reals.clear(); lists.clear(); unresolved.clear(); },
  };
}
