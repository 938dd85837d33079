// Facts a compose file's rules need from disk, gathered asynchronously before the synchronous rules run:
// each service's build context and Dockerfile (parsed once), env files, and the other files of its projects.

import * as path from 'node:path';
import type { FileHost } from '../core/fileHost';
import { findUp } from '../config/hullcheckConfig';
import type { ReadResult } from '../core/fileHost';
import type { ResolvedConfig } from '../config/resolvedConfig';
import { parseDockerfile, type ParsedDockerfile } from '../parse/dockerfile';
import { parseCompose, type ParsedCompose } from '../parse/compose';
import { interpolate } from '../model/composeValues';
import { projectFilesFor, type ProjectSpec } from './composeFileSets';
import { resolveBuild, type ResolvedBuild } from '../model/composeBuild';
import { DEFAULT_FILES, DEFAULT_OVERRIDES, projectEnv, type ComposeModel } from '../model/composeProject';
import { companionVolumes, projectModels, referencedFiles } from './composeProject';
import { projectImages, type ProjectImages } from './projectImages';
import { foldersUp } from '../core/projectScope';
import { envFileSetup, type EnvFileSetup } from './envFileSetup';
import { parseImageRef } from '../model/dockerfile/imageRefs';

export interface BuildFacts {
  /** Absolute build context folder; undefined for remote contexts or unknown variables. */
  context?: string;
  contextExists?: boolean;
  /** Absolute Dockerfile path (undefined with dockerfile_inline). */
  dockerfile?: string;
  dockerfileExists?: boolean;
  /** The Dockerfile parsed (from disk, an open editor, or dockerfile_inline). */
  parsed?: ParsedDockerfile;
  /** The stage the service builds (`build.target`); the last stage when unset. */
  target?: string;
  /** The `build:` comes from a service this one extends (the file that writes it checks its paths). */
  inherited?: boolean;
  /** When the context or Dockerfile is missing: the git submodule path (from `.gitmodules`) it lies in, not checked out. */
  submodule?: string;
}

/** The submodule paths a `.gitmodules` file declares, absolute. */
function submodulePaths(file: string, text: string): string[] {
  const dir = path.dirname(file);
  return [...text.matchAll(/^[ \t]*path[ \t]*=(.*)$/gm)]
    .map((m) => m[1].trim()).filter((p) => p !== '').map((p) => path.resolve(dir, p));
}

export interface ProjectFile { path: string; parsed: ParsedCompose }

export interface ComposeProject {
  /** The files in merge order; the linted file is one of them. */
  files: ProjectFile[];
  /** Position of the linted file in `files`. */
  self: number;
  /** Where the grouping came from. */
  source: ProjectSpec['source'];
}

export interface ComposeFacts {
  /** Folder relative paths resolve against. */
  dir: string;
  /** Build facts per service name of this file. */
  builds: Map<string, BuildFacts>;
  /** Absolute env_file path -> whether it exists. */
  envFiles: Map<string, boolean>;
  /** Absolute path of a missing env_file -> how each machine makes it (a template beside it, a .gitignore, a README), if known. */
  envSetups?: Map<string, EnvFileSetup>;
  /** Multi-file projects this file belongs to (empty when it stands alone). */
  projects: ComposeProject[];
  /** Variables of the project's `.env`, used for interpolation as Compose does. */
  env: Record<string, string>;
  /** The effective project this file belongs to (includes and extends followed). */
  model?: ComposeModel;
  /** Projects of the files that include this one or extend its services (it is their building block). */
  users: ComposeModel[];
  /** Files whose services run together through `include:`: this file with what it includes, and each includer of it. */
  includes: ComposeProject[];
  /** Every compose file read for these facts (project files, included files, the bases services extend), by absolute path. */
  composeFiles: Map<string, ParsedCompose>;
  /**
   * For a file that names no project and cannot run alone by Compose's default names: the named volumes the files it
   * may be combined with declare (its folder's other compose files, the default files above). Unknown otherwise.
   */
  companionVolumes?: Set<string>;
  /** The repository root above the file (the first folder holding `.git`), or the highest folder of the project searched. */
  root?: string;
  /** The images the project builds or publishes itself; gathered only when a service image has no tag or `:latest`. */
  images?: ProjectImages;
}

/** How far up a file of no known project looks for the project it may belong to. */
const ROOTS_UP = 3;

/**
 * Folders above `dir` that hold one of Compose's default files, nearest first: a compose file in a subfolder that
 * names no project of its own is often a later `-f` file of theirs (`-f compose.yml -f extensions/x/compose.yml`),
 * and then its relative paths resolve there. The search stops at the project's edge.
 */
async function defaultRootsAbove(host: FileHost, dir: string): Promise<string[]> {
  const out: string[] = [];
  let d = dir;
  for (let up = 0; up < ROOTS_UP; up++) {
    const parent = path.dirname(d);
    if (parent === d || (await host.kind(parent, { quiet: true })) !== 'dir') break;
    d = parent;
    for (const n of DEFAULT_FILES) if ((await host.kind(path.join(d, n), { quiet: true })) === 'file') { out.push(d); break; }
  }
  return out;
}

/** Compose files read to follow `extends:` from one linted file: enough for real chains, bounded for odd ones. */
const MAX_COMPOSE_FILES = 32;

/** A path value after interpolation with defaults, or undefined when a variable has no default. */
function known(v: unknown, env: Record<string, string>): string | undefined {
  if (typeof v !== 'string') return undefined;
  const r = interpolate(v, env);
  return r.unknown ? undefined : r.value;
}

/** Env file entries of a service as [path, required]. */
export function envFileEntries(v: unknown): { path: string; required: boolean }[] {
  const list = Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
  const out: { path: string; required: boolean }[] = [];
  for (const e of list) {
    if (typeof e === 'string') out.push({ path: e, required: true });
    else if (e && typeof e === 'object' && typeof (e as { path?: unknown }).path === 'string') {
      const req = (e as { required?: unknown }).required;
      out.push({ path: (e as { path: string }).path, required: !(req === false || req === 'false') });
    }
  }
  return out;
}

/**
 * The last parse of each Dockerfile and compose file read for cross-file facts, reused while its text is unchanged:
 * those files are read again on every lint of a compose document (keystrokes included), but rarely change.
 */
const lastParses = new Map<string, { text: string; parsed: unknown }>();
const MAX_LAST_PARSES = 32;

function parseOnce<T>(key: string, text: string, parse: (text: string) => T): T {
  const hit = lastParses.get(key);
  if (hit && hit.text === text) return hit.parsed as T;
  const parsed = parse(text);
  lastParses.delete(key);
  lastParses.set(key, { text, parsed });
  if (lastParses.size > MAX_LAST_PARSES) lastParses.delete(lastParses.keys().next().value!);
  return parsed;
}

export async function composeFacts(host: FileHost, file: string, parsed: ParsedCompose, config: ResolvedConfig, configFiles: string[]): Promise<ComposeFacts> {
  const own = path.dirname(path.resolve(file));
  let env = await projectEnv(host, own);
  const builds = new Map<string, BuildFacts>();
  const envFiles = new Map<string, boolean>();
  const envSetups = new Map<string, EnvFileSetup>();
  let folders: Promise<string[]> | undefined;
  const dockerfiles = new Map<string, Promise<ReadResult>>();
  const read = (p: string) => {
    let pr = dockerfiles.get(p);
    if (!pr) { pr = host.read(p, 'dockerfile'); dockerfiles.set(p, pr); }
    return pr;
  };
  const buildFacts = async (build: ResolvedBuild): Promise<BuildFacts> => {
    const facts: BuildFacts = build.target !== undefined ? { target: build.target } : {};
    if (build.context === undefined) return facts;
    facts.context = build.context;
    // a context outside the project is not looked at: its existence stays unknown (see core/projectScope.ts)
    const ctxKind = await host.kind(facts.context);
    facts.contextExists = ctxKind === 'outside' ? undefined : ctxKind === 'dir';
    if (facts.contextExists === false) await inSubmodule(facts, facts.context);
    if (build.inline !== undefined) {
      facts.parsed = parseDockerfile(build.inline);
      return facts;
    }
    if (build.dockerfile === undefined) return facts;
    facts.dockerfile = build.dockerfile;
    if (!facts.contextExists) return facts;
    // a Dockerfile that exists but is not read (outside the project, not a regular file, too large) is not "missing"
    const r = await read(facts.dockerfile);
    facts.dockerfileExists = r.ok ? true : r.reason === 'missing' ? false : undefined;
    if (r.ok) facts.parsed = parseOnce(`dockerfile:${facts.dockerfile}`, r.text, parseDockerfile);
    if (facts.dockerfileExists === false) await inSubmodule(facts, facts.dockerfile);
    return facts;
  };
  let gitmodules: Promise<string[]> | undefined;
  // a missing path inside a submodule that was not checked out (`git clone` without --recurse-submodules)
  const inSubmodule = async (facts: BuildFacts, p: string) => {
    gitmodules ??= findUp(host, dir, ['.gitmodules']).then((f) => (f?.text !== undefined ? submodulePaths(f.file, f.text) : []));
    const hit = (await gitmodules).find((m) => p === m || p.startsWith(m + path.sep));
    if (hit) facts.submodule = path.relative(dir, hit) || '.';
  };
  const projects: ComposeProject[] = [];
  const self = path.resolve(file);
  const loaded = new Map<string, ParsedCompose | undefined>([[self, parsed]]);
  const readCompose = async (f: string): Promise<ParsedCompose | undefined> => {
    if (!loaded.has(f)) {
      const r = await host.read(f, 'compose');
      loaded.set(f, r.ok ? parseOnce(`compose:${f}`, r.text, parseCompose) : undefined);
    }
    return loaded.get(f);
  };
  for (const spec of await projectFilesFor(host, self, parsed, config, configFiles, env)) {
    const files: ProjectFile[] = [];
    for (const f of spec.files) {
      const pc = await readCompose(f);
      if (pc) files.push({ path: f, parsed: pc });
    }
    const at = files.findIndex((f) => f.path === self);
    if (files.length > 1 && at >= 0) projects.push({ files, self: at, source: spec.source });
  }
  const { model, users } = await projectModels(host, self, projects[0]?.files.map((f) => f.path) ?? [], readCompose);
  // relative paths resolve against the project's folder: the folder of its first file (Compose's project directory)
  const projectDir = projects[0] ? path.dirname(projects[0].files[0].path) : own;
  if (projectDir !== own) env = await projectEnv(host, projectDir);
  const dir = projectDir;
  let roots: Promise<string[]> | undefined;
  /** Folders above a file of no known project that hold a default compose file, when a relative path is missing. */
  const rootsAbove = () => (roots ??= projects.length ? Promise.resolve([]) : defaultRootsAbove(host, own));
  for (const svc of parsed.services) {
    const written = resolveBuild(svc.value.build, dir, env);
    // a service that extends another builds what its base builds
    const inherited = written ? undefined : model?.services.find((m) => m.name === svc.name && m.bases.length > 0)?.build;
    const build = written ?? inherited;
    if (!build) continue;
    let facts = await buildFacts(build);
    // a file in a subfolder may be a later `-f` file of the project above, where its relative paths resolve
    if (written && (facts.contextExists === false || facts.dockerfileExists === false)) {
      for (const root of await rootsAbove()) {
        const there = await buildFacts(resolveBuild(svc.value.build, root, env)!);
        if (there.contextExists && there.dockerfileExists !== false) { facts = there; break; }
      }
    }
    builds.set(svc.name, { ...facts, ...(inherited ? { inherited: true } : {}) });
  }
  for (const svc of parsed.services) {
    for (const e of envFileEntries(svc.value.env_file)) {
      const p = known(e.path, env);
      if (p === undefined) continue;
      const abs = path.resolve(dir, p);
      // existence only (a stat, never a read); outside the project it stays unknown
      if (envFiles.has(abs)) continue;
      let k = await host.kind(abs);
      // a later `-f` file of a project above: the path is relative to that project's folder
      if (k === 'missing' && !path.isAbsolute(p)) for (const root of await rootsAbove()) if ((await host.kind(path.resolve(root, p))) === 'file') { k = 'file'; break; }
      if (k !== 'outside') envFiles.set(abs, k !== 'missing');
      if (k === 'missing') {
        // a per-machine file the project says how to make (a template, a .gitignore, a README) is a setup step
        const setup = await envFileSetup(host, abs, await (folders ??= foldersUp(host, own)));
        if (setup) envSetups.set(abs, setup);
      }
    }
  }
  const includes: ComposeProject[] = [];
  const withIncluded = async (root: string, included: string[]) => {
    const files: ProjectFile[] = [];
    for (const f of [root, ...included]) { const pc = await readCompose(f); if (pc) files.push({ path: f, parsed: pc }); }
    const at = files.findIndex((f) => f.path === self);
    if (files.length > 1 && at >= 0) includes.push({ files, self: at, source: 'include' });
  };
  if (model?.included.length) await withIncluded(self, model.included);
  for (const u of users) if (u.included.includes(self) && u.files[0]) await withIncluded(u.files[0], u.included);
  // the files services extend from (and what those extend), so rules follow `extends:` without reading anything
  const queue = [self, ...projects.flatMap((p) => p.files.map((f) => f.path)), ...includes.flatMap((p) => p.files.map((f) => f.path))];
  for (let i = 0; i < queue.length && i < MAX_COMPOSE_FILES; i++) {
    const pc = await readCompose(queue[i]);
    if (pc) for (const r of referencedFiles(queue[i], pc)) if (!queue.includes(r)) queue.push(r);
  }
  const composeFiles = new Map([...loaded].filter((e): e is [string, ParsedCompose] => e[1] !== undefined));
  const base = path.basename(self);
  const companions = projects.length === 0 && !DEFAULT_FILES.includes(base) && !DEFAULT_OVERRIDES.includes(base)
    ? await companionVolumes(host, self, await rootsAbove()) : undefined;
  const images = parsed.services.some((s) => movingTag(s.value.image, env)) ? await projectImages(host, self) : undefined;
  const root = (await (folders ??= foldersUp(host, own))).pop();
  return { ...(root ? { root } : {}), dir, builds, envFiles, envSetups, projects, env, model, users, includes, composeFiles, ...(companions ? { companionVolumes: companions } : {}), ...(images ? { images } : {}) };
}

/** Whether an `image:` value has no tag or `:latest` (with variables at their defaults). */
function movingTag(image: unknown, env: Record<string, string>): boolean {
  if (typeof image !== 'string') return false;
  const ref = parseImageRef(interpolate(image, env).value);
  return !!ref && !ref.digest && (!ref.tag || ref.tag === 'latest');
}

/** composeFacts as the engine calls it: a failure to gather facts leaves the cross-file rules silent. */
export async function composeFileFacts(
  host: FileHost, file: string, parsed: ParsedCompose, config: ResolvedConfig, configFiles: string[], log?: (m: string) => void,
): Promise<{ compose?: ComposeFacts }> {
  try {
    return { compose: await composeFacts(host, file, parsed, config, configFiles) };
  } catch (e) {
    log?.(`Gathering compose facts for ${file} failed: ${(e as Error).stack ?? (e as Error).message}`);
    return {};
  }
}
