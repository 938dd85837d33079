// Safe fixes keep Dockerfiles buildable with the real engine: rule fixture Dockerfiles that build here (base images
// swapped for the local one, no network) are built before and after applying every safe fix with the classic builder
// (DOCKER_BUILDKIT=0), on the engine HULLCHECK_TEST_ENGINE picks (started by test/docker/engine.ts when it does not
// answer). Skipped with the reason only when no engine can be started.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fixUntilStable, safeFixesOf } from '../../server/src/core/fixes';
import { lintFile } from '../../server/src/engine/lintFile';
import { FIXTURES } from '../helpers';
import { walk } from '../bench/corpus';
import { ensureEngine } from './engine';
import { emptyHost } from '../fuzz/props';

const BASE = process.env.HULLCHECK_TEST_BASE_IMAGE ?? 'local/debian:bookworm-minbase';
const MAX_PAIRS = Number(process.env.HULLCHECK_FIX_BUILD_MAX ?? 12);

function docker(args: string[], input?: string, env: NodeJS.ProcessEnv = {}): { ok: boolean; out: string } {
  const r = spawnSync('docker', args, { input, encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...env } });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() };
}

function skipReason(): string | false {
  try { ensureEngine(); } catch (e) { return `no Docker engine could be started (${String(e).split('\n')[0]}); see test/docker/dockerd.sh`; }
  const info = docker(['info', '--format', '{{.ServerVersion}}']);
  if (!info.ok) return `no Docker engine answers (${info.out.split('\n').pop()}); start one with test/docker/dockerd.sh`;
  if (!docker(['image', 'inspect', BASE]).ok) return `the local base image ${BASE} is missing; test/docker/dockerd.sh imports it`;
  return false;
}

/** Every base image that is not `scratch` or an earlier stage becomes the local base image (no registry here). */
export function localBases(text: string): string {
  const stages = new Set<string>();
  return text.replace(/^(\s*FROM\s+(?:--\S+\s+)*)(\S+)([^\r\n]*)/gim, (_m, head: string, image: string, rest: string) => {
    const as = /\sAS\s+(\S+)/i.exec(rest);
    const keep = image.toLowerCase() === 'scratch' || stages.has(image.toLowerCase());
    if (as) stages.add(as[1].toLowerCase());
    return `${head}${keep ? image : BASE}${rest}`;
  });
}

function build(dockerfile: string, context: string): { ok: boolean; out: string } {
  const file = path.join(context, '.hullcheck-build.Dockerfile');
  fs.writeFileSync(file, dockerfile);
  try {
    // --force-rm: a failed RUN leaves no container behind.
    const r = docker(['build', '--force-rm', '--network', 'none', '-f', file, context], undefined, { DOCKER_BUILDKIT: '0' });
    // The classic builder prints ` ---> <id>` after every step. Removing those images, newest first, leaves no
    // image of this build behind (passed or failed, every stage); tagged images such as the base are never touched,
    // and an image something else still uses is refused by the engine (no -f).
    const ids = [...new Set([...r.out.matchAll(/^ ---> ([0-9a-f]{12})$/gm)].map((m) => m[1]))].reverse();
    for (const id of ids) {
      if (docker(['image', 'inspect', '--format', '{{len .RepoTags}}', id]).out === '0') docker(['rmi', id]);
    }
    return r;
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** Fixtures that cannot build without a network or a context are not tried (each failed build costs seconds). */
const NEEDS_NETWORK = /^\s*RUN\b.*\b(apt-get|apt|apk|pip3?|npm|npx|yarn|pnpm|curl|wget|yum|dnf|microdnf|zypper|go|cargo|gem|composer|git|bundle)\b/im;

export function worthBuilding(text: string, hasContext: boolean): boolean {
  if (NEEDS_NETWORK.test(text) || /<<-?\s*['"]?[A-Za-z_]/.test(text)) return false; // the classic builder has no heredocs
  // without a context folder only COPY --from and ADD of nothing local can work
  if (!hasContext && /^\s*(COPY|ADD)\b(?![^\r\n]*--from)/im.test(text)) return false;
  return true;
}

async function fixAll(file: string, text: string): Promise<string> {
  const lint = async (t: string) => (await lintFile(file, t, { host: emptyHost, language: 'dockerfile', enableAll: true, facts: { dockerignore: null } })).findings;
  return (await fixUntilStable(text, lint, (fs_) => safeFixesOf(fs_).filter((f) => f.edits.length > 0))).text;
}

const reason = skipReason();

test('fixture Dockerfiles that build here still build after every safe fix', { skip: reason, timeout: 20 * 60_000 }, async () => {
  const files = walk(path.join(FIXTURES, 'rules'), (n) => n === 'Dockerfile' || (n.endsWith('.Dockerfile') && !n.endsWith('.fixed.Dockerfile')));
  const verified: string[] = [];
  const broken: string[] = [];
  let notBuildable = 0;
  for (const file of files) {
    if (verified.length + broken.length >= MAX_PAIRS) break;
    const original = localBases(fs.readFileSync(file, 'utf8'));
    const hasContext = path.basename(file) === 'Dockerfile';
    if (!worthBuilding(original, hasContext)) continue;
    const fixed = await fixAll(file, original);
    if (fixed === original) continue; // nothing to verify
    const ctx = fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-fixbuild-'));
    try {
      // a folder case brings its context (other files next to the Dockerfile)
      if (hasContext) fs.cpSync(path.dirname(file), ctx, { recursive: true });
      if (!build(original, ctx).ok) { notBuildable++; continue; }
      const after = build(fixed, ctx);
      const name = path.relative(path.join(FIXTURES, 'rules'), file);
      if (after.ok) verified.push(name);
      else broken.push(`${name}: ${after.out.split('\n').slice(-3).join(' | ')}\n--- fixed text ---\n${fixed}`);
    } finally {
      fs.rmSync(ctx, { recursive: true, force: true });
    }
  }
  console.log(`built before and after fixing: ${verified.length} ok, ${broken.length} broken; ${notBuildable} fixtures do not build here (network, missing tools)`);
  assert.deepEqual(broken, []);
  assert.ok(verified.length >= 3, `only ${verified.length} fixtures could be built here: the check proves little`);
});
