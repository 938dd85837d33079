// Which compose files are merged together with the linted one: `composeProjects` from .hullcheck.yaml, COMPOSE_FILE
// from the folder's `.env`, Compose's own default pair (compose.yaml + compose.override.yaml), and an overlay-only file (every service partial, as in
// `compose.test.yml`) paired with the base file its name extends. Plus the merge itself, as Compose does it.

import * as path from 'node:path';
import { isSeq, type Node } from 'yaml';
import type { FileHost } from '../core/fileHost';
import type { ResolvedConfig } from '../config/resolvedConfig';
import { CONFIG_NAMES } from '../config/hullcheckConfig';
import { nodeIn, pairIn, type ParsedCompose } from '../parse/compose';
import { nodeTag, serviceTags } from '../model/composeMerge';
import { composeFileList, DEFAULT_FILES, DEFAULT_OVERRIDES } from '../model/composeProject';

export interface ProjectSpec { files: string[]; source: 'config' | 'env' | 'override' | 'inferred' | 'include' }


async function exists(host: FileHost, file: string): Promise<boolean> {
  return (await host.kind(file)) === 'file';
}

async function firstExisting(host: FileHost, dir: string, names: string[], not: string): Promise<string | undefined> {
  for (const n of names) {
    const f = path.join(dir, n);
    if (f !== not && await exists(host, f)) return f;
  }
  return undefined;
}

/** `composeProjects: [[compose.yml, compose.test.yml], ...]`, paths relative to the config file. */
export function configuredProjects(config: ResolvedConfig, base: string): string[][] {
  const raw = (config as unknown as { composeProjects?: unknown }).composeProjects;
  if (!Array.isArray(raw)) return [];
  return raw.filter(Array.isArray).map((list) => (list as unknown[]).filter((x): x is string => typeof x === 'string').map((f) => path.resolve(base, f)));
}

/** A file whose services all lack image, build and extends only makes sense on top of another file. */
export function isOverlayOnly(parsed: ParsedCompose): boolean {
  return parsed.services.length > 0 && parsed.services.every((s) => s.value.image === undefined && s.value.build === undefined && s.value.extends === undefined);
}

export async function projectFilesFor(host: FileHost, self: string, parsed: ParsedCompose, config: ResolvedConfig, configFiles: string[], env: Record<string, string> = {}): Promise<ProjectSpec[]> {
  const dir = path.dirname(self);
  const cfg = configFiles.find((f) => CONFIG_NAMES.includes(path.basename(f)));
  const specs: ProjectSpec[] = configuredProjects(config, cfg ? path.dirname(cfg) : dir)
    .filter((files) => files.includes(self)).map((files) => ({ files, source: 'config' as const }));
  const listed = composeFileList(env, dir);
  const base = path.basename(self);
  // COMPOSE_FILE in the folder's .env replaces the default pair when it names this file
  if (listed?.includes(self)) specs.push({ files: listed, source: 'env' });
  else if (DEFAULT_FILES.includes(base)) {
    const over = await firstExisting(host, dir, DEFAULT_OVERRIDES, self);
    if (over) specs.push({ files: [self, over], source: 'override' });
  } else if (DEFAULT_OVERRIDES.includes(base)) {
    const b = await firstExisting(host, dir, DEFAULT_FILES, self);
    if (b) specs.push({ files: [b, self], source: 'override' });
  } else if (specs.length === 0 && isOverlayOnly(parsed)) {
    // compose.docs.test.yml extends compose.docs.yml, else compose.yml
    const m = /^(.*?)\.(ya?ml)$/i.exec(base);
    const parts = (m?.[1] ?? base).split('.');
    const candidates: string[] = [];
    for (let n = parts.length - 1; n >= 1; n--) {
      const stem = parts.slice(0, n).join('.');
      candidates.push(`${stem}.yml`, `${stem}.yaml`);
    }
    candidates.push(...DEFAULT_FILES);
    const b = await firstExisting(host, dir, candidates, self);
    if (b) specs.push({ files: [b, self], source: 'inferred' });
  }
  return specs;
}

/** The tag one file gives a node it names (the last document that tags it wins); a parent's tag covers its children. */
export function fileTag(parsed: ParsedCompose, ...at: string[]): 'reset' | 'override' | undefined {
  let out: 'reset' | 'override' | undefined;
  for (const doc of parsed.documents) out = nodeTag(doc, ...at) ?? out;
  return out;
}

/** One entry of a service's merged list, where it is written. */
export interface ListEntry {
  file: string; parsed: ParsedCompose; item: unknown; node: Node | undefined;
  /** Set when the entry comes through `extends:`: the project file whose service extends, and that `extends` key. */
  via?: { file: string; parsed: ParsedCompose; key: Node | undefined };
}

/** A compose file the facts have read (project files, included files, extended bases), by absolute path. */
export type ComposeLookup = (file: string) => ParsedCompose | undefined;

/** A service's entries of a list key as one file defines it, `extends:` followed (in the same file, or through `lookup`). */
function serviceEntries(file: string, parsed: ParsedCompose, service: string, key: string, lookup: ComposeLookup | undefined, depth: number): { entries: ListEntry[]; tag?: 'reset' | 'override' } {
  const svc = parsed.service(service);
  if (!svc) return { entries: [] };
  let entries: ListEntry[] = [];
  const ext = svc.value.extends;
  const spec = typeof ext === 'string' ? { service: ext } : ext && typeof ext === 'object' ? (ext as { service?: unknown; file?: unknown }) : undefined;
  if (spec && typeof spec.service === 'string' && depth < 8) {
    const baseFile = typeof spec.file === 'string' ? path.resolve(path.dirname(file), spec.file) : file;
    const base = baseFile === file ? parsed : lookup?.(baseFile);
    const extendsKey = svc.node ? (pairIn(svc.doc, svc.node, 'extends')?.key as Node | undefined) : undefined;
    // an entry a base writes is reported, in this file, at the `extends` that brings it in
    if (base) entries = serviceEntries(baseFile, base, spec.service, key, lookup, depth + 1).entries.map((e) => ({ ...e, via: { file, parsed, key: extendsKey } }));
  }
  const tag = serviceTags(svc.doc, service).get(key);
  if (tag) entries = [];
  if (tag === 'reset') return { entries, tag };
  const node = svc.node ? nodeIn(svc.doc, svc.node, key) : undefined;
  const items = svc.value[key];
  if (Array.isArray(items)) items.forEach((item, i) => entries.push({ file, parsed, item, node: isSeq(node) ? (node.items[i] as Node | undefined) : undefined }));
  return { entries, tag };
}

/**
 * The entries a list key (`ports`, `volumes`) ends up with after merging the files in order: lists concatenate,
 * except that `!override` replaces what came before and `!reset` clears it, on the key or on the whole service;
 * what a service inherits through `extends:` comes first.
 */
export function mergedList(files: { path: string; parsed: ParsedCompose }[], service: string, key: string, lookup?: ComposeLookup): ListEntry[] {
  let out: ListEntry[] = [];
  for (const f of files) {
    const whole = fileTag(f.parsed, 'services', service);
    if (whole) out = [];
    if (whole === 'reset') continue;
    const { entries, tag } = serviceEntries(f.path, f.parsed, service, key, lookup, 0);
    if (tag) out = [];
    out.push(...entries);
  }
  return out;
}

/** Whether an earlier file of one of the projects already defines the service (so this file only adjusts it). */
export function definedEarlier(projects: { files: { parsed: ParsedCompose }[]; self: number }[] | undefined, service: string): boolean {
  return (projects ?? []).some((p) => p.files.slice(0, p.self).some((f) => f.parsed.service(service) !== undefined));
}
