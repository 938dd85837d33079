// Streams a `docker save` tarball (a tar of layer tars plus config and manifest) and computes what the final
// filesystem hides: bytes of files overwritten or deleted (whiteouts, opaque directories) by later layers, and
// secret-looking files anywhere in any layer. Memory grows with the number of paths, never with layer bytes.

import { posix } from 'node:path';
import { finished } from 'node:stream';
import { secretFileReason } from '../rules/secrets';
import { TarFormatError, TarParser, type TarSink } from './tar';
import { codecOf, inflation, MAGIC_BYTES, type Inflation } from './layerCodec';
import { trimTrailing } from '../core/strings';

/** One layer's files: regular file sizes by path, plus what it deletes from the layers below. */
interface LayerIndex {
  files: Map<string, number>;
  /** Paths removed by `.wh.<name>` entries (the path and everything below it). */
  deleted: Set<string>;
  /** Directories whose lower contents are hidden by `.wh..wh..opq`. */
  opaque: Set<string>;
  bytes: number;
}

export interface SecretFile {
  path: string;
  reason: string;
  /** Index of the layer (0 = oldest) that stores the file. */
  layer: number;
  /** True when a later layer deletes or replaces it: it is still extractable from the image. */
  hidden: boolean;
}

export interface LayerWaste {
  /** Layer index (0 = oldest), in the order of the image's rootfs. */
  layer: number;
  /** Bytes of the layer's regular files. */
  bytes: number;
  files: number;
  /** Bytes of lower layers this layer overwrites or deletes. */
  wastedBelow: number;
  /** Index of this layer's entry in the image config history (the instruction that made it), when known. */
  history?: number;
}

export interface SaveAnalysis {
  layers: LayerWaste[];
  /** Bytes stored in layers but invisible in the final filesystem; each hidden copy of a path counted once. */
  wastedBytes: number;
  /** The paths that waste the most, largest first. */
  topWasted: { path: string; bytes: number; layer: number }[];
  secretFiles: SecretFile[];
  /** The image config (Env, User, Labels, history with empty_layer), when the tarball had it. */
  config?: ImageConfigJson;
  /**
   * Layers of the manifest that could not be read (missing from the tarball, corrupt, or compressed in a way this
   * runtime cannot inflate). When any is, wasted bytes and secret files cover the other layers only.
   */
  unreadLayers: number;
}

export interface ImageConfigJson {
  config?: { Env?: string[]; User?: string; Labels?: Record<string, string> | null; Healthcheck?: { Test?: string[] } };
  history?: { created_by?: string; empty_layer?: boolean }[];
}

const emptyLayer = (): LayerIndex => ({ files: new Map(), deleted: new Set(), opaque: new Set(), bytes: 0 });

/** Small JSON members of the tarball are kept; anything bigger than this is a layer or ignored. */
const MAX_JSON = 4 << 20;

function cleanPath(name: string): string {
  return trimTrailing(name.replace(/^\.?\/+/, ''), '/');
}

type SecretHit = { path: string; reason: string; name?: string };

/**
 * Index one layer as it streams by: a plain tar, or a gzip/zstd blob inflated on the way. A layer that cannot be read
 * (an unsupported codec, corrupt) calls `unread` instead of `done`.
 */
function layerSink(name: string, secrets: SecretHit[], inflate: Inflation, done: (idx: LayerIndex) => void, unread: () => void): TarSink {
  const idx = emptyLayer();
  let failed = false;
  const inner = new TarParser((e) => {
    const p = cleanPath(e.name);
    if (!p) return undefined;
    const slash = p.lastIndexOf('/');
    const dir = slash < 0 ? '' : p.slice(0, slash);
    const base = p.slice(slash + 1);
    if (base === '.wh..wh..opq') { idx.opaque.add(dir); return undefined; }
    if (base.startsWith('.wh.')) { idx.deleted.add(dir ? `${dir}/${base.slice(4)}` : base.slice(4)); return undefined; }
    if (e.type !== '0' && e.type !== '7' && e.type !== '\0') {
      // links and directories: no bytes, but a symlink or dir can still replace a lower file
      idx.files.set(p, 0);
      return undefined;
    }
    idx.files.set(p, e.size);
    idx.bytes += e.size;
    const reason = secretFileReason(p);
    if (reason) secrets.push({ path: `/${p}`, reason, name });
    return undefined;
  });
  const tar: TarSink = {
    data(chunk) {
      if (failed) return;
      try { inner.data(chunk); } catch (e) { if (e instanceof TarFormatError) failed = true; else throw e; }
    },
    end() {
      if (!failed) { try { inner.end(); } catch { failed = true; } }
      if (failed) unread(); else done(idx);
    },
  };
  // the first bytes say whether the layer is compressed; they may arrive split over chunks
  let head: Buffer | undefined = Buffer.alloc(0);
  let target: TarSink | undefined;
  const choose = () => {
    const codec = head!.length >= MAGIC_BYTES ? codecOf(head!) : 'tar';
    head = undefined;
    if (codec === 'unsupported') { failed = true; return; }
    target = codec === 'tar' ? tar : inflate.sink(codec, tar, () => { failed = true; unread(); });
  };
  return {
    data(chunk) {
      if (head) {
        head = Buffer.concat([head, chunk]);
        if (head.length < MAGIC_BYTES) return;
        chunk = head;
        choose();
      }
      if (!failed) target?.data(chunk);
    },
    end() {
      if (head) { const rest = head; choose(); if (!failed) target?.data(rest); }
      if (failed && !target) { unread(); return; }
      target?.end();
    },
  };
}

/** Collect a small member (config JSON, manifest, or a tiny blob that may be a layer). */
function bufferSink(done: (b: Buffer) => void): TarSink {
  const parts: Buffer[] = [];
  return { data: (c) => parts.push(Buffer.from(c)), end: () => done(Buffer.concat(parts)) };
}

type ByteSource = AsyncIterable<Buffer> | NodeJS.ReadableStream;

function isReadable(s: ByteSource): s is NodeJS.ReadableStream {
  return typeof (s as NodeJS.ReadableStream).on === 'function' && typeof (s as NodeJS.ReadableStream).pipe === 'function';
}

/**
 * Feed every chunk of a source to a synchronous consumer. A Node stream is read in flowing mode: pulling chunk by
 * chunk through its async iterator pauses the socket after each 64 KB read (the stream's high-water mark is 16 KB),
 * which stalls the engine's writer and made the analysis markedly slower than `docker save > /dev/null`. When the
 * consumer returns a promise (a layer inflater has a backlog), the source is paused until it resolves.
 */
function pump(source: ByteSource, onChunk: (chunk: Buffer) => Promise<void> | undefined): Promise<void> {
  if (!isReadable(source)) return (async () => { for await (const chunk of source) await onChunk(chunk); })();
  return new Promise((resolve, reject) => {
    let failed = false;
    const fail = (e: unknown) => {
      if (failed) return;
      failed = true;
      reject(e);
      (source as unknown as { destroy?: (e?: Error) => void }).destroy?.();
    };
    source.on('data', (chunk: Buffer) => {
      if (failed) return;
      let wait: Promise<void> | undefined;
      try { wait = onChunk(chunk); } catch (e) { fail(e); return; }
      if (wait) { source.pause(); wait.then(() => { if (!failed) source.resume(); }, fail); }
    });
    // resolves on 'end'; an error or a close before the end (connection lost) rejects
    finished(source, (err) => { if (!failed) { if (err) reject(err); else resolve(); } });
  });
}

/** Read a `docker save` stream and compute wasted bytes and secret files. */
export async function analyzeSave(stream: ByteSource, signal?: AbortSignal): Promise<SaveAnalysis> {
  const reader = saveReader(signal);
  await pump(stream, (chunk) => reader.data(chunk));
  return reader.finish();
}

/**
 * The same analysis fed chunk by chunk (socketGet hands it views of one reused buffer: nothing here keeps a chunk
 * past the call, see layerCodec). `data` returns a promise when the reader must wait before more input.
 */
export function saveReader(signal?: AbortSignal): { data(chunk: Buffer): Promise<void> | undefined; finish(): Promise<SaveAnalysis> } {
  const layers = new Map<string, LayerIndex>();
  const unread = new Set<string>();
  const json = new Map<string, unknown>();
  const secrets: SecretHit[] = [];
  const inflate = inflation();
  const sinkFor = (name: string) => layerSink(name, secrets, inflate, (idx) => layers.set(name, idx), () => unread.add(name));
  /** Layers stored once and linked from their other names (older engines save repeated layers as symlinks). */
  const links = new Map<string, string>();
  const outer = new TarParser((e) => {
    const name = cleanPath(e.name);
    if (e.type === '1' || e.type === '2') {
      links.set(name, cleanPath(e.type === '1' || e.linkname.startsWith('/') ? e.linkname : posix.join(posix.dirname(name), e.linkname)));
      return undefined;
    }
    if (e.type === '5' || e.size === 0) return undefined;
    if (e.size <= MAX_JSON && (name.endsWith('.json') || (name.startsWith('blobs/') && !name.endsWith('layer.tar')))) {
      return bufferSink((buf) => {
        try { json.set(name, JSON.parse(buf.toString('utf8'))); return; } catch { /* not JSON: maybe a small layer blob */ }
        if (!name.startsWith('blobs/')) return;
        const sink = sinkFor(name);
        sink.data(buf);
        sink.end();
      });
    }
    if (!name.endsWith('layer.tar') && !name.startsWith('blobs/')) return undefined;
    return sinkFor(name);
  });
  const data = (chunk: Buffer) => {
    if (signal?.aborted) throw signal.reason ?? new Error('cancelled');
    outer.data(chunk);
    return inflate.backlog();
  };
  const finish = async (): Promise<SaveAnalysis> => {
    outer.end();
    await inflate.settled();
    const manifest = json.get('manifest.json') as { Config?: string; Layers?: string[] }[] | undefined;
    const entry = manifest?.[0];
    if (!entry?.Layers) throw new Error('the image tarball has no manifest.json');
    const config = entry.Config ? json.get(cleanPath(entry.Config)) as ImageConfigJson | undefined : undefined;
    const stored = (n: string) => { for (let i = 0; i < 8 && !layers.has(n) && !unread.has(n) && links.has(n); i++) n = links.get(n)!; return n; };
    const names = entry.Layers.map((l) => stored(cleanPath(l)));
    const order = names.map((l) => layers.get(l) ?? emptyLayer());
    return { ...summarize(order, names, secrets, config), unreadLayers: names.filter((n) => unread.has(n) || !layers.has(n)).length };
  };
  return { data, finish };
}

/** Replay the layers oldest first over a map of visible paths, charging every hidden copy to the hiding layer. */
function summarize(order: LayerIndex[], names: string[], secrets: SecretHit[], config?: ImageConfigJson): Omit<SaveAnalysis, 'unreadLayers'> {
  const visible = new Map<string, { size: number; layer: number }>();
  const wastedByPath = new Map<string, { bytes: number; layer: number }>();
  const hiddenSecret = new Set<string>();
  const out: LayerWaste[] = [];
  let wastedBytes = 0;
  const hide = (path: string, v: { size: number; layer: number }, by: number) => {
    visible.delete(path);
    hiddenSecret.add(`${v.layer}\0/${path}`);
    if (v.size === 0) return 0;
    const w = wastedByPath.get(path);
    wastedByPath.set(path, { bytes: (w?.bytes ?? 0) + v.size, layer: by });
    return v.size;
  };
  order.forEach((layer, li) => {
    let wastedBelow = 0;
    if (layer.deleted.size || layer.opaque.size) {
      for (const [path, v] of visible) {
        if (underAny(path, layer.deleted, true) || underAny(path, layer.opaque, false)) wastedBelow += hide(path, v, li);
      }
    }
    for (const [path, size] of layer.files) {
      const prev = visible.get(path);
      if (prev) wastedBelow += hide(path, prev, li);
      visible.set(path, { size, layer: li });
    }
    wastedBytes += wastedBelow;
    out.push({ layer: li, bytes: layer.bytes, files: layer.files.size, wastedBelow });
  });
  // layer k is the k-th history entry that is not an empty layer
  if (config?.history) {
    let k = 0;
    config.history.forEach((h, hi) => { if (!h.empty_layer && k < out.length) out[k++].history = hi; });
  }
  const layerOf = new Map(names.map((n, i) => [n, i]));
  const secretFiles = secrets.map((s) => {
    const layer = layerOf.get(s.name ?? '') ?? -1;
    return { path: s.path, reason: s.reason, layer, hidden: hiddenSecret.has(`${layer}\0${s.path}`) };
  }).filter((s) => s.layer >= 0);
  const topWasted = [...wastedByPath].map(([path, w]) => ({ path: `/${path}`, bytes: w.bytes, layer: w.layer }))
    .sort((a, b) => b.bytes - a.bytes).slice(0, 20);
  return { layers: out, wastedBytes, topWasted, secretFiles, config };
}

/** Whether `path` is in `set` (when `self`) or below one of its members. */
function underAny(path: string, set: Set<string>, self: boolean): boolean {
  if (self && set.has(path)) return true;
  if (set.has('')) return true;
  let i = path.indexOf('/');
  while (i >= 0) {
    if (set.has(path.slice(0, i))) return true;
    i = path.indexOf('/', i + 1);
  }
  return false;
}
