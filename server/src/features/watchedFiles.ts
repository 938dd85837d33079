// Files on disk that open compose documents depend on: the Dockerfiles and build contexts their services build, their
// env files, and the other compose files a project merges. When one of them is created, changed or deleted
// (workspace/didChangeWatchedFiles), the open compose documents that read it are linted again.

import * as path from 'node:path';
import type { FileEvent } from 'vscode-languageserver/node';
import { uriToPath, type DocumentStore } from './documents';
import { envFileEntries } from '../facts/composeFacts';
import { matchesComposeGlob } from './composeGlobs';
import { interpolate } from '../model/composeValues';
import { languageOf } from '../core/fileLanguage';
import type { ParsedCompose } from '../parse/compose';
import { builtDockerfiles } from './composeLinks';
import { resolveBuild } from '../model/composeBuild';
import { lastProjectEnv } from '../model/composeProject';
import { referencedFiles } from '../facts/composeProject';

/**
 * What the server asks a client to watch when the client does not forward these events itself: Dockerfiles by their
 * usual names, compose files (other files of a project) and dotenv files.
 */
export const BUILD_FILES_GLOB = '**/{Dockerfile,Dockerfile.*,*.Dockerfile,*.dockerfile,Containerfile,Containerfile.*,compose*.yml,compose*.yaml,docker-compose*.yml,docker-compose*.yaml,.env,*.env}';

/** Absolute paths a compose document reads besides other compose files: built Dockerfiles, build contexts, env files, its .env and included or extended files. */
export function composeDependencies(file: string, parsed: ParsedCompose): Set<string> {
  const dir = path.dirname(path.resolve(file));
  // the project's .env (interpolation, COMPOSE_FILE) and the files it includes or extends from
  const out = new Set<string>([...builtDockerfiles(file, parsed), path.join(dir, '.env'), ...referencedFiles(file, parsed)]);
  // variables as the rules read them: the folder's .env
  const env = lastProjectEnv(dir);
  for (const svc of parsed.services) {
    const context = resolveBuild(svc.value.build, dir, env)?.context;
    if (context !== undefined) out.add(context);
    for (const e of envFileEntries(svc.value.env_file)) {
      const r = interpolate(e.path, env);
      if (!r.unknown) out.add(path.resolve(dir, r.value));
    }
  }
  return out;
}

/**
 * Open documents whose findings may change because of these file events. A compose file changing on disk concerns
 * every open Dockerfile (it may decide its build context) and every other open compose document (it may belong to
 * their project: an override, a test overlay, a set from `composeProjects`, an include); any other file concerns
 * the compose documents that build from it or read it.
 */
export function documentsAffectedByFiles(docs: DocumentStore, changes: readonly FileEvent[]): string[] {
  const changed = changes.map((c) => ({ uri: c.uri, file: uriToPath(c.uri) })).filter((c): c is { uri: string; file: string } => !!c.file);
  if (changed.length === 0) return [];
  const isCompose = (f: string) => languageOf(f) === 'compose' || matchesComposeGlob(f, docs.composeGlobs);
  const composeChanged = changed.filter((c) => isCompose(c.file));
  const others = new Set(changed.filter((c) => !isCompose(c.file)).map((c) => path.resolve(c.file)));
  const out: string[] = [];
  for (const doc of docs.all()) {
    const file = uriToPath(doc.uri);
    // a compose file on disk decides the build context of the Dockerfiles its services build
    if (file && composeChanged.length && docs.languageOf(doc) === 'dockerfile') { out.push(doc.uri); continue; }
    if (!file || docs.languageOf(doc) !== 'compose') continue;
    // the open document's own text comes from the editor, not from the disk
    if (composeChanged.some((c) => c.uri !== doc.uri && path.resolve(c.file) !== path.resolve(file))) { out.push(doc.uri); continue; }
    if (others.size === 0) continue;
    const parsed = docs.parsedOf(doc, { remember: false })?.parsed as ParsedCompose | undefined;
    if (!parsed) continue;
    for (const dep of composeDependencies(file, parsed)) {
      if (others.has(dep)) { out.push(doc.uri); break; }
    }
  }
  return out;
}
