// The file host of one CLI run: what a path is and where its links lead are looked up once for the whole run, so
// the many Dockerfiles of a folder do not each stat and resolve the same folders, ignore files and sources again.
// Reads are not remembered here (configuration reads are, by ConfigReadCache); `clear` forgets everything after
// the run itself changed the disk (a fix created a file).

import type { FileHost, PathKind } from '../engine/nodeHost';
import { remembered } from '../engine/lintFile';

export interface RunHost {
  host: FileHost;
  clear(): void;
}

export function runHost(inner: FileHost): RunHost {
  const kinds = new Map<string, Promise<PathKind>>();
  const reals = new Map<string, Promise<string | undefined>>();
  return {
    host: {
      read: (file, kind, opts) => inner.read(file, kind, opts),
      // the disk host looks at the path alone (the options matter only to confining hosts wrapped around this one)
      kind: (file, opts) => remembered(kinds, file, () => inner.kind(file, opts)),
      realpath: inner.realpath ? (file) => remembered(reals, file, () => inner.realpath!(file)) : undefined,
    },
    clear: () => { kinds.clear(); reals.clear(); },
  };
}
