// A FileHost over the real filesystem (async only): missing files are undefined, other errors reject.

import { readFile } from 'node:fs/promises';
import type { FileHost } from './config';

export const nodeHost: FileHost = {
  async readFile(file: string): Promise<string | undefined> {
    try {
      return await readFile(file, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return undefined;
      throw e;
    }
  },
};
