// Compressed layer blobs in a `docker save` stream. The containerd image store saves an OCI layout whose layers are
// stored as the registry would carry them (gzip, sometimes zstd); the classic store saves plain tars. A layer's
// first bytes tell which: the decompressed bytes are fed to the same tar sink, through Node's zlib, which inflates
// off the main thread. Memory stays bounded: the caller pauses the source while an inflater has a backlog.

import * as zlib from 'node:zlib';
import type { Transform } from 'node:stream';
import type { TarSink } from './tar';

export type LayerCodec = 'tar' | 'gzip' | 'zstd' | 'unsupported';

/** Bytes needed to tell the codecs apart. */
export const MAGIC_BYTES = 4;

/** The codec of a layer from its first bytes (at least MAGIC_BYTES of them, or the whole layer when shorter). */
export function codecOf(head: Buffer): LayerCodec {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.readUInt32LE(0) === 0xfd2fb528) return zstdInflater() ? 'zstd' : 'unsupported';
  return 'tar';
}

/**
 * Inflater buffers: output in 256 KB pieces (zlib's default 16 KB costs a thread-pool round trip per 16 KB), and up
 * to 2 MB of input queued before the source is paused (pausing the engine's stream on every chunk stalls its writer).
 */
const INFLATE_OPTIONS = { chunkSize: 256 << 10, writableHighWaterMark: 2 << 20 };

function zstdInflater(): (() => Transform) | undefined {
  // Node 22.15 and later; on older runtimes a zstd layer is reported as not read
  const make = (zlib as unknown as { createZstdDecompress?: (o: object) => Transform }).createZstdDecompress;
  return typeof make === 'function' ? () => make(INFLATE_OPTIONS) : undefined;
}

/** Waits the reader owes before it may feed more input (an inflater's backlog), and the inflaters still running. */
export interface Inflation {
  /** Resolves when every inflater has drained its input; the source stays paused until then. */
  backlog(): Promise<void> | undefined;
  /** Resolves when every inflater has finished (its tar sink ended or failed). */
  settled(): Promise<void>;
  /** A sink that inflates its input and feeds `inner`; `failed` runs instead of `inner.end` on corrupt input. */
  sink(codec: 'gzip' | 'zstd', inner: TarSink, failed: () => void): TarSink;
}

export function inflation(): Inflation {
  const running = new Set<Promise<void>>();
  const busy = new Set<Transform>();
  let pending: Promise<void> | undefined;
  return {
    backlog() {
      if (!busy.size) return undefined;
      // one wait per backlog, shared by every caller until it clears (no listener per call)
      pending ??= Promise.all([...busy].map((s) => new Promise<void>((resolve) => {
        const done = () => { s.off('drain', done); s.off('close', done); resolve(); };
        s.on('drain', done); s.on('close', done);
      }))).then(() => { pending = undefined; });
      return pending;
    },
    settled: () => Promise.all([...running]).then(() => undefined),
    sink(codec, inner, failed) {
      const stream = codec === 'gzip' ? zlib.createGunzip(INFLATE_OPTIONS) : zstdInflater()!();
      let broken = false;
      const done = new Promise<void>((resolve) => {
        stream.on('data', (chunk: Buffer) => {
          if (broken) return;
          try { inner.data(chunk); } catch { broken = true; stream.destroy(); }
        });
        stream.on('end', () => { if (!broken) inner.end(); resolve(); });
        stream.on('close', () => { busy.delete(stream); if (broken || !stream.readableEnded) { broken = true; failed(); } resolve(); });
        stream.on('error', () => { broken = true; });
      });
      running.add(done);
      void done.then(() => running.delete(done));
      return {
        data(chunk) {
          if (broken) return;
          // copied: the chunk may be a view of a read buffer that is reused once this call returns
          // one drain listener per backlog, however many writes it takes to clear
          if (!stream.write(Buffer.from(chunk)) && !busy.has(stream)) {
            busy.add(stream);
            stream.once('drain', () => busy.delete(stream));
          }
        },
        end() { if (!broken) stream.end(); },
      };
    },
  };
}
