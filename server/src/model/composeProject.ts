// The effective compose project, as `docker compose config` builds it: the project's files (the default pair or
// COMPOSE_FILE), `.env` and env files for interpolation, `include:` (short and long forms), `extends:` (same file
// or another one), the merge of override files with `!reset`/`!override`, and the profiles that are enabled.
//
// Shape (for consumers comparing with Compose): loadComposeModel() returns { name, projectDir, files, included,
// env, profiles, services, volumes, problems }; each service has its merged `value` plus normalized image, build
// (context, dockerfile, inline, target, args), ports (PortSpec), volumes (MountSpec, bind sources absolute),
// dependsOn ({ condition, required }), healthcheck, profiles, active (started with the enabled profiles), files
// (where it was written, first definition first) and bases (the services it extends).

import * as os from 'node:os';
import * as path from 'node:path';
import type { FileHost } from '../core/fileHost';
import { parseCompose, type ParsedCompose } from '../parse/compose';
import { interpolate, parseMount, parsePort, type MountSpec, type PortSpec } from './composeValues';
import { isRemoteContext, resolveBuild, type ResolvedBuild } from './composeBuild';
import { dependsOnMapping, mergeService, nodeTag, serviceTags } from './composeMerge';
import { parseDotenv } from './dotenv';
import { profilesOf } from './composeProfiles';
import { trimTrailing } from '../core/strings';

export interface ComposeModelOptions {
  /** Profiles enabled on the command line (`--profile`), added to COMPOSE_PROFILES. */
  profiles?: string[];
  /** Env files read instead of `<project dir>/.env` (`--env-file`). */
  envFiles?: string[];
  /** The shell environment; it wins over env files. Hullcheck judges files, so by default there is none. */
  env?: Record<string, string>;
  /** The project folder (`--project-directory`); the first file's folder by default. */
  projectDirectory?: string;
  /** How a compose file is read and parsed (callers with a parse cache pass theirs). */
  read?: (file: string) => Promise<ParsedCompose | undefined>;
}

export interface ModelService {
  name: string;
  /** The service after interpolation, extends and overrides (`extends` itself removed). */
  value: Record<string, unknown>;
  image?: string;
  build?: ResolvedBuild;
  ports: PortSpec[];
  volumes: MountSpec[];
  dependsOn: Record<string, { condition: string; required: boolean; restart?: boolean }>;
  healthcheck?: Record<string, unknown>;
  profiles: string[];
  /** Whether the enabled profiles start it (a service without profiles always starts). */
  active: boolean;
  /** The files that define it, the first definition first (an extended base comes before). */
  files: string[];
  /** The services it extends, nearest first (`extends:` followed through every file). */
  bases: { file: string; service: string }[];
}

export interface ComposeModel {
  name: string;
  projectDir: string;
  /** Every file read: the project's files, included files and extended bases. */
  files: string[];
  env: Record<string, string>;
  /** Enabled profiles (COMPOSE_PROFILES and options). */
  profiles: string[];
  services: ModelService[];
  /** The files read through `include:` (their services run with the project's). */
  included: string[];
  /** Top-level volume names. */
  volumes: string[];
  problems: string[];
}

export const DEFAULT_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
export const DEFAULT_OVERRIDES = ['compose.override.yaml', 'compose.override.yml', 'docker-compose.override.yaml', 'docker-compose.override.yml'];

/** The variables of the project's `.env` (or of the given env files), with the shell environment over them. */
export async function projectEnv(host: FileHost, dir: string, envFiles?: string[], shell: Record<string, string> = {}): Promise<Record<string, string>> {
  const files = envFiles?.map((f) => path.resolve(dir, f)) ?? [path.join(dir, '.env')];
  let env: Record<string, string> = {};
  for (const f of files) {
    const r = await host.read(f, 'config');
    if (r.ok) env = { ...env, ...parseDotenv(r.text, { ...shell, ...env }) };
  }
  if (!envFiles) remember(path.resolve(dir), env);
  return { ...env, ...shell };
}

/** The variables last read from each folder's `.env`, for readers that cannot wait for a file (editor links, watchers). */
const lastDotenv = new Map<string, Record<string, string>>();
const MAX_DOTENV_FOLDERS = 64;

function remember(dir: string, env: Record<string, string>): void {
  lastDotenv.delete(dir);
  lastDotenv.set(dir, env);
  if (lastDotenv.size > MAX_DOTENV_FOLDERS) lastDotenv.delete(lastDotenv.keys().next().value!);
}

/**
 * The folder's `.env` variables as the last lint of a compose file there read them (empty before any): the editor's
 * links and watchers resolve a service's `build:` with the same variables as the rules. A changed `.env` re-lints
 * the folder's compose files, which reads it again.
 */
export function lastProjectEnv(dir: string): Record<string, string> {
  return lastDotenv.get(path.resolve(dir)) ?? {};
}

/** COMPOSE_FILE's list (separated by COMPOSE_PATH_SEPARATOR, else the platform's), relative to the project folder. */
export function composeFileList(env: Record<string, string>, dir: string): string[] | undefined {
  const raw = env.COMPOSE_FILE;
  if (!raw) return undefined;
  const sep = env.COMPOSE_PATH_SEPARATOR || path.delimiter;
  return raw.split(sep).filter((f) => f.trim() !== '').map((f) => path.resolve(dir, f.trim()));
}

/** The files `docker compose` reads in a folder without `-f`: COMPOSE_FILE, else the first default name and its override. */
export async function defaultComposeFiles(host: FileHost, dir: string, env: Record<string, string>): Promise<string[]> {
  const listed = composeFileList(env, dir);
  if (listed) return listed;
  const exists = async (f: string) => (await host.kind(f)) === 'file';
  const out: string[] = [];
  for (const names of [DEFAULT_FILES, DEFAULT_OVERRIDES]) {
    for (const n of names) if (await exists(path.join(dir, n))) { out.push(path.join(dir, n)); break; }
    if (out.length === 0) break;
  }
  return out;
}

/** Every string of a value interpolated (keys are not); an unset variable without default becomes empty, as in Compose. */
function interpolateDeep(v: unknown, env: Record<string, string>): unknown {
  if (typeof v === 'string') return interpolate(v, env).value;
  if (Array.isArray(v)) return v.map((x) => interpolateDeep(x, env));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, interpolateDeep(x, env)]));
  return v;
}

const WINDOWS_ABSOLUTE = /^[A-Za-z]:[\\/]/;

/** Relative paths of a service made absolute against the folder its file's paths use. */
function absolutePaths(value: Record<string, unknown>, dir: string): Record<string, unknown> {
  const out = { ...value };
  const b = out.build;
  if (typeof b === 'string') out.build = isRemoteContext(b) ? b : path.resolve(dir, b);
  else if (b && typeof b === 'object') {
    const ctx = (b as { context?: unknown }).context;
    if (typeof ctx !== 'string' || !isRemoteContext(ctx)) out.build = { ...b, context: path.resolve(dir, typeof ctx === 'string' ? ctx : '.') };
  }
  if (Array.isArray(out.volumes)) {
    out.volumes = out.volumes.map((e) => {
      const m = parseMount(e);
      // a Windows drive path (`C:\data`) is absolute too: Compose keeps it as written on every platform
      if (m?.type !== 'bind' || !m.source || path.isAbsolute(m.source) || WINDOWS_ABSOLUTE.test(m.source) || m.source.startsWith('~')) return e;
      if (typeof e === 'string') return e.replace(m.source, path.resolve(dir, m.source));
      return e && typeof e === 'object' ? { ...e, source: path.resolve(dir, m.source) } : e;
    });
  }
  const envFile = out.env_file;
  const abs = (e: unknown) => (typeof e === 'string' ? path.resolve(dir, e) : e && typeof e === 'object' && typeof (e as { path?: unknown }).path === 'string' ? { ...e, path: path.resolve(dir, (e as { path: string }).path) } : e);
  if (envFile !== undefined) out.env_file = Array.isArray(envFile) ? envFile.map(abs) : abs(envFile);
  return out;
}

interface Written { value: Record<string, unknown>; files: string[]; bases: { file: string; service: string }[] }

class Loader {
  readonly files: string[] = [];
  readonly included: string[] = [];
  readonly problems: string[] = [];
  private readonly parses = new Map<string, Promise<ParsedCompose | undefined>>();
  constructor(private readonly host: FileHost, private readonly opts: ComposeModelOptions) {}

  read(file: string): Promise<ParsedCompose | undefined> {
    let p = this.parses.get(file);
    if (!p) {
      if (!this.files.includes(file)) this.files.push(file);
      p = this.opts.read ? this.opts.read(file) : this.host.read(file, 'compose').then((r) => (r.ok ? parseCompose(r.text) : undefined));
      this.parses.set(file, p);
    }
    return p;
  }

  /** A service as written in `file`, with its `extends` chain applied and paths made absolute. */
  async service(file: string, parsed: ParsedCompose, doc: number, name: string, env: Record<string, string>, dir: string, seen: string[]): Promise<Written | undefined> {
    const root = parsed.values[doc] as Record<string, unknown> | undefined;
    const raw = (root?.services as Record<string, unknown> | undefined)?.[name];
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return raw === null ? { value: {}, files: [file], bases: [] } : undefined;
    const own = absolutePaths(interpolateDeep(raw, env) as Record<string, unknown>, dir);
    const ext = own.extends;
    delete own.extends;
    if (ext === undefined) return { value: own, files: [file], bases: [] };
    const spec = typeof ext === 'string' ? { service: ext } : (ext as { service?: unknown; file?: unknown });
    if (typeof spec.service !== 'string') return { value: own, files: [file], bases: [] };
    const baseFile = typeof spec.file === 'string' ? path.resolve(path.dirname(file), spec.file) : file;
    const key = `${baseFile}\0${spec.service}`;
    if (seen.includes(key) || seen.length > 16) { this.problems.push(`${file}: service ${name} extends itself through ${spec.service}.`); return { value: own, files: [file], bases: [] }; }
    const baseParsed = baseFile === file ? parsed : await this.read(baseFile);
    if (!baseParsed) { this.problems.push(`${file}: service ${name} extends ${spec.service} from ${baseFile}, which cannot be read.`); return { value: own, files: [file], bases: [] }; }
    const baseDoc = baseFile === file ? doc : 0;
    // paths in another file are relative to that file's folder
    const base = await this.service(baseFile, baseParsed, baseDoc, spec.service, env, baseFile === file ? dir : path.dirname(baseFile), [...seen, key]);
    if (!base) { this.problems.push(`${file}: service ${name} extends ${spec.service}, which ${path.basename(baseFile)} does not define.`); return { value: own, files: [file], bases: [] }; }
    return { value: mergeService(base.value, own, serviceTags(parsed.documents[doc], name)), files: [...base.files, file], bases: [{ file: baseFile, service: spec.service }, ...base.bases] };
  }

  /** Load files merged in order into `services` and `volumes` (includes first, as Compose does). */
  async layer(files: string[], env: Record<string, string>, dir: string, services: Map<string, Written>, volumes: Set<string>, depth: number): Promise<void> {
    for (const file of files) {
      const parsed = await this.read(file);
      if (!parsed) { this.problems.push(`${file} cannot be read.`); continue; }
      for (let d = 0; d < parsed.values.length; d++) {
        const root = parsed.values[d];
        if (!root || typeof root !== 'object') continue;
        const r = root as Record<string, unknown>;
        const doc = parsed.documents[d];
        if (r.include !== undefined && depth < 8) await this.include(r.include, path.dirname(file), services, volumes, depth);
        // `!reset` drops what the files before wrote at that place, `!override` replaces it (a parent's tag covers its children)
        const dropped = (...at: string[]) => nodeTag(doc, ...at) !== undefined;
        if (dropped('volumes')) volumes.clear();
        if (r.volumes && typeof r.volumes === 'object' && nodeTag(doc, 'volumes') !== 'reset') {
          for (const v of Object.keys(r.volumes)) if (nodeTag(doc, 'volumes', v) === 'reset') volumes.delete(v); else volumes.add(v);
        }
        if (dropped('services')) services.clear();
        for (const name of Object.keys((r.services ?? {}) as Record<string, unknown>)) {
          const tag = nodeTag(doc, 'services', name);
          if (tag) services.delete(name);
          if (tag === 'reset') continue;
          const w = await this.service(file, parsed, d, name, env, dir, []);
          if (!w) continue;
          const prev = services.get(name);
          services.set(name, prev ? { value: mergeService(prev.value, w.value, serviceTags(doc, name)), files: [...prev.files, ...w.files], bases: [...prev.bases, ...w.bases] } : w);
        }
      }
    }
  }

  private async include(raw: unknown, dir: string, services: Map<string, Written>, volumes: Set<string>, depth: number): Promise<void> {
    for (const entry of Array.isArray(raw) ? raw : [raw]) {
      const spec = typeof entry === 'string' ? { path: entry } : entry && typeof entry === 'object' ? (entry as Record<string, unknown>) : {};
      const paths = (Array.isArray(spec.path) ? spec.path : [spec.path]).filter((p): p is string => typeof p === 'string').map((p) => path.resolve(dir, p));
      if (paths.length === 0) continue;
      const projectDir = typeof spec.project_directory === 'string' ? path.resolve(dir, spec.project_directory) : path.dirname(paths[0]);
      const envFiles = spec.env_file === undefined ? undefined : (Array.isArray(spec.env_file) ? spec.env_file : [spec.env_file]).filter((f): f is string => typeof f === 'string').map((f) => path.resolve(dir, f));
      const env = await projectEnv(this.host, projectDir, envFiles, this.opts.env);
      const mine = new Map<string, Written>();
      for (const p of paths) if (!this.included.includes(p)) this.included.push(p);
      await this.layer(paths, env, projectDir, mine, volumes, depth + 1);
      for (const [name, w] of mine) {
        if (services.has(name)) this.problems.push(`${paths[0]}: the included service ${name} is already defined.`);
        else services.set(name, w);
      }
    }
  }
}

/** A mount as Compose prints it: `~` is the home folder, and the target loses its trailing slash. */
function cleanMount(m: MountSpec): MountSpec {
  const clean = (p: string | undefined) => (p && p.length > 1 ? trimTrailing(p, '/') || p.slice(0, 1) : p);
  const source = m.type === 'bind' && m.source && /^~(\/|$)/.test(m.source) ? path.join(os.homedir(), m.source.slice(1)) : m.source;
  return { ...m, source, target: clean(m.target) };
}

/** depends_on plus the dependencies Compose infers from links, `service:` namespaces and volumes_from. */
function withImpliedDependencies(v: Record<string, unknown>): ModelService['dependsOn'] {
  const out = dependsOnMapping(v.depends_on);
  const add = (name: string | undefined) => { if (name && !out[name]) out[name] = { condition: 'service_started', required: true }; };
  for (const l of Array.isArray(v.links) ? v.links : []) if (typeof l === 'string') add(l.split(':')[0]);
  for (const key of ['network_mode', 'ipc', 'pid']) {
    const m = typeof v[key] === 'string' ? /^service:(.+)$/.exec(v[key] as string) : null;
    add(m?.[1]);
  }
  for (const f of Array.isArray(v.volumes_from) ? v.volumes_from : []) if (typeof f === 'string' && !f.startsWith('container:')) add(f.split(':')[0]);
  return out;
}

/** Compose's project name: `name:`, else COMPOSE_PROJECT_NAME, else the folder; lower-case letters, digits, `-` and `_`. */
export function projectName(explicit: unknown, env: Record<string, string>, dir: string): string {
  const raw = typeof explicit === 'string' && explicit ? explicit : env.COMPOSE_PROJECT_NAME || path.basename(dir);
  return raw.toLowerCase().replace(/[^a-z0-9_-]/g, '');
}

/** The effective project of these compose files (in `-f` order). */
export async function loadComposeModel(host: FileHost, files: string[], opts: ComposeModelOptions = {}): Promise<ComposeModel> {
  const abs = files.map((f) => path.resolve(f));
  const projectDir = path.resolve(opts.projectDirectory ?? path.dirname(abs[0] ?? '.'));
  const env = await projectEnv(host, projectDir, opts.envFiles, opts.env);
  const loader = new Loader(host, opts);
  const written = new Map<string, Written>();
  const volumes = new Set<string>();
  await loader.layer(abs, env, projectDir, written, volumes, 0);
  const profiles = [...new Set([...(opts.profiles ?? []), ...(env.COMPOSE_PROFILES ?? '').split(',').map((p) => p.trim()).filter(Boolean)])];
  const services: ModelService[] = [...written].map(([name, w]) => {
    const v = w.value;
    const own = profilesOf(v);
    return {
      name, value: v, files: w.files, bases: w.bases,
      image: typeof v.image === 'string' ? v.image : undefined,
      build: resolveBuild(v.build, projectDir, env),
      ports: (Array.isArray(v.ports) ? v.ports : []).map((p) => parsePort(p)).filter((p): p is PortSpec => !!p),
      volumes: (Array.isArray(v.volumes) ? v.volumes : []).map((m) => parseMount(m)).filter((m): m is MountSpec => !!m).map(cleanMount),
      dependsOn: withImpliedDependencies(v),
      healthcheck: v.healthcheck && typeof v.healthcheck === 'object' ? (v.healthcheck as Record<string, unknown>) : undefined,
      profiles: own,
      active: own.length === 0 || profiles.includes('*') || own.some((p) => profiles.includes(p)),
    };
  });
  const first = abs[0] ? await loader.read(abs[0]) : undefined;
  const nameWritten = (first?.values[0] as { name?: unknown } | undefined)?.name;
  const name = projectName(typeof nameWritten === 'string' ? interpolate(nameWritten, env).value : undefined, env, projectDir);
  return { name, projectDir, files: loader.files, included: loader.included, env, profiles, services, volumes: [...volumes], problems: loader.problems };
}
