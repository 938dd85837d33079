// Corpus loading shared by the benchmarks: every Dockerfile under ../shared/corpus/dockerfiles.

import * as fs from 'node:fs';
import * as path from 'node:path';

export const CORPUS = path.resolve(__dirname, '..', '..', '..', 'shared', 'corpus');

export function walk(dir: string, keep: (name: string) => boolean): string[] {
  const out: string[] = [];
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(full, keep));
    else if (keep(e.name)) out.push(full);
  }
  return out.sort();
}

export function corpusDockerfiles(): { file: string; text: string }[] {
  return walk(path.join(CORPUS, 'dockerfiles'), () => true).map((file) => ({ file, text: fs.readFileSync(file, 'utf8') }));
}
