// The file host of one CLI run: what a path is, where its links lead and what a folder holds are looked up once for
// the whole run, so the many Dockerfiles of a folder do not each stat, resolve and list the same folders again.
// Reads are not remembered here (configuration reads are, by ConfigReadCache); `clear` forgets everything after
// the run itself changed the disk (a fix created a file).

import { memoizedLookups, syncLookups, type FileHost } from '../core/fileHost';

export interface RunHost {
  host: FileHost;
  clear(): void;
}

/** Reads go to `inner`; lookups go to the disk directly, each path once. */
export function runHost(inner: FileHost): RunHost {
  const host = memoizedLookups({ read: (file, kind, opts) => inner.read(file, kind, opts), ...syncLookups });
  return { host, clear: () => host.clear() };
}
