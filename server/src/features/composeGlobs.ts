// The extra compose file patterns of `hullcheck.compose.extraGlobs`: files matching them are linted as compose.

import * as path from 'node:path';
import { globMatch } from '../model/dockerfile/stages';

/** Whether a path matches one of the user's extra compose globs (matched against the path and the base name). */
export function matchesComposeGlob(file: string, globs: readonly string[]): boolean {
  const norm = file.replace(/\\/g, '/');
  return globs.some((g) => globMatch(g, norm) || globMatch(g, path.posix.basename(norm)) || globMatch(`**/${g.replace(/^\*\*\//, '')}`, norm));
}
