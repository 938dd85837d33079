// Fuzz seeds: real files from the shared corpus, grouped by the language the engine lints them as, each with the
// virtual file name it is linted under. Languages the engine does not lint (yet) are left out automatically.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseFor } from '../../server/src/engine/lintFile';
import { languageOf } from '../../server/src/core/fileLanguage';
import type { Language } from '../../server/src/core/findings';
import { CORPUS, walk } from '../bench/corpus';

export interface Seed {
  language: Language;
  /** Base name the case is linted under (decides the language and, for Trivy, plain or YAML format). */
  name: string;
  /** Where it came from, for reports. */
  origin: string;
  text: string;
}

/** Base names per language; the engine picks the language from the file name. */
export const NAMES: Record<Language, string[]> = {
  dockerfile: ['Dockerfile'],
  compose: ['compose.yaml'],
  dockerignore: ['.dockerignore'],
  trivyignore: ['.trivyignore', '.trivyignore.yaml'],
};

export const LANGUAGE_IDS: Record<Language, string> = {
  dockerfile: 'dockerfile', compose: 'dockercompose', dockerignore: 'dockerignore', trivyignore: 'trivyignore',
};

/** True when the engine has a parser for the language today (compose and Trivy landed after Dockerfiles). */
export function supported(language: Language): boolean {
  try {
    return languageOf(`/x/${NAMES[language][0]}`) === language && parseFor(language, '') !== undefined;
  } catch {
    return false;
  }
}

/** Small hand-written seeds so every language has material even where the corpus has little. */
const EXTRA: Partial<Record<Language, { name: string; text: string }[]>> = {
  trivyignore: [
    { name: '.trivyignore', text: '# accepted until the base image moves\nCVE-2023-1234 exp:2030-01-01\nCVE-2022-0001\n\nAVD-DS-0002 # root is needed here\n' },
    { name: '.trivyignore.yaml', text: 'vulnerabilities:\n  - id: CVE-2023-1234\n    paths:\n      - "usr/lib/*.so"\n    expired_at: 2030-01-01\n    statement: not reachable\nmisconfigurations:\n  - id: AVD-DS-0002\n' },
  ],
  dockerignore: [
    { name: '.dockerignore', text: '**/node_modules\n!keep/**\n.git\n# comment\n*.md\n!README.md\n/dist\n' },
  ],
  compose: [
    { name: 'compose.yaml', text: 'x-base: &base\n  restart: unless-stopped\nservices:\n  web:\n    <<: *base\n    build: .\n    ports: ["8080:80"]\n    depends_on: [db]\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: example\nvolumes:\n  data: {}\n' },
  ],
};

function read(file: string): string | undefined {
  try { return fs.readFileSync(file, 'utf8'); } catch { return undefined; }
}

let cache: Map<Language, Seed[]> | undefined;

/** Every seed, by language; only languages the engine supports and that have at least one seed. */
export function loadSeeds(): Map<Language, Seed[]> {
  if (cache) return cache;
  const out = new Map<Language, Seed[]>();
  const add = (language: Language, name: string, origin: string, text: string | undefined) => {
    if (text === undefined || !supported(language)) return;
    const list = out.get(language) ?? [];
    list.push({ language, name, origin: path.relative(CORPUS, origin) || origin, text });
    out.set(language, list);
  };
  for (const f of walk(path.join(CORPUS, 'dockerfiles'), () => true)) add('dockerfile', 'Dockerfile', f, read(f));
  for (const f of walk(path.join(CORPUS, 'compose'), (n) => /\.ya?ml$/i.test(n))) add('compose', 'compose.yaml', f, read(f));
  for (const f of walk(path.join(CORPUS, 'dockerignore'), () => true)) add('dockerignore', '.dockerignore', f, read(f));
  for (const f of walk(path.join(CORPUS, 'trivy', 'ignorefiles'), () => true)) {
    add('trivyignore', /\.ya?ml$/i.test(f) ? '.trivyignore.yaml' : '.trivyignore', f, read(f));
  }
  // Tale is a real project: its Dockerfiles and compose files by their own names
  for (const f of walk(path.join(CORPUS, 'tale'), () => true)) {
    const language = languageOf(path.basename(f));
    if (language) add(language, NAMES[language][0], f, read(f));
  }
  for (const [language, list] of Object.entries(EXTRA) as [Language, { name: string; text: string }[]][]) {
    for (const s of list) add(language, s.name, `builtin:${s.name}`, s.text);
  }
  cache = out;
  return out;
}
