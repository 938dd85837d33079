// The path a message or report names a file by: relative to the working folder (the repository root in CI) with
// forward slashes, so annotations and Code Quality entries land on the file in the diff and every CLI message names
// files alike. A path outside the folder is shown as it was given.

import * as path from 'node:path';

export function reportPath(file: string, cwd: string = process.cwd()): string {
  const abs = path.resolve(cwd, file);
  const rel = path.relative(cwd, abs);
  if (rel === '') return '.';
  const shown = !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
  return shown.replace(/\\/g, '/');
}
