// A first `.hullcheck.yaml` from what a workspace folder holds: the preset, compose project sets (the main compose
// file with each of its overlays), budgets from the sizes of built images with 10 % headroom (a commented template
// when no engine was asked), and smoke endpoints where a healthcheck URL meets a published port.

import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import type { FileHost } from '../core/fileHost';
import { DEFAULT_FILES, DEFAULT_OVERRIDES } from '../model/composeProject';
import { parseCompose, type ComposeService } from '../parse/compose';
import { RULESET_VERSION } from '../config/presets';
import { toMB } from '../core/size';
import { mapImage, type WorkspaceModel } from '../docker/workspace';
import type { LocalImage } from '../docker/images';

/** Budgets leave 10 % room above an image's current size (a ratio of integers: no float drift at round sizes). */
const HEADROOM = { num: 11, den: 10 };
const MB = 1024 * 1024;
/** Compose files beside the main one that form a project with it: compose.test.yml, docker-compose.ci.yaml, … */
const OVERLAY = /^(docker-)?compose\.[A-Za-z0-9_-]+\.ya?ml$/;

export interface ScaffoldInput {
  folder: string;
  host: FileHost;
  /** The folder's workspace model (services, Dockerfiles, budgets already declared). */
  model: WorkspaceModel;
  /** Local images, when the engine was asked and answered; undefined leaves budgets as a commented template. */
  images?: LocalImage[];
}

interface Endpoint { service: string; url: string; from: 'host' | 'container' }

const yamlString = (s: string) => (/^[A-Za-z0-9_./@-]+$/.test(s) && !/^(true|false|null|yes|no|on|off|~)$/i.test(s) ? s : JSON.stringify(s));

/** Healthcheck test text: a string, or the words of a CMD/CMD-SHELL list. */
function healthText(value: Record<string, unknown>): string | undefined {
  const hc = value.healthcheck as { test?: unknown; disable?: unknown } | undefined;
  if (!hc || typeof hc !== 'object' || hc.disable === true) return undefined;
  if (typeof hc.test === 'string') return hc.test;
  if (Array.isArray(hc.test) && hc.test[0] !== 'NONE') return hc.test.filter((x) => typeof x === 'string').slice(1).join(' ');
  return undefined;
}

/** Container port -> published host port, for TCP ports with a fixed host port (short and long syntax). */
function publishedPorts(value: Record<string, unknown>): Map<number, number> {
  const out = new Map<number, number>();
  for (const p of Array.isArray(value.ports) ? value.ports : []) {
    if (typeof p === 'string' || typeof p === 'number') {
      const m = /^(?:(?:[\d.]+|\[[^\]]*\]):)?(\d+):(\d+)(\/tcp)?$/.exec(String(p).trim());
      if (m) out.set(Number(m[2]), Number(m[1]));
    } else if (p && typeof p === 'object') {
      const o = p as { target?: unknown; published?: unknown; protocol?: unknown };
      const published = Number(o.published);
      if (Number.isInteger(Number(o.target)) && Number.isInteger(published) && published > 0 && (o.protocol ?? 'tcp') === 'tcp') out.set(Number(o.target), published);
    }
  }
  return out;
}

/** A smoke endpoint from a healthcheck that fetches a local URL: from the host when its port is published. */
export function endpointOf(service: ComposeService): Endpoint | undefined {
  const test = healthText(service.value);
  const m = test && /\bhttps?:\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0)(?::(\d+))?(\/[^\s'"|;&]*)?/.exec(test);
  if (!m) return undefined;
  const scheme = m[0].startsWith('https') ? 'https' : 'http';
  const port = m[1] ? Number(m[1]) : scheme === 'https' ? 443 : 80;
  const urlPath = m[2] ?? '/';
  const host = publishedPorts(service.value).get(port);
  return host !== undefined
    ? { service: service.name, url: `${scheme}://127.0.0.1:${host}${urlPath}`, from: 'host' }
    : { service: service.name, url: `${scheme}://localhost:${port}${urlPath}`, from: 'container' };
}

/** The folder's compose files: the main one first, then its overlays (never the automatic override file). */
async function composeFiles(folder: string): Promise<{ main?: string; overlays: string[] }> {
  let names: string[] = [];
  try { names = (await fs.readdir(folder, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name).sort(); } catch { /* an unreadable folder holds nothing */ }
  const main = DEFAULT_FILES.find((n) => names.includes(n));
  const overlays = main ? names.filter((n) => OVERLAY.test(n) && !DEFAULT_OVERRIDES.includes(n) && !DEFAULT_FILES.includes(n)) : [];
  return { main, overlays };
}

/** Budget lines: `key: size` with headroom for each service whose image is built, in MB rounded up. */
export function budgetLines(model: WorkspaceModel, images: LocalImage[]): string[] {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const img of [...images].sort((a, b) => b.created - a.created)) {
    const service = mapImage(model, img.tags, img.labels).service?.service;
    if (!service || seen.has(service)) continue; // newest first: the newest image of a service sets its budget
    seen.add(service);
    lines.push(`  ${yamlString(service)}: ${Math.ceil((img.size * HEADROOM.num) / HEADROOM.den / MB)}MB   # built: ${toMB(img.size)} MB`);
  }
  return lines.sort();
}

/** The text of a first `.hullcheck.yaml` for the folder. */
export async function scaffoldConfig(input: ScaffoldInput): Promise<string> {
  const { folder, host, model } = input;
  const out: string[] = ['# Hullcheck configuration: https://github.com/hullcheck/hullcheck#configuration', `preset: recommended@${RULESET_VERSION}`];
  const { main, overlays } = await composeFiles(folder);
  const services: ComposeService[] = [];
  for (const name of main ? [main, ...overlays] : []) {
    const r = await host.read(path.join(folder, name), 'compose');
    if (r.ok) for (const s of parseCompose(r.text).services) if (!services.some((x) => x.name === s.name)) services.push(s);
  }
  if (main && overlays.length) {
    out.push('', '# compose files merged into one project, as `docker compose -f A -f B` does', 'composeProjects:');
    for (const o of overlays) out.push(`  - [${yamlString(main)}, ${yamlString(o)}]`);
  }
  const built = model.services.filter((s) => s.dockerfile || s.image).map((s) => s.service);
  const lines = input.images ? budgetLines(model, input.images) : [];
  out.push('', '# image size budgets: a compose service or an image reference glob, and a size');
  if (lines.length) out.push('budgets:', ...lines);
  else {
    out.push(input.images ? '# (no image of these services is built yet)' : '# (the Docker engine was not asked; sizes of built images would fill these in)', '# budgets:');
    for (const s of [...new Set(built)].sort()) out.push(`#   ${yamlString(s)}: 500MB`);
  }
  const endpoints = services.map(endpointOf).filter((e): e is Endpoint => !!e);
  if (endpoints.length) {
    out.push('', '# hullcheck smoke: start the stack, wait for health, then probe these', 'smoke:', '  services:');
    for (const e of endpoints.sort((a, b) => a.service.localeCompare(b.service))) {
      out.push(`    ${yamlString(e.service)}:`, '      endpoints:');
      out.push(e.from === 'host' ? `        - ${yamlString(e.url)}` : `        - { url: ${yamlString(e.url)}, from: container }`);
    }
  }
  return out.join('\n') + '\n';
}
