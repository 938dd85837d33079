// Links between open compose files and the Dockerfiles they build, so an edit on one side refreshes the other's
// diagnostics.

import * as path from 'node:path';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { uriToPath, type DocumentStore } from './documents';
import { resolveBuild } from '../model/composeBuild';
import { lastProjectEnv } from '../model/composeProject';
import type { ParsedCompose } from '../parse/compose';

/** Absolute Dockerfile paths an open compose document builds from (statically known ones only). */
export function builtDockerfiles(file: string, parsed: ParsedCompose): string[] {
  const dir = path.dirname(path.resolve(file));
  const out: string[] = [];
  for (const svc of parsed.services) {
    const build = resolveBuild(svc.value.build, dir, lastProjectEnv(dir));
    if (build?.dockerfile !== undefined) out.push(build.dockerfile);
  }
  return out;
}

/** Open documents whose findings depend on `doc`: compose files building it, or the Dockerfiles it builds. */
export function linkedDocuments(docs: DocumentStore, doc: TextDocument): string[] {
  const file = uriToPath(doc.uri);
  const lang = docs.languageOf(doc);
  if (!file || (lang !== 'dockerfile' && lang !== 'compose')) return [];
  const out: string[] = [];
  if (lang === 'dockerfile') {
    for (const other of docs.all()) {
      const otherFile = uriToPath(other.uri);
      if (!otherFile || docs.languageOf(other) !== 'compose') continue;
      const parsed = docs.parsedOf(other, { remember: false })?.parsed as ParsedCompose | undefined;
      if (parsed && builtDockerfiles(otherFile, parsed).includes(path.resolve(file))) out.push(other.uri);
    }
  } else {
    const parsed = docs.parsedOf(doc)?.parsed as ParsedCompose | undefined;
    const built = new Set(parsed ? builtDockerfiles(file, parsed) : []);
    for (const other of docs.all()) {
      const otherFile = uriToPath(other.uri);
      if (otherFile && built.has(path.resolve(otherFile))) out.push(other.uri);
    }
  }
  return out;
}
