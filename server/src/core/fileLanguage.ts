// Which language a file is by its name, following the file-name conventions of the CLI contract: Dockerfiles and
// Containerfiles, compose files, .dockerignore files and .trivyignore files.

import * as path from 'node:path';
import type { Language } from './findings';

/** Which language a path is, by the file-name conventions in the CLI contract. */
export function languageOf(file: string): Language | undefined {
  const base = path.basename(file);
  const lower = base.toLowerCase();
  if (lower === '.dockerignore' || lower.endsWith('.dockerignore')) return 'dockerignore';
  if (lower.startsWith('.trivyignore')) return 'trivyignore';
  if (/^(docker-)?compose[^/]*\.ya?ml$/i.test(base)) return 'compose';
  if (/^(dockerfile|containerfile)([.-].*)?$/i.test(base) || /\.(dockerfile|containerfile)$/i.test(base)) return 'dockerfile';
  return undefined;
}
