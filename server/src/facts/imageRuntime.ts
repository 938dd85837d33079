// How the image a Dockerfile builds is run, as far as the project's files show: the entrypoint scripts its
// CMD/ENTRYPOINT runs (read from the build context, to see whether they drop root themselves), and whether the
// project runs it with the engine socket mounted (a compose service that builds it, or a `docker run` in a README
// in its folder or a folder above it up to the repository root, mounting `/var/run/docker.sock`).

import * as path from 'node:path';
import type { FileHost } from '../core/fileHost';
import type { ParsedDockerfile } from '../parse/dockerfile';
import { parseCompose } from '../parse/compose';
import { copyInstructions, isWholeContext } from '../model/dockerfile/copySources';
import { instrsOf } from '../model/dockerfile/imageViews';
import { modelOf } from '../model/dockerfile/model';
import { resolveBuild } from '../model/composeBuild';
import { buildFilesOf } from './buildLabels';
import { scanBuildFile } from './buildText';
import { trimLeading, trimTrailing } from '../core/strings';

const MAX_SCRIPT = 64 * 1024;
const SOCKET = /\/var\/run\/docker\.sock|\/run\/docker\.sock/;

/** The script names a CMD/ENTRYPOINT runs: shell scripts and programs named like an entrypoint. */
function scriptNames(parsed: ParsedDockerfile): Set<string> {
  const view = modelOf(parsed).finalImage();
  const out = new Set<string>();
  if (!view) return out;
  for (const i of instrsOf(view.configStages, 'CMD', 'ENTRYPOINT')) {
    for (const w of i.jsonArgs ?? i.argsText.split(/\s+/)) {
      const base = path.posix.basename(trimTrailing(trimLeading(w, '"\'['), '"\',]'));
      if (/^[\w.-]+\.(?:sh|bash)$/.test(base) || /^[\w.-]*entrypoint[\w.-]*$/i.test(base)) out.add(base);
    }
  }
  return out;
}

/**
 * The text of each entrypoint script the final image runs, keyed by its path in the context: a COPY/ADD source
 * of the same name, or a file of that name at the context root when the whole context is copied.
 */
export async function entrypointScripts(host: FileHost, contextDir: string, parsed: ParsedDockerfile): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const names = scriptNames(parsed);
  if (names.size === 0) return out;
  const root = path.resolve(contextDir);
  const candidates = new Set<string>();
  for (const { sources, onbuild } of copyInstructions(parsed)) {
    if (onbuild) continue;
    for (const s of sources) {
      if (s.kind !== 'context' || s.variable || s.glob) continue;
      const v = s.value.replace(/^\.?\/+/, '');
      if (names.has(path.posix.basename(v))) candidates.add(v);
      else if (isWholeContext(s.value)) for (const n of names) candidates.add(n);
    }
  }
  for (const c of [...candidates].slice(0, 8)) {
    const full = path.resolve(root, c);
    if (full === root || !full.startsWith(root + path.sep)) continue;
    const r = await host.read(full, 'other', { maxBytes: MAX_SCRIPT, quiet: true });
    if (r.ok) out.set(c, r.text);
  }
  return out;
}

/** The services of a compose file in `dir` that mount the engine socket, each with the Dockerfile it builds (absolute). */
function socketServices(text: string, dir: string): { name: string; dockerfile: string }[] {
  const out: { name: string; dockerfile: string }[] = [];
  for (const svc of parseCompose(text).services) {
    const b = resolveBuild(svc.value?.build, dir, {});
    if (!b?.dockerfile) continue;
    const vols = (svc.value as { volumes?: unknown }).volumes;
    const list = Array.isArray(vols) ? vols : [];
    if (list.some((v) => SOCKET.test(typeof v === 'string' ? v : JSON.stringify(v ?? '')))) out.push({ name: svc.name, dockerfile: path.resolve(b.dockerfile) });
  }
  return out;
}

/** Whether a README shows a `docker run` (a command with its continuation lines) that mounts the engine socket. */
export function readmeRunsWithSocket(text: string): boolean {
  const joined = text.replace(/\\\r?\n/g, ' ');
  for (const m of joined.matchAll(/\bdocker\s+(?:container\s+)?(?:run|create)\b[^\n]*/g)) {
    if (SOCKET.test(m[0]) && /(?:^|\s)(?:-v|--volume|--mount)[\s=]/.test(m[0])) return true;
  }
  return false;
}

/** Where the project runs the image with the engine socket mounted (as a phrase for messages), if it does. */
export async function engineSocketUse(host: FileHost, file: string): Promise<string | undefined> {
  const abs = path.resolve(file);
  const { files, dirs } = await buildFilesOf(host, abs);
  for (const f of files) {
    if (!f.compose) continue;
    const services = await scanBuildFile(host, f.path, 'engine-socket:compose', [], (text) => socketServices(text, path.dirname(f.path)));
    const svc = services.find((x) => x.dockerfile === abs)?.name;
    if (svc) return `the compose service \`${svc}\` (${path.relative(path.dirname(abs), f.path).split(path.sep).join('/')}) mounts the engine socket`;
  }
  for (const d of dirs) {
    for (const n of (await host.list?.(d)) ?? []) {
      if (!/^readme(?:\.md|\.markdown|\.rst|\.txt)?$/i.test(n)) continue;
      if (await scanBuildFile(host, path.join(d, n), 'engine-socket:readme', false, readmeRunsWithSocket)) return `${path.relative(path.dirname(abs), path.join(d, n)).split(path.sep).join('/')} runs it with the engine socket mounted`;
    }
  }
  return undefined;
}
