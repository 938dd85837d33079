// The file host of one CLI run: what a path is, where its links lead and what a folder holds are looked up once for
// the whole run, so the many Dockerfiles of a folder do not each stat, resolve and list the same folders again.
// Reads are not remembered here (configuration reads are, by ConfigReadCache); `clear` forgets everything after
// the run itself changed the disk (a fix created a file).

import { syncLookups, type FileHost, type PathKind } from '../core/fileHost';
import { remembered } from '../engine/lintFile';

export interface RunHost {
  host: FileHost;
  clear(): void;
}

/** Reads go to `inner`; lookups go to the disk directly, each path once. */
export function runHost(inner: FileHost): RunHost {
  const kinds = new Map<string, Promise<PathKind>>();
  const reals = new Map<string, Promise<string | undefined>>();
  const lists = new Map<string, Promise<string[] | undefined>>();
  return {
    host: {
      read: (file, kind, opts) => inner.read(file, kind, opts),
      // lookups look at the path alone (the options matter only to confining hosts wrapped around this one)
      kind: (file) => remembered(kinds, file, () => syncLookups.kind(file)),
      realpath: (file) => remembered(reals, file, () => syncLookups.realpath(file)),
      list: (dir) => remembered(lists, dir, () => syncLookups.list(dir)),
    },
    clear: () => { kinds.clear(); reals.clear(); lists.clear(); },
  };
}
