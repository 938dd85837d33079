// Builds an image through the Engine API with the classic builder: a tar of the build context honouring
// .dockerignore (or <Dockerfile>.dockerignore), streamed to POST /build, with progress lines and cancellation.

import { createReadStream } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import * as path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { IgnoreMatcher } from '../parse/ignoreMatch';
import { ignoreFileFor } from '../facts/buildContext';
import { nodeHost } from '../core/fileHost';
import type { DockerEngine } from './connection';
import { LABEL_DOCKERFILE, LABEL_TARGET } from './workspace';
import { LineSplitter } from './jsonLines';
import { trimTrailing } from '../core/strings';

export interface BuildRequest {
  dockerfile: string;
  context: string;
  tag: string;
  target?: string;
  buildArgs?: Record<string, string>;
  labels?: Record<string, string>;
  /** Folder the Dockerfile label is written relative to (the workspace folder). */
  labelBase?: string;
  signal?: AbortSignal;
  onProgress?: (line: string) => void;
}

export interface BuildOutcome { ok: boolean; imageId?: string; error?: string; cancelled?: boolean }

/** The ignore file the builder reads for this context (the one the lint rules judge). */
async function ignoreFor(dockerfile: string, context: string): Promise<IgnoreMatcher> {
  const ignore = await ignoreFileFor(nodeHost, dockerfile, context);
  return IgnoreMatcher.fromText(ignore ? ignore.text : '');
}

function header(name: string, size: number, mode: number, type: '0' | '2' | '5' | 'x', linkname = ''): Buffer {
  const h = Buffer.alloc(512);
  let n = name;
  let prefix = '';
  if (Buffer.byteLength(n) > 100) {
    // split at a slash into the ustar prefix; longer names get a pax header
    const cut = n.lastIndexOf('/', 154);
    if (cut > 0 && Buffer.byteLength(n.slice(cut + 1)) <= 100) { prefix = n.slice(0, cut); n = n.slice(cut + 1); }
  }
  h.write(n, 0, 100);
  h.write((mode & 0o7777).toString(8).padStart(7, '0'), 100);
  h.write('0000000', 108); h.write('0000000', 116);
  h.write(size.toString(8).padStart(11, '0'), 124);
  h.write(Math.floor(Date.now() / 1000).toString(8).padStart(11, '0'), 136);
  h.write('        ', 148);
  h.write(type, 156);
  h.write(linkname, 157, 100);
  h.write('ustar\u000000', 257);
  h.write(prefix, 345, 155);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += h[i];
  h.write(sum.toString(8).padStart(6, '0') + '\u0000 ', 148);
  return h;
}

function paxHeader(name: string): Buffer {
  // a pax record is `<len> path=<name>\n`, where <len> counts its own digits too
  const body = Buffer.byteLength(` path=${name}\n`);
  let len = body + String(body).length;
  if (String(len).length !== String(body).length) len = body + String(len).length;
  const data = Buffer.from(`${len} path=${name}\n`);
  return Buffer.concat([header('PaxHeader', data.length, 0o644, 'x'), data, Buffer.alloc((512 - (data.length % 512)) % 512)]);
}

/** Write the context as a tar into `out`, skipping ignored paths; the Dockerfile is always sent. */
export async function writeContextTar(context: string, dockerfile: string, out: PassThrough, signal?: AbortSignal): Promise<void> {
  const ignore = await ignoreFor(dockerfile, context);
  const dfRel = path.relative(context, dockerfile).split(path.sep).join('/');
  const write = (b: Buffer) => (out.write(b) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  const add = async (rel: string): Promise<void> => {
    if (signal?.aborted) throw new Error('cancelled');
    const full = path.join(context, rel);
    const st = await lstat(full);
    const name = rel.split(path.sep).join('/');
    const excluded = name !== '' && name !== dfRel && ignore.excludes(name);
    if (st.isDirectory()) {
      if (excluded && !ignore.mayReincludeBelow(name)) return;
      if (name && !excluded) await write(withLongName(`${name}/`, 0, st.mode, '5'));
      for (const e of (await readdir(full)).sort()) await add(path.join(rel, e));
      return;
    }
    if (excluded) return;
    if (st.isSymbolicLink()) { await write(withLongName(name, 0, st.mode, '2', await readlink(full))); return; }
    if (!st.isFile()) return;
    await write(withLongName(name, st.size, st.mode, '0'));
    let sent = 0;
    // the one read outside the file host: a build context is streamed to the engine as it is, in chunks; the lstat above
    // admitted regular files only, and a file that changes size meanwhile fails the build
    for await (const chunk of createReadStream(full)) { sent += (chunk as Buffer).length; await write(chunk as Buffer); }
    if (sent !== st.size) throw new Error(`${name} changed while it was being sent`);
    await write(Buffer.alloc((512 - (st.size % 512)) % 512));
  };
  await add('');
  await write(Buffer.alloc(1024));
  out.end();
}

function withLongName(name: string, size: number, mode: number, type: '0' | '2' | '5', link = ''): Buffer {
  const h = header(name, size, mode, type, link);
  const fits = Buffer.byteLength(name) <= 100 || trimTrailing(h.toString('utf8', 345, 500), '\0') !== '';
  return fits ? h : Buffer.concat([paxHeader(name), h]);
}

/** Build with the classic builder; resolves when the engine finishes, fails or the signal aborts. */
export async function buildImage(engine: DockerEngine, req: BuildRequest): Promise<BuildOutcome> {
  const tar = new PassThrough();
  const dfRel = path.relative(req.context, req.dockerfile).split(path.sep).join('/');
  if (dfRel.startsWith('..')) return { ok: false, error: 'The Dockerfile must be inside the build context.' };
  const labels: Record<string, string> = { ...req.labels, [LABEL_DOCKERFILE]: path.relative(req.labelBase ?? req.context, req.dockerfile).split(path.sep).join('/') };
  if (req.target) labels[LABEL_TARGET] = req.target;
  const producing = writeContextTar(req.context, req.dockerfile, tar, req.signal).catch((e) => tar.destroy(e as Error));
  let stream: Readable;
  try {
    stream = await engine.use((d) => d.buildImage(tar as unknown as NodeJS.ReadableStream, {
      t: req.tag, dockerfile: dfRel, target: req.target, buildargs: req.buildArgs, labels, rm: true, forcerm: true, version: '1',
    } as Record<string, unknown>)) as unknown as Readable;
  } catch (e) {
    tar.destroy();
    return { ok: false, error: (e as Error).message };
  }
  const onAbort = () => { stream.destroy(); tar.destroy(); };
  req.signal?.addEventListener('abort', onAbort, { once: true });
  let imageId: string | undefined;
  let error: string | undefined;
  const lines = new LineSplitter();
  try {
    for await (const chunk of stream) {
      for (const line of lines.push(chunk as Buffer)) {
        let msg: { stream?: string; error?: string; aux?: { ID?: string }; status?: string };
        try { msg = JSON.parse(line); } catch { continue; }
        if (msg.error) error = msg.error;
        if (msg.aux?.ID) imageId = msg.aux.ID;
        const text = (msg.stream ?? msg.status ?? '').trim();
        if (text) req.onProgress?.(text);
      }
    }
  } catch (e) {
    if (req.signal?.aborted) return { ok: false, cancelled: true };
    return { ok: false, error: (e as Error).message };
  } finally {
    req.signal?.removeEventListener('abort', onAbort);
    await producing;
  }
  if (req.signal?.aborted) return { ok: false, cancelled: true };
  if (error) return { ok: false, error };
  return { ok: true, imageId };
}
