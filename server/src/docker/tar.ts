// A small streaming tar reader (ustar, pax and GNU long names) over any async iterable of Buffers. Entries come
// one at a time with their body as a stream, so a `docker save` tarball of tarballs is read with bounded memory.

export interface TarEntry {
  /** Path inside the archive, without a leading `./`. */
  name: string;
  /** '0' file, '1' hard link, '2' symlink, '5' directory, ... (ustar type flags). */
  type: string;
  size: number;
  linkname: string;
  mode: number;
  /** The entry's data. Read it (or not) before asking for the next entry; unread data is skipped. */
  body(): AsyncIterable<Buffer>;
  /** The whole body as one Buffer; only for small entries (config JSON). */
  read(): Promise<Buffer>;
}

export class TarFormatError extends Error {}

/** Pulls exact byte counts out of a chunked stream without copying more than it must. */
class ByteSource {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  private done = false;
  private readonly it: AsyncIterator<Buffer>;

  constructor(source: AsyncIterable<Buffer | string>) {
    this.it = (source as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  }

  private async fill(): Promise<boolean> {
    while (this.pos >= this.buf.length) {
      if (this.done) return false;
      const r = await this.it.next();
      if (r.done) { this.done = true; return false; }
      this.buf = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
      this.pos = 0;
    }
    return true;
  }

  /** Exactly n bytes; fewer only at the end of the stream. */
  async read(n: number): Promise<Buffer> {
    if (!(await this.fill())) return Buffer.alloc(0);
    if (this.buf.length - this.pos >= n) {
      const out = this.buf.subarray(this.pos, this.pos + n);
      this.pos += n;
      return out;
    }
    const parts: Buffer[] = [];
    let got = 0;
    while (got < n && (await this.fill())) {
      const take = Math.min(n - got, this.buf.length - this.pos);
      parts.push(this.buf.subarray(this.pos, this.pos + take));
      this.pos += take;
      got += take;
    }
    return Buffer.concat(parts, got);
  }

  /** Up to n bytes as they arrive, chunk by chunk. */
  async *take(n: number): AsyncGenerator<Buffer> {
    let left = n;
    while (left > 0 && (await this.fill())) {
      const take = Math.min(left, this.buf.length - this.pos);
      const out = this.buf.subarray(this.pos, this.pos + take);
      this.pos += take;
      left -= take;
      yield out;
    }
    if (left > 0) throw new TarFormatError('the archive ends inside an entry');
  }

  async skip(n: number): Promise<void> {
    for await (const _ of this.take(n)) { /* discard */ }
  }

  /** Release the underlying stream (stop reading it). */
  async close(): Promise<void> {
    if (!this.done) { this.done = true; await this.it.return?.(); }
  }
}

function cstring(b: Buffer, start: number, len: number): string {
  const slice = b.subarray(start, start + len);
  const nul = slice.indexOf(0);
  return slice.subarray(0, nul < 0 ? slice.length : nul).toString('utf8');
}

/** Octal numeric field, or GNU base-256 when the high bit of the first byte is set (sizes over 8 GB). */
function numeric(b: Buffer, start: number, len: number): number {
  if (b[start] & 0x80) {
    let v = b[start] & 0x7f;
    for (let i = start + 1; i < start + len; i++) v = v * 256 + b[i];
    return v;
  }
  const s = cstring(b, start, len).trim();
  return s ? parseInt(s, 8) : 0;
}

function checksumOk(h: Buffer): boolean {
  const stored = numeric(h, 148, 8);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : h[i];
  return sum === stored;
}

/** pax records: `<len> key=value\n` repeated. */
function parsePax(b: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let pos = 0;
  while (pos < b.length) {
    const space = b.indexOf(0x20, pos);
    if (space < 0) break;
    const len = parseInt(b.subarray(pos, space).toString('ascii'), 10);
    if (!(len > 0)) break;
    const record = b.subarray(space + 1, pos + len - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    pos += len;
  }
  return out;
}

const pad = (n: number) => (512 - (n % 512)) % 512;
/** Metadata entries (pax, GNU long names) are read into memory; a sane archive keeps them small. */
const MAX_META = 1 << 20;

/** The entries of a tar stream, in order. Stops at the end-of-archive block or the end of the stream. */
export async function* readTar(source: AsyncIterable<Buffer | string>): AsyncGenerator<TarEntry> {
  const src = new ByteSource(source);
  let longName: string | undefined;
  let longLink: string | undefined;
  let pax: Record<string, string> = {};
  let global: Record<string, string> = {};
  try {
    for (;;) {
      const h = await src.read(512);
      if (h.length === 0) return;
      if (h.length < 512) throw new TarFormatError('the archive ends inside a header');
      if (h.every((x) => x === 0)) return;
      if (!checksumOk(h)) throw new TarFormatError('not a tar archive (bad header checksum)');
      const type = String.fromCharCode(h[156] || 0x30);
      const size = numeric(h, 124, 12);
      if (type === 'x' || type === 'g' || type === 'L' || type === 'K') {
        if (size > MAX_META) throw new TarFormatError('oversized tar metadata entry');
        const data = await src.read(size);
        await src.skip(pad(size));
        if (type === 'x') pax = parsePax(data);
        else if (type === 'g') global = { ...global, ...parsePax(data) };
        else if (type === 'L') longName = cstring(data, 0, data.length);
        else longLink = cstring(data, 0, data.length);
        continue;
      }
      const meta = { ...global, ...pax };
      let name = cstring(h, 0, 100);
      if (cstring(h, 257, 5) === 'ustar') {
        const prefix = cstring(h, 345, 155);
        if (prefix) name = `${prefix}/${name}`;
      }
      name = meta.path ?? longName ?? name;
      const linkname = meta.linkpath ?? longLink ?? cstring(h, 157, 100);
      const realSize = meta.size !== undefined ? Number(meta.size) : size;
      longName = longLink = undefined;
      pax = {};
      let remaining = type === '5' || type === '1' || type === '2' ? 0 : realSize;
      const body = async function* (): AsyncGenerator<Buffer> {
        for await (const chunk of src.take(remaining)) {
          remaining -= chunk.length;
          yield chunk;
        }
      };
      const entry: TarEntry = {
        name: name.replace(/^\.\//, ''),
        type,
        size: realSize,
        linkname,
        mode: numeric(h, 100, 8),
        body,
        read: async () => {
          const parts: Buffer[] = [];
          for await (const c of body()) parts.push(Buffer.from(c));
          return Buffer.concat(parts);
        },
      };
      yield entry;
      await src.skip(remaining);
      await src.skip(pad(type === '5' || type === '1' || type === '2' ? 0 : realSize));
    }
  } finally {
    await src.close();
  }
}

/** Whether a 512-byte block starts a tar archive (checksum and, usually, the ustar magic). */
export function looksLikeTar(block: Buffer): boolean {
  return block.length >= 512 && !block.subarray(0, 512).every((x) => x === 0) && checksumOk(block.subarray(0, 512));
}
