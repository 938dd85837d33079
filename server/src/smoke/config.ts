// The `smoke:` section of .hullcheck.yaml: read, validated into SmokeSettings, with defaults taken from the
// workspace (compose.yml plus compose.test.yml, .env.test). Problems are returned as sentences, never thrown.

import * as path from 'node:path';
import { CONFIG_NAMES, findUp, parseHullcheckConfig } from '../config/hullcheckConfig';
import { type FileHost } from '../core/fileHost';
import { type FoundFile } from '../config/resolvedConfig';
import { escapesBase, projectScope } from '../core/projectScope';
import { nodeHost } from '../core/fileHost';
import { reportPath } from '../core/reportPath';
import type { SmokeEndpoint, SmokeServiceSettings, SmokeSettings } from '../protocol/smokeTypes';

export const DEFAULT_TIMEOUT_SECONDS = 300;
const COMPOSE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
const TEST_OVERRIDES = ['compose.test.yaml', 'compose.test.yml', 'docker-compose.test.yaml', 'docker-compose.test.yml'];
const SERVICE_KEYS = new Set(['endpoints', 'markers']);
const TOP_KEYS = new Set(['files', 'envFile', 'project', 'timeout', 'services']);

export interface SmokeConfigResult {
  settings?: SmokeSettings;
  /** The .hullcheck.yaml that was read, if any. */
  file?: string;
  problems: string[];
}

async function exists(file: string): Promise<boolean> {
  return (await nodeHost.kind(file)) === 'file';
}

/** A Compose project name part: lower case letters, digits, `-` and `_`, starting with a letter or digit. */
export function sanitizePrefix(name: string): string {
  const s = name.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^[-_]+|[-_]+$/g, '');
  return s.slice(0, 40) || 'hullcheck';
}

function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

function readEndpoint(raw: unknown, where: string, problems: string[]): SmokeEndpoint | undefined {
  const obj = typeof raw === 'string' ? { url: raw } : raw;
  if (!obj || typeof obj !== 'object' || Array.isArray(obj) || typeof (obj as { url?: unknown }).url !== 'string') {
    problems.push(`${where}: an endpoint is a URL or \`{ url, from: host|container }\`.`);
    return undefined;
  }
  const { url, from = 'host', ...rest } = obj as { url: string; from?: unknown };
  for (const k of Object.keys(rest)) problems.push(`${where}: unknown endpoint key \`${k}\` (use url and from).`);
  if (from !== 'host' && from !== 'container') { problems.push(`${where}: \`from\` must be host or container, got ${JSON.stringify(from)}.`); return undefined; }
  let parsed: URL;
  try { parsed = new URL(url); } catch { problems.push(`${where}: "${url}" is not a URL.`); return undefined; }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') { problems.push(`${where}: "${url}" must be an http:// or https:// URL.`); return undefined; }
  // probes from the host only ever go to this machine: published ports are reached on loopback
  if (from === 'host' && !isLoopbackHost(parsed.hostname)) {
    problems.push(`${where}: "${url}" is probed from the host, so it must point at localhost or 127.0.0.1 (use \`from: container\` for addresses inside the container).`);
    return undefined;
  }
  return { url, from };
}

function list(raw: unknown): unknown[] {
  return raw === undefined || raw === null ? [] : Array.isArray(raw) ? raw : [raw];
}

function readService(name: string, raw: unknown, problems: string[]): SmokeServiceSettings {
  const out: SmokeServiceSettings = { endpoints: [], markers: [] };
  if (raw === null || raw === undefined) return out;
  if (typeof raw !== 'object' || Array.isArray(raw)) { problems.push(`smoke.services.${name} must be a mapping with endpoints and markers.`); return out; }
  const r = raw as Record<string, unknown>;
  for (const k of Object.keys(r)) if (!SERVICE_KEYS.has(k)) problems.push(`smoke.services.${name}: unknown key \`${k}\` (use endpoints and markers).`);
  for (const e of list(r.endpoints)) {
    const ep = readEndpoint(e, `smoke.services.${name}.endpoints`, problems);
    if (ep) out.endpoints.push(ep);
  }
  for (const m of list(r.markers)) {
    if (typeof m !== 'string' || !m.startsWith('/')) problems.push(`smoke.services.${name}.markers: ${JSON.stringify(m)} must be an absolute path inside the container.`);
    else out.markers.push(m);
  }
  return out;
}

/** Validate a raw `smoke:` value (undefined when the section is absent) against the workspace folder. */
export async function resolveSmokeSettings(raw: unknown, folder: string, overrides: { timeoutSeconds?: number } = {}): Promise<SmokeConfigResult> {
  const problems: string[] = [];
  if (raw !== undefined && raw !== null && (typeof raw !== 'object' || Array.isArray(raw))) {
    return { problems: ['`smoke` must be a mapping (files, envFile, project, timeout, services).'] };
  }
  const r = (raw ?? {}) as Record<string, unknown>;
  for (const k of Object.keys(r)) if (!TOP_KEYS.has(k)) problems.push(`smoke: unknown key \`${k}\` (known: ${[...TOP_KEYS].join(', ')}).`);

  let files: string[] = [];
  if (r.files !== undefined) {
    const l = list(r.files);
    if (!l.length || !l.every((f) => typeof f === 'string' && f.trim())) problems.push('smoke.files must be a compose file or a list of them.');
    else {
      // the files come from the project's own config: they stay inside the project (the engine would read them)
      for (const f of l as string[]) if (escapesBase(f)) problems.push(`smoke.files: ${f} is outside the project; use a path inside the project folder.`);
      files = (l as string[]).filter((f) => !escapesBase(f)).map((f) => path.resolve(folder, f));
    }
  } else {
    for (const n of COMPOSE_NAMES) if (await exists(path.join(folder, n))) { files.push(path.join(folder, n)); break; }
    for (const n of TEST_OVERRIDES) if (await exists(path.join(folder, n))) { files.push(path.join(folder, n)); break; }
    if (!files.length) problems.push(`No compose file in ${reportPath(folder)} (looked for ${COMPOSE_NAMES.join(', ')}); set smoke.files.`);
  }
  for (const f of files) if (r.files !== undefined && !(await exists(f))) problems.push(`smoke.files: ${path.relative(folder, f) || f} does not exist.`);

  let envFile: string | undefined;
  if (r.envFile !== undefined && r.envFile !== null) {
    if (typeof r.envFile !== 'string' || !r.envFile.trim()) problems.push('smoke.envFile must be a file name.');
    else if (escapesBase(r.envFile)) problems.push(`smoke.envFile: ${r.envFile} is outside the project; use a path inside the project folder.`);
    else {
      envFile = path.resolve(folder, r.envFile);
      if (!(await exists(envFile))) problems.push(`smoke.envFile: ${r.envFile} does not exist.`);
    }
  } else if (await exists(path.join(folder, '.env.test'))) envFile = path.join(folder, '.env.test');

  let prefix = sanitizePrefix(path.basename(folder));
  if (r.project !== undefined) {
    if (typeof r.project !== 'string' || !/^[a-z0-9][a-z0-9_-]*$/.test(r.project)) problems.push('smoke.project must be lower case letters, digits, - and _ (it prefixes the generated project name).');
    else prefix = r.project;
  }

  let timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;
  if (r.timeout !== undefined) {
    if (typeof r.timeout !== 'number' || !(r.timeout > 0)) problems.push('smoke.timeout must be a positive number of seconds.');
    else timeoutSeconds = r.timeout;
  }
  if (overrides.timeoutSeconds !== undefined) timeoutSeconds = overrides.timeoutSeconds;

  const services: Record<string, SmokeServiceSettings> = {};
  if (r.services !== undefined && r.services !== null) {
    if (typeof r.services !== 'object' || Array.isArray(r.services)) problems.push('smoke.services must map service names to endpoints and markers.');
    else for (const [name, s] of Object.entries(r.services as Record<string, unknown>)) services[name] = readService(name, s, problems);
  }
  if (problems.length) return { problems };
  return { settings: { folder, files, envFile, prefix, timeoutSeconds, services }, problems };
}

/** Find and read the configuration (the explicit file, else the nearest .hullcheck.yaml above `dir`). */
export async function loadSmokeSettings(host: FileHost, dir: string, explicit?: string, overrides: { timeoutSeconds?: number } = {}): Promise<SmokeConfigResult> {
  let found: FoundFile | undefined;
  if (explicit) {
    const r = await host.read(explicit, 'config', { userChosen: true });
    if (!r.ok) return { problems: [r.reason === 'missing' ? `${explicit} does not exist.` : `Cannot read ${explicit}: ${r.message}.`] };
    found = { file: path.resolve(explicit), text: r.text };
  } else {
    found = await findUp(host, dir, CONFIG_NAMES, (await projectScope(host, dir)).stop);
  }
  if (found && found.text === undefined) return { file: found.file, problems: [`Cannot read ${found.file}: ${found.unreadable}.`] };
  if (!found) return resolveSmokeSettings(undefined, path.resolve(dir), overrides);
  const parsed = parseHullcheckConfig(found.file, found.text, new Set());
  const errors = parsed.problems.filter((p) => p.severity === 'error').map((p) => `${path.basename(p.file)}:${p.range.start.line + 1}: ${p.message}`);
  if (errors.length) return { file: found.file, problems: errors };
  const raw = (parsed.config as unknown as Record<string, unknown>).smoke;
  return { ...(await resolveSmokeSettings(raw, path.dirname(found.file), overrides)), file: found.file };
}
