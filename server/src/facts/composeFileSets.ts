// Which compose files are merged together with the linted one: `composeProjects` from .hullcheck.yaml, COMPOSE_FILE
// from the folder's `.env`, Compose's own default pair (compose.yaml + compose.override.yaml), and an overlay-only file (every service partial, as in
// `compose.test.yml`) paired with the base file its name extends. Plus the merge itself, as Compose does it.

import * as path from 'node:path';
import { isSeq, type Node } from 'yaml';
import type { FileHost } from '../core/fileHost';
import type { ResolvedConfig } from '../config/resolvedConfig';
import { CONFIG_NAMES } from '../config/hullcheckConfig';
import { nodeIn, type ParsedCompose } from '../parse/compose';
import { nodeTag } from '../model/composeMerge';
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

/**
 * The entries a list key (`ports`, `volumes`) ends up with after merging the files in order: lists concatenate,
 * except that `!override` replaces what came before and `!reset` clears it, on the key or on the whole service.
 */
export function mergedList(files: { path: string; parsed: ParsedCompose }[], service: string, key: string): { file: string; parsed: ParsedCompose; item: unknown; node: Node | undefined }[] {
  let out: { file: string; parsed: ParsedCompose; item: unknown; node: Node | undefined }[] = [];
  for (const f of files) {
    const tag = fileTag(f.parsed, 'services', service, key);
    if (tag) out = [];
    if (tag === 'reset') continue;
    const svc = f.parsed.service(service);
    if (!svc) continue;
    const node = svc.node ? nodeIn(svc.doc, svc.node, key) : undefined;
    const items = svc.value[key];
    if (!Array.isArray(items)) continue;
    items.forEach((item, i) => out.push({ file: f.path, parsed: f.parsed, item, node: isSeq(node) ? (node.items[i] as Node | undefined) : undefined }));
  }
  return out;
}

/** Whether a later file of the project drops the service (`!reset`) or rewrites it whole (`!override`). */
export function replacedLater(project: { files: { parsed: ParsedCompose }[] }, at: number, service: string): boolean {
  return project.files.slice(at + 1).some((f) => fileTag(f.parsed, 'services', service) !== undefined);
}

/** Whether an earlier file of one of the projects already defines the service (so this file only adjusts it). */
export function definedEarlier(projects: { files: { parsed: ParsedCompose }[]; self: number }[] | undefined, service: string): boolean {
  return (projects ?? []).some((p) => p.files.slice(0, p.self).some((f) => f.parsed.service(service) !== undefined));
}
