// The path a CI report names a file by: relative to the working folder (the repository root in CI) with
// forward slashes, so annotations and Code Quality entries land on the file in the diff.

import * as path from 'node:path';

export function reportPath(file: string, cwd: string = process.cwd()): string {
  const abs = path.resolve(cwd, file);
  const rel = path.relative(cwd, abs);
  const shown = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
  return shown.replace(/\\/g, '/');
}
