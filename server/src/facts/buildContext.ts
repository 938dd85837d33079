// Where a Dockerfile is built from, in the order the builder's users decide it: the compose services that build it
// (each of their contexts), a `contexts:` mapping in .hullcheck.yaml, or the folder where its COPY/ADD sources exist
// (the Dockerfile's own folder when they resolve there, else the ancestor where they do). When none of these says,
// the context is unknown and the rules that need it stay silent. Also the ignore file the builder reads for a context.

import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import type { FileHost } from '../core/fileHost';
import type { ResolvedConfig } from '../config/resolvedConfig';
import { CONFIG_NAMES, loadConfigFor } from '../config/hullcheckConfig';
import { glob } from '../core/glob';
import { foldersUp } from '../core/projectScope';
import { trimTrailing } from '../core/strings';
import { parseCompose } from '../parse/compose';
import { parseDockerfile, type ParsedDockerfile } from '../parse/dockerfile';
import { copyInstructions } from '../model/dockerfile/copySources';
import { resolveBuild } from '../model/composeBuild';
import { projectEnv } from '../model/composeProject';
import { StatCache } from './statCache';

export interface BuildContext {
  /** Absolute context folder. */
  dir: string;
  /** What decided it. */
  source: 'compose' | 'config' | 'sources';
  /** The compose file (and service) that builds the Dockerfile with this context. */
  composeFile?: string;
  service?: string;
}

const MAX_COMPOSE_CHARS = 1024 * 1024;
const COMPOSE_NAME = /^(docker-)?compose[^/]*\.ya?ml$/i;

/** Whether something is at `p` inside the project (the host does not look outside it). */
async function exists(host: FileHost, p: string): Promise<boolean> {
  const k = await host.kind(p, { quiet: true });
  return k === 'file' || k === 'dir' || k === 'other';
}

/** Per compose file: the Dockerfile and context each service builds (with the folder's .env), while it is unchanged. */
const buildsCache = new StatCache<{ service: string; dockerfile: string; context: string }[]>(256, MAX_COMPOSE_CHARS);

async function composeBuilds(host: FileHost, file: string): Promise<{ service: string; dockerfile: string; context: string }[]> {
  return buildsCache.get(file, [], async () => {
    // a look around for compose files that build this Dockerfile: one not readable here is simply not a match
    const r = await host.read(file, 'compose', { quiet: true });
    if (!r.ok) return [];
    const text = r.text;
    const env = await projectEnv(host, path.dirname(file));
    const out: { service: string; dockerfile: string; context: string }[] = [];
    for (const svc of parseCompose(text).services) {
      const b = resolveBuild(svc.value.build, path.dirname(file), env);
      if (b?.dockerfile && b.context) out.push({ service: svc.name, dockerfile: b.dockerfile, context: b.context });
    }
    return out;
  });
}

/** Contexts given by compose services that build this Dockerfile, found in its folder and the folders above. */
async function fromCompose(host: FileHost, file: string, dirs: string[]): Promise<BuildContext[]> {
  const out: BuildContext[] = [];
  for (const dir of dirs) {
    const listed = await (host.list ? host.list(dir) : readdir(dir).catch(() => undefined));
    if (!listed) continue;
    const names = listed.filter((n) => COMPOSE_NAME.test(n)).sort();
    for (const n of names) {
      for (const b of await composeBuilds(host, path.join(dir, n))) {
        if (b.dockerfile === file && !out.some((c) => c.dir === b.context)) out.push({ dir: b.context, source: 'compose', composeFile: path.join(dir, n), service: b.service });
      }
    }
  }
  return out;
}

/** `contexts: { <Dockerfile path or glob>: <context folder> }` in .hullcheck.yaml, relative to that file. */
function fromConfig(file: string, config: ResolvedConfig, configFiles: string[]): BuildContext[] {
  const raw = (config as unknown as { contexts?: unknown }).contexts;
  const cfg = configFiles.find((f) => CONFIG_NAMES.includes(path.basename(f)));
  if (!cfg || !raw || typeof raw !== 'object' || Array.isArray(raw)) return [];
  const base = path.dirname(cfg);
  const rel = path.relative(base, file).split(path.sep).join('/');
  for (const [pattern, ctx] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof ctx !== 'string') continue;
    const p = pattern.replace(/^\.\//, '');
    if (p === rel || glob(p).test(rel)) return [{ dir: path.resolve(base, ctx), source: 'config' }];
  }
  return [];
}

/** The fixed folder part of a glob source: the path segments before the first one with a wildcard. */
function globFolder(value: string): string {
  const parts = value.split('/');
  const first = parts.findIndex((p) => /[*?[]/.test(p));
  return first < 0 ? value : parts.slice(0, first).join('/');
}

/** The folder (the Dockerfile's own first) where the most named COPY/ADD sources exist; undefined when none do. */
async function fromSources(host: FileHost, parsed: ParsedDockerfile, dirs: string[]): Promise<BuildContext[] | 'none'> {
  const named = new Set<string>();
  for (const { sources, onbuild } of copyInstructions(parsed)) {
    if (onbuild) continue;
    for (const s of sources) {
      if (s.kind !== 'context' || s.variable) continue;
      // a glob names the folders before its first wildcard (`./Docker/*.conf` needs a `Docker` folder)
      const value = s.glob ? globFolder(s.value) : s.value;
      const v = trimTrailing(value.replace(/^\.?\/+/, ''), '/');
      if (v !== '' && v !== '.' && !v.startsWith('..')) named.add(v);
    }
  }
  if (named.size === 0) return 'none';
  let best: { dir: string; n: number } | undefined;
  for (const dir of dirs) {
    let n = 0;
    for (const s of named) if (await exists(host, path.join(dir, s))) n++;
    if (n > 0 && (!best || n > best.n)) best = { dir, n };
  }
  return best ? [{ dir: best.dir, source: 'sources' }] : [];
}

/**
 * The build contexts of a Dockerfile on disk, most authoritative first. Empty when unknown. A Dockerfile that
 * names no source (`COPY . .` only), or whose folder holds its ignore file, is taken to be built from its own folder.
 */
export async function buildContexts(host: FileHost, file: string, parsed: ParsedDockerfile, config: ResolvedConfig, configFiles: string[]): Promise<BuildContext[]> {
  const abs = path.resolve(file);
  const dirs = await foldersUp(host, path.dirname(abs));
  const compose = await fromCompose(host, abs, dirs);
  if (compose.length) return compose;
  const configured = fromConfig(abs, config, configFiles);
  if (configured.length) return configured;
  const sources = await fromSources(host, parsed, dirs);
  if (sources !== 'none' && sources.length) return sources;
  // no named source anywhere (only `COPY . .`, or sources not on disk yet): an ignore file beside the Dockerfile
  // still marks its folder as a context root, and a Dockerfile that names no source is built from its folder
  const own: BuildContext[] = [{ dir: dirs[0], source: 'sources' }];
  if (sources === 'none') return (await host.kind(dirs[0], { quiet: true })) === 'dir' ? own : [];
  return (await ignoreFileFor(host, abs, dirs[0])) ? own : [];
}

/** The ignore file the builder reads for a context: `<Dockerfile>.dockerignore`, then `.dockerignore`, then Podman's `.containerignore`. */
export async function ignoreFileFor(host: FileHost, file: string, context: string): Promise<{ path: string; text: string } | null | undefined> {
  for (const candidate of [`${file}.dockerignore`, path.join(context, '.dockerignore'), path.join(context, '.containerignore')]) {
    const r = await host.read(candidate, 'ignore');
    if (r.ok) return { path: candidate, text: r.text };
    // one that exists but cannot be read (or lies outside the project): the ignore rules cannot know, so say nothing
    if (r.reason !== 'missing') return undefined;
  }
  return null;
}

/** The context to build a Dockerfile with when none is given: the first one known, else its folder (the builder's default). */
export async function buildContextOrFolder(host: FileHost, file: string): Promise<string> {
  const r = await host.read(file, 'dockerfile');
  if (!r.ok) return path.dirname(file);
  const loaded = await loadConfigFor(host, file, new Set());
  return (await buildContexts(host, file, parseDockerfile(r.text), loaded.config, loaded.files))[0]?.dir ?? path.dirname(file);
}
