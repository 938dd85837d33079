// What a workspace says about its images: compose services (image, build context, Dockerfile, target and the
// `x-hullcheck: { budget }` extension) and the `budgets:` / `allowRoot:` sections of `.hullcheck.yaml`, so
// images can be tied to their service, Dockerfile and budget.

import { parseGrowth, type GrowthLimit } from './growth';
import * as path from 'node:path';
import { discover } from '../facts/discoverFiles';
import { loadConfigFor } from '../config/hullcheckConfig';
import { type FileHost } from '../core/fileHost';
import type { ResolvedConfig } from '../config/resolvedConfig';
import { parseSize } from '../core/size';
import { reportPath } from '../core/reportPath';
import { glob } from '../core/glob';
import { interpolate as interpolateValue } from '../model/composeValues';
import { resolveBuild } from '../model/composeBuild';
import { projectEnv, projectName } from '../model/composeProject';
import { parseCompose } from '../parse/compose';

export interface ComposeService {
  project: string;
  service: string;
  composeFile: string;
  /** The `image:` with variables interpolated, when given. */
  image?: string;
  /** Names compose gives an image it builds without `image:` (`<project>-<service>`, `<project>_<service>`). */
  defaultImages: string[];
  /** Absolute path of the Dockerfile when the service builds. */
  dockerfile?: string;
  context?: string;
  target?: string;
  /** Budget from `x-hullcheck: { budget }`, in bytes. */
  budget?: number;
}

export interface BudgetRule {
  /** A compose service name, or an image reference glob (`local/proxy:*`, `myorg/*`). */
  key: string;
  bytes: number;
  /** The text as written (`600MB`). */
  text: string;
  /** Where it was declared: the config or compose file. */
  file: string;
  /** An explicit Dockerfile for images matching this rule (object form). */
  dockerfile?: string;
}

export interface WorkspaceModel {
  folder: string;
  services: ComposeService[];
  budgets: BudgetRule[];
  allowRoot: string[];
  dockerfiles: string[];
  problems: string[];
  /** The folder's `.hullcheck.yaml` (rule settings for the image rules); absent when none was loaded. */
  config?: ResolvedConfig;
  /** `budgets: { growth: 5% }`: how much an image may grow over its recorded size. */
  growth?: GrowthLimit;
}

/** A compose value interpolated with an environment (the process's by default), as Compose does it. */
export function interpolate(value: string, env: NodeJS.ProcessEnv = process.env): string {
  return interpolateValue(value, env as Record<string, string>).value;
}

/** Parse one compose file's services. Never throws; a broken file yields no services. */
export function readCompose(file: string, text: string, env: NodeJS.ProcessEnv = process.env): ComposeService[] {
  // the compose parser: merge keys, nested anchors and the alias-bomb guard, as the rules read the file
  const doc = parseCompose(text).values.find((v) => !!v && typeof v === 'object') as Record<string, unknown> | undefined;
  if (!doc || !doc.services || typeof doc.services !== 'object') return [];
  const project = projectName(doc.name ? interpolate(String(doc.name), env) : undefined, env as Record<string, string>, path.dirname(file));
  const dir = path.dirname(file);
  const out: ComposeService[] = [];
  for (const [service, raw] of Object.entries(doc.services as Record<string, unknown>)) {
    if (!raw || typeof raw !== 'object') continue;
    const s = raw as Record<string, unknown>;
    const svc: ComposeService = {
      project, service, composeFile: file,
      image: typeof s.image === 'string' ? interpolate(s.image, env) : undefined,
      defaultImages: [`${project}-${service}`, `${project}_${service}`],
    };
    const build = resolveBuild(s.build, dir, env as Record<string, string>);
    if (build) {
      svc.context = build.context;
      svc.dockerfile = build.dockerfile;
      svc.target = build.target;
    }
    const ext = s['x-hullcheck'] as Record<string, unknown> | undefined;
    if (ext && typeof ext === 'object' && ext.budget !== undefined) svc.budget = parseSize(ext.budget);
    out.push(svc);
  }
  return out;
}

/** Read the `budgets:` section: `key: SIZE` or `key: { size, dockerfile }`. */
export function readBudgets(raw: unknown, file: string, problems: string[]): BudgetRule[] {
  if (raw === undefined || raw === null) return [];
  if (typeof raw !== 'object' || Array.isArray(raw)) { problems.push(`${reportPath(file)}: \`budgets\` must map services or image globs to sizes.`); return []; }
  const out: BudgetRule[] = [];
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (key === 'growth') continue; // the growth gate (readGrowth), not an image glob
    const obj = value && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
    const sizeValue = obj ? obj.size ?? obj.budget : value;
    const bytes = parseSize(sizeValue);
    if (bytes === undefined) { problems.push(`${reportPath(file)}: budgets.${key}: "${String(sizeValue)}" is not a size such as 600MB or 1.2GB.`); continue; }
    const dockerfile = typeof obj?.dockerfile === 'string' ? path.resolve(path.dirname(file), obj.dockerfile) : undefined;
    out.push({ key, bytes, text: String(sizeValue), file, dockerfile });
  }
  return out;
}

/** `budgets.growth`, when set. */
export function readGrowth(raw: unknown, file: string, problems: string[]): GrowthLimit | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw) || !('growth' in raw)) return undefined;
  const { limit, problem } = parseGrowth((raw as Record<string, unknown>).growth);
  if (problem) problems.push(`${reportPath(file)}: budgets.growth: ${problem}.`);
  return limit;
}

/** The set variables of an environment. */
const shellEnv = (env: NodeJS.ProcessEnv): Record<string, string> => Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));

/** Discover compose files, Dockerfiles and the folder's `.hullcheck.yaml`. */
export async function loadWorkspace(folder: string, host: FileHost, env: NodeJS.ProcessEnv = process.env): Promise<WorkspaceModel> {
  const problems: string[] = [];
  const { files, languages } = await discover([folder]);
  const services: ComposeService[] = [];
  const dockerfiles: string[] = [];
  for (const f of files) {
    const lang = languages.get(f);
    if (lang === 'dockerfile') dockerfiles.push(path.resolve(f));
    if (lang !== 'compose') continue;
    const r = await host.read(f, 'compose');
    // variables as Compose reads them: the folder's .env, with the shell's environment over it
    if (r.ok) services.push(...readCompose(path.resolve(f), r.text, await projectEnv(host, path.dirname(path.resolve(f)), undefined, shellEnv(env))));
  }
  const loaded = await loadConfigFor(host, path.join(folder, '.hullcheck.yaml'), new Set(), undefined, env, { stop: folder });
  const config = loaded.config as unknown as { budgets?: unknown; allowRoot: string[] };
  const budgets = readBudgets(config.budgets, loaded.files[0] ?? folder, problems);
  for (const s of services) {
    if (s.budget !== undefined && !budgets.some((b) => b.key === s.service)) {
      budgets.push({ key: s.service, bytes: s.budget, text: `${Math.round(s.budget / 1048576)}MB`, file: s.composeFile });
    }
  }
  const growth = readGrowth(config.budgets, loaded.files[0] ?? folder, problems);
  return { folder, services: dedupeServices(services), budgets, ...(growth ? { growth } : {}), allowRoot: config.allowRoot ?? [], dockerfiles, problems, config: loaded.config };
}

/** compose.yml plus overrides repeat services: merge them, later files filling in what earlier ones lacked. */
function dedupeServices(services: ComposeService[]): ComposeService[] {
  const byKey = new Map<string, ComposeService>();
  for (const s of services) {
    const key = `${path.dirname(s.composeFile)}\0${s.service}`;
    const prev = byKey.get(key);
    byKey.set(key, prev ? { ...prev, ...Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)), composeFile: prev.composeFile } as ComposeService : s);
  }
  return [...byKey.values()];
}

/** `nginx` → `docker.io/library/nginx:latest`-free canonical form: `nginx:latest`. */
export function normalizeRef(ref: string): string {
  let r = ref.replace(/^docker\.io\//, '').replace(/^library\//, '');
  const lastSlash = r.lastIndexOf('/');
  if (!r.includes('@') && !r.slice(lastSlash + 1).includes(':')) r += ':latest';
  return r;
}

/** Whether an image reference matches a glob: `*` spans anything, a glob without a tag matches every tag. */
export function refMatches(pattern: string, ref: string): boolean {
  const g = pattern.replace(/^docker\.io\//, '').replace(/^library\//, '');
  const r = normalizeRef(ref);
  const lastSlash = g.lastIndexOf('/');
  const withTag = g.includes('@') || g.slice(lastSlash + 1).includes(':') ? g : `${g}:*`;
  return glob(withTag, { syntax: 'ref' }).test(r);
}

export interface ImageMapping {
  service?: ComposeService;
  budget?: BudgetRule;
  dockerfile?: string;
  target?: string;
  /** Whether root is allowed for this image (allowRoot names the service or matches a reference). */
  allowRoot: boolean;
  /** The rule settings of the folder the image belongs to: severities of the image rules. */
  config?: ResolvedConfig;
}

/** Labels Hullcheck's builds put on images, so an image finds its Dockerfile again. */
export const LABEL_DOCKERFILE = 'dev.hullcheck.dockerfile';
export const LABEL_TARGET = 'dev.hullcheck.target';

/** Tie an image (its tags and labels) to a service, a budget and a Dockerfile. */
export function mapImage(model: WorkspaceModel, tags: string[], labels: Record<string, string> | null | undefined): ImageMapping {
  const refs = tags.map(normalizeRef);
  const service = model.services.find((s) => (s.image && refs.includes(normalizeRef(s.image))) || s.defaultImages.some((d) => refs.includes(normalizeRef(d))));
  // a service's own budget wins; otherwise the most specific matching glob (a bare name matches its repository)
  const budget = (service && model.budgets.find((b) => b.key === service.service))
    ?? model.budgets.filter((b) => tags.some((t) => refMatches(b.key, t))).sort((a, b) => b.key.length - a.key.length)[0];
  const label = labels?.[LABEL_DOCKERFILE];
  const dockerfile = label ? path.resolve(model.folder, label) : service?.dockerfile ?? budget?.dockerfile;
  const allowRoot = model.allowRoot.some((a) => a === service?.service || tags.some((t) => refMatches(a, t)));
  return { service, budget, dockerfile, target: labels?.[LABEL_TARGET] ?? service?.target, allowRoot, config: model.config };
}
