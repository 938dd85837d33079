// Corpus loading shared by the benchmarks: every Dockerfile under ../shared/corpus/dockerfiles, and a large compose
// file made of the corpus's compose services.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';

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

/** A compose file of at least `lines` lines built from the corpus's real services, renamed to stay unique. */
export function bigCompose(lines: number): string {
  const services: Record<string, unknown> = {};
  let n = 0;
  const files = walk(path.join(CORPUS, 'compose'), (f) => /\.ya?ml$/.test(f));
  for (let round = 0; ; round++) {
    for (const f of files) {
      let js: unknown;
      try { js = parseAllDocuments(fs.readFileSync(f, 'utf8'))[0]?.toJS?.(); } catch { continue; }
      const svcs = (js as { services?: Record<string, unknown> } | undefined)?.services;
      if (!svcs || typeof svcs !== 'object') continue;
      for (const [name, svc] of Object.entries(svcs)) {
        if (!svc || typeof svc !== 'object') continue;
        const copy = { ...(svc as Record<string, unknown>) };
        delete copy.depends_on; delete copy.extends; delete copy.ports; // keep it a valid, conflict-free project
        services[`${name}-${++n}`] = copy;
      }
      const text = stringify({ services });
      if (text.split('\n').length >= lines) return text;
    }
    if (round > 20) throw new Error('not enough compose services in the corpus');
  }
}
