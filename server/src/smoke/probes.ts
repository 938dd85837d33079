// The probes of a smoke run: HTTP GET from the host (loopback only, with a timeout), HTTP GET inside the
// container, and ready-marker files, both through the Engine API's exec (argument lists, never a shell string).

import * as http from 'node:http';
import * as https from 'node:https';
import type { DockerEngine } from '../docker/connection';
import { demux } from '../docker/health';
import type { SmokeEndpoint, SmokeProbeResult } from '../protocol/smokeTypes';

/** GET `url` from this machine; 2xx and 3xx pass. */
export function httpProbe(url: string, timeoutMs: number, signal?: AbortSignal): Promise<SmokeProbeResult> {
  const t0 = Date.now();
  const done = (ok: boolean, detail: string): SmokeProbeResult => ({ kind: 'http', target: url, from: 'host', ok, detail, ms: Date.now() - t0 });
  return new Promise((resolve) => {
    const lib = url.startsWith('https:') ? https : http;
    const req = lib.get(url, { timeout: timeoutMs, signal }, (res) => {
      res.resume();
      const code = res.statusCode ?? 0;
      resolve(done(code >= 200 && code < 400, `HTTP ${code}`));
    });
    req.on('timeout', () => { req.destroy(); resolve(done(false, `no answer within ${Math.round(timeoutMs / 1000)}s`)); });
    req.on('error', (e) => resolve(done(false, signal?.aborted ? 'cancelled' : ((e as NodeJS.ErrnoException).code ?? e.message))));
  });
}

/** Run a command in the container and return its exit code and output. */
export async function execIn(engine: DockerEngine, containerId: string, cmd: string[], timeoutMs: number): Promise<{ code: number | null; output: string }> {
  const exec = await engine.use((d) => d.getContainer(containerId).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true, Tty: false }));
  const stream = await exec.start({ hijack: true, stdin: false }) as NodeJS.ReadableStream & { destroy?: () => void };
  const chunks: Buffer[] = [];
  const finished = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => { stream.destroy?.(); resolve(false); }, timeoutMs);
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => { clearTimeout(timer); resolve(true); });
    stream.on('close', () => { clearTimeout(timer); resolve(true); });
    stream.on('error', () => { clearTimeout(timer); resolve(true); });
  });
  const output = demux(Buffer.concat(chunks)).trim();
  if (!finished) return { code: null, output };
  const info = await engine.use(() => exec.inspect());
  return { code: info.ExitCode ?? null, output };
}

/** A ready marker: `test -f PATH` inside the container. */
export async function markerProbe(engine: DockerEngine, containerId: string, file: string, timeoutMs: number): Promise<SmokeProbeResult> {
  const t0 = Date.now();
  const r = await execIn(engine, containerId, ['test', '-f', file], timeoutMs).catch((e: Error) => ({ code: null, output: e.message }));
  const detail = r.code === 0 ? 'present' : r.code === 1 ? 'missing' : r.code === null ? `not checked: ${r.output || 'no answer'}` : `test exited ${r.code}${r.output ? `: ${r.output}` : ''}`;
  return { kind: 'marker', target: file, from: 'container', ok: r.code === 0, detail, ms: Date.now() - t0 };
}

/** HTTP GET inside the container with the client the image has: wget first (busybox, Alpine), then curl. */
export async function containerHttpProbe(engine: DockerEngine, containerId: string, url: string, timeoutMs: number): Promise<SmokeProbeResult> {
  const t0 = Date.now();
  const secs = String(Math.max(1, Math.round(timeoutMs / 1000)));
  // no -T for wget: some static busybox builds crash on it; the exec itself is bounded by timeoutMs
  const attempts = [['wget', '-q', '-O', '/dev/null', url], ['curl', '-fsS', '-o', '/dev/null', '-m', secs, url]];
  let last = { code: null as number | null, output: '' };
  for (const cmd of attempts) {
    last = await execIn(engine, containerId, cmd, timeoutMs + 2000).catch((e: Error) => ({ code: null, output: e.message }));
    // 126/127 or an exec error: this client is not in the image, try the next one
    if (last.code === 0) return { kind: 'http', target: url, from: 'container', ok: true, detail: `${cmd[0]} ok`, ms: Date.now() - t0 };
    if (last.code !== 126 && last.code !== 127 && !/executable file not found|no such file/i.test(last.output)) {
      return { kind: 'http', target: url, from: 'container', ok: false, detail: `${cmd[0]} exited ${last.code ?? '(timeout)'}${last.output ? `: ${last.output.split('\n')[0]}` : ''}`, ms: Date.now() - t0 };
    }
  }
  return { kind: 'http', target: url, from: 'container', ok: false, detail: 'neither wget nor curl is in the image', ms: Date.now() - t0 };
}

export function probeEndpoint(engine: DockerEngine, containerId: string | undefined, ep: SmokeEndpoint, timeoutMs: number, signal?: AbortSignal): Promise<SmokeProbeResult> {
  if (ep.from === 'host') return httpProbe(ep.url, timeoutMs, signal);
  if (!containerId) return Promise.resolve({ kind: 'http', target: ep.url, from: 'container', ok: false, detail: 'no container', ms: 0 });
  return containerHttpProbe(engine, containerId, ep.url, timeoutMs);
}
