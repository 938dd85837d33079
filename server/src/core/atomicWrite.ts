// The one way Hullcheck writes a user's file: a temporary file in the same folder, written and fsynced, given
// the original's mode and owner, then renamed over the original. A failure at any step (full disk, file-size
// limit, kill) leaves the original byte-for-byte as it was, and a file edited since it was read is not replaced.

import { randomBytes } from 'node:crypto';
import { constants as FS } from 'node:fs';
import { link, open, realpath, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import * as path from 'node:path';

/** The file no longer holds the content it was read with (an edit during the run); nothing was written. */
export class ChangedOnDiskError extends Error {
  readonly code = 'ECHANGED';
  constructor(file: string) { super(`${file} changed on disk since it was read`); }
}

export interface AtomicWriteOptions {
  /** The content the caller read: the write is skipped (ChangedOnDiskError) unless the file still holds exactly this. */
  expected?: string | Buffer;
  /** Create a new file only: fails with EEXIST when the path exists, never replaces anything. */
  createOnly?: boolean;
  /** Mode of a new file (default 0o666 less the umask, as an ordinary create). */
  mode?: number;
  /** fsync the data and the folder (default true); caches that tolerate a lost entry skip it. */
  sync?: boolean;
}

/**
 * Write `data` to `file` atomically. A symbolic link is followed, so the link stays and its target is replaced.
 * Node ignores SIGXFSZ, so a file-size limit surfaces here as EFBIG and is handled like any other failure.
 */
export async function writeFileAtomic(file: string, data: string | Buffer, opts: AtomicWriteOptions = {}): Promise<void> {
  const target = opts.createOnly ? path.resolve(file) : await realpath(file).catch(() => path.resolve(file));
  const original = await stat(target).catch((e: NodeJS.ErrnoException) => { if (e.code === 'ENOENT') return undefined; throw e; });
  if (original && opts.createOnly) throw Object.assign(new Error(`EEXIST: file already exists, '${file}'`), { code: 'EEXIST' });
  if (original && !original.isFile()) throw Object.assign(new Error(`${file} is not a regular file`), { code: 'EINVAL' });
  if (!original && opts.expected !== undefined) throw new ChangedOnDiskError(file);

  const temp = path.join(path.dirname(target), `.${path.basename(target)}.hullcheck-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  let handle: FileHandle | undefined;
  try {
    // exclusive create: never follows or reuses something placed at the temporary name
    handle = await open(temp, FS.O_CREAT | FS.O_EXCL | FS.O_WRONLY, 0o600);
    await handle.writeFile(data);
    if (opts.sync !== false) await handle.sync();
    if (original) {
      await handle.chmod(original.mode & 0o7777);
      // only root can give a file away; anyone else keeps their own ownership, as an in-place write would
      if (process.getuid?.() === 0 && (original.uid !== 0 || original.gid !== 0)) await handle.chown(original.uid, original.gid);
    } else {
      await handle.chmod((opts.mode ?? 0o666) & ~process.umask());
    }
    await handle.close();
    handle = undefined;
    if (opts.expected !== undefined && !(await holds(target, opts.expected))) throw new ChangedOnDiskError(file);
    if (opts.createOnly) {
      // link() fails with EEXIST if the name appeared meanwhile, so a new file never replaces one
      await link(temp, target);
      await unlink(temp).catch(() => undefined);
    } else {
      await rename(temp, target);
    }
  } catch (e) {
    await handle?.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw e;
  }
  if (opts.sync !== false) await syncFolder(path.dirname(target));
}

/** Whether the file's bytes are exactly `expected` (read no further than its length, plus one byte). */
async function holds(file: string, expected: string | Buffer): Promise<boolean> {
  const want = typeof expected === 'string' ? Buffer.from(expected, 'utf8') : expected;
  let h: FileHandle | undefined;
  try {
    h = await open(file, 'r');
    if ((await h.stat()).size !== want.length) return false;
    const got = Buffer.alloc(want.length + 1);
    let n = 0;
    while (n < got.length) {
      const { bytesRead } = await h.read(got, n, got.length - n, n);
      if (bytesRead === 0) break;
      n += bytesRead;
    }
    return n === want.length && got.subarray(0, n).equals(want);
  } catch {
    return false;
  } finally {
    await h?.close().catch(() => undefined);
  }
}

/** Persist the rename itself; some filesystems refuse to open or sync a folder, which is not a failure of the write. */
async function syncFolder(dir: string): Promise<void> {
  let h: FileHandle | undefined;
  try { h = await open(dir, 'r'); await h.sync(); } catch { /* best effort */ } finally { await h?.close().catch(() => undefined); }
}
