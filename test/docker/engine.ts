// Shared setup of the real-engine tests: pick the engine (HULLCHECK_TEST_ENGINE: debian, classic or containerd, see
// test/docker/dockerd.sh) and start it when it does not answer, build labelled test images with the classic builder,
// and remove exactly what a test created (label hullcheck.test=1, and the intermediate images of its builds).

import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../server/src/cli';

export const TEST_LABEL = 'hullcheck.test=1';
export const BASE_IMAGE = 'local/debian:bookworm-minbase';
const SCRIPT = path.join(__dirname, 'dockerd.sh');

/**
 * Point this process (the docker CLI, the product's engine client, the editor the e2e test starts) at the engine
 * HULLCHECK_TEST_ENGINE picks, through DOCKER_HOST. A DOCKER_HOST set by hand without HULLCHECK_TEST_ENGINE is kept.
 */
function selectEngine(): void {
  if (!process.env.HULLCHECK_TEST_ENGINE && process.env.DOCKER_HOST) return;
  process.env.DOCKER_HOST = execFileSync('bash', [SCRIPT, '--host'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}
selectEngine();

export function docker(args: string[], opts: { input?: string | Buffer; env?: NodeJS.ProcessEnv } = {}): string {
  return execFileSync('docker', args, { encoding: 'utf8', input: opts.input, env: { ...process.env, DOCKER_BUILDKIT: '0', ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
}

/** Start the engine (and bring in the Debian base) once per machine; later calls return at once. */
export function ensureEngine(): void {
  if (spawnSync('docker', ['info'], { stdio: 'ignore' }).status === 0 && spawnSync('docker', ['image', 'inspect', BASE_IMAGE], { stdio: 'ignore' }).status === 0) return;
  // the script prints the engine's DOCKER_HOST last (Debian's, when the modern engine could not be built)
  const out = execFileSync('bash', [SCRIPT], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  process.env.DOCKER_HOST = out.trim().split('\n').pop();
}

/** The engine's image store: the containerd store reports its snapshotter as the storage driver's type. */
export function imageStore(): 'containerd' | 'classic' {
  return /io\.containerd\.snapshotter/.test(docker(['info', '--format', '{{json .DriverStatus}}'])) ? 'containerd' : 'classic';
}

/** A temporary build context holding a static busybox and the given files. */
export function context(files: Record<string, string | Buffer>, withBusybox = true): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-docker-'));
  if (withBusybox) fs.copyFileSync('/bin/busybox', path.join(dir, 'busybox'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

/**
 * The engine's own figure for an image's unpacked size: `.Size` on the classic store; on the containerd store the
 * image manifest's `ImageData.Size.Unpacked`, read from the API (`docker image inspect` does not ask for manifests).
 */
export function unpackedSize(ref: string): number {
  if (imageStore() === 'classic') return Number(docker(['image', 'inspect', '--format', '{{.Size}}', ref]).trim());
  const socketPath = (process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock').replace(/^unix:\/\//, '');
  const script = `require('http').get({ socketPath: ${JSON.stringify(socketPath)}, path: '/images/' + encodeURIComponent(${JSON.stringify(ref)}) + '/json?manifests=1' },
    (r) => { let s = ''; r.on('data', (d) => s += d).on('end', () => process.stdout.write(s)); })`;
  const manifests = (JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })).Manifests ?? []) as { Kind: string; Available: boolean; ImageData?: { Size: { Unpacked: number } } }[];
  const images = manifests.filter((m) => m.Kind === 'image' && m.Available);
  if (images.length !== 1) throw new Error(`${ref}: ${images.length} image manifests unpacked`);
  return images[0].ImageData!.Size.Unpacked;
}

/** Image ids the engine had before this process built anything: cleanup never removes one of them. */
let preexisting: Set<string> | undefined;
/**
 * The intermediate images each tag's build made. The classic builder commits one image per step; the classic store
 * removes them with the tag, the containerd store keeps them as untagged images.
 */
const intermediates = new Map<string, string[]>();

const imageIds = (): Set<string> => new Set(docker(['image', 'ls', '-aq', '--no-trunc']).split('\n').filter(Boolean));

/** Build with the classic builder, labelled for cleanup; returns the image id. */
export function build(dir: string, tag: string, extra: string[] = []): string {
  preexisting ??= imageIds();
  docker(['build', '-q', '--label', TEST_LABEL, '-t', tag, ...extra, dir]);
  const id = docker(['image', 'inspect', '--format', '{{.Id}}', tag]).trim();
  const steps = docker(['history', '-q', '--no-trunc', tag]).split('\n').filter((h) => h.startsWith('sha256:') && h !== id && !preexisting!.has(h));
  intermediates.set(tag, [...(intermediates.get(tag) ?? []), ...steps]);
  return id;
}

/** Remove the containers and image tags this test created (never anything unlabelled), and their builds' untagged
 * intermediate images. */
export function cleanup(tags: string[], containers: string[] = []): void {
  for (const c of containers) spawnSync('docker', ['rm', '-f', c], { stdio: 'ignore' });
  const steps: string[] = [];
  for (const t of tags) {
    const label = spawnSync('docker', ['image', 'inspect', '--format', '{{index .Config.Labels "hullcheck.test"}}', t], { encoding: 'utf8' }).stdout.trim();
    if (label === '1') spawnSync('docker', ['rmi', '-f', t], { stdio: 'ignore' });
    steps.push(...intermediates.get(t) ?? []);
    intermediates.delete(t);
  }
  removeUntagged(steps);
}

/** Remove the intermediate images of every build of this process that are still there and untagged. */
export function removeIntermediates(): void {
  removeUntagged([...intermediates.values()].flat());
  intermediates.clear();
}

/** Only the images still there and untagged: an intermediate image can be another test image's final one. */
function removeUntagged(ids: string[]): void {
  if (!ids.length) return;
  const left = spawnSync('docker', ['image', 'inspect', '--format', '{{.Id}} {{len .RepoTags}}', ...new Set(ids)], { encoding: 'utf8' }).stdout
    .split('\n').map((l) => l.split(' ')).filter(([id, n]) => id && n === '0').map(([id]) => id);
  if (left.length) spawnSync('docker', ['rmi', ...left], { stdio: 'ignore' });
}

/** Wait for a condition driven by events (never by sleeping a fixed time); rejects after `ms`. */
export function waitFor<T>(subscribe: (done: (v: T) => void) => () => void, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    let off: () => void = () => undefined;
    const timer = setTimeout(() => { off(); reject(new Error(`timed out after ${ms} ms waiting for ${what}`)); }, ms);
    off = subscribe((v) => { clearTimeout(timer); off(); resolve(v); });
  });
}

export const SCRATCH_HEADER = 'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\n';

/** Run the CLI in a folder, capturing its output (the engine tests' commands read the workspace of the cwd). */
export function runCli(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const prev = process.cwd();
  process.chdir(cwd);
  let stdout = '', stderr = '';
  return main(argv, { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; } }, async () => '')
    .then((code) => ({ code, stdout, stderr }))
    .finally(() => process.chdir(prev));
}
