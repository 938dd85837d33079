// Shared setup of the real-engine tests: start dockerd through test/docker/dockerd.sh when none answers, build
// labelled test images with the classic builder, and remove exactly what a test created (label hullcheck.test=1).

import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../server/src/cli';

export const TEST_LABEL = 'hullcheck.test=1';
export const BASE_IMAGE = 'local/debian:bookworm-minbase';
const SCRIPT = path.join(__dirname, 'dockerd.sh');

export function docker(args: string[], opts: { input?: string | Buffer; env?: NodeJS.ProcessEnv } = {}): string {
  return execFileSync('docker', args, { encoding: 'utf8', input: opts.input, env: { ...process.env, DOCKER_BUILDKIT: '0', ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
}

/** Start the engine (and build the Debian base) once per machine; later calls return at once. */
export function ensureEngine(): void {
  if (spawnSync('docker', ['info'], { stdio: 'ignore' }).status === 0 && spawnSync('docker', ['image', 'inspect', BASE_IMAGE], { stdio: 'ignore' }).status === 0) return;
  execFileSync('bash', [SCRIPT], { stdio: ['ignore', 'ignore', 'inherit'] });
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

/** Build with the classic builder, labelled for cleanup; returns the image id. */
export function build(dir: string, tag: string, extra: string[] = []): string {
  docker(['build', '-q', '--label', TEST_LABEL, '-t', tag, ...extra, dir]);
  return docker(['image', 'inspect', '--format', '{{.Id}}', tag]).trim();
}

/** Remove the containers and image tags this test created (never anything unlabelled). */
export function cleanup(tags: string[], containers: string[] = []): void {
  for (const c of containers) spawnSync('docker', ['rm', '-f', c], { stdio: 'ignore' });
  for (const t of tags) {
    const label = spawnSync('docker', ['image', 'inspect', '--format', '{{index .Config.Labels "hullcheck.test"}}', t], { encoding: 'utf8' }).stdout.trim();
    if (label === '1') spawnSync('docker', ['rmi', '-f', t], { stdio: 'ignore' });
  }
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
