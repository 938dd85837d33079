// A push-mode tar parser: chunks go in synchronously, entry headers come out through a callback, and each
// entry's body goes to the sink the callback returns (or is skipped). Used for `docker save` streams, where a
// promise per chunk and per nested entry would cost more memory and time than the parsing itself.


/** The input is not a tar archive, or it ends inside an entry. */
export class TarFormatError extends Error {}

export interface TarHeaderInfo { name: string; type: string; size: number; linkname: string }
export interface TarSink { data(chunk: Buffer): void; end(): void }

const pad = (n: number) => (512 - (n % 512)) % 512;
const NO_PAX: Readonly<Record<string, string>> = Object.freeze({});
const MAX_META = 1 << 20;

function cstring(b: Buffer, start: number, len: number): string {
  const end = b.indexOf(0, start);
  return b.toString('utf8', start, end < 0 || end > start + len ? start + len : end);
}

/** An octal (or base-256) header number, read from the bytes: no string per field, headers arrive by the thousand. */
function numeric(b: Buffer, start: number, len: number): number {
  if (b[start] & 0x80) {
    let v = b[start] & 0x7f;
    for (let i = start + 1; i < start + len; i++) v = v * 256 + b[i];
    return v;
  }
  const end = start + len;
  let i = start;
  while (i < end && b[i] === 0x20) i++;
  let v = 0;
  for (; i < end; i++) {
    const c = b[i];
    if (c < 0x30 || c > 0x37) break; // NUL or space ends the field
    v = v * 8 + (c - 0x30);
  }
  return v;
}

function isZeroBlock(h: Buffer): boolean {
  for (let i = 0; i < 512; i++) if (h[i] !== 0) return false;
  return true;
}

/** `ustar` at offset 257: the header has the prefix field for long names. */
function isUstar(h: Buffer): boolean {
  return h[257] === 0x75 && h[258] === 0x73 && h[259] === 0x74 && h[260] === 0x61 && h[261] === 0x72;
}

function checksumOk(h: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : h[i];
  return sum === numeric(h, 148, 8);
}

function parsePax(b: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let pos = 0;
  while (pos < b.length) {
    const space = b.indexOf(0x20, pos);
    if (space < 0) break;
    const len = parseInt(b.toString('ascii', pos, space), 10);
    if (!(len > 0)) break;
    const record = b.toString('utf8', space + 1, pos + len - 1);
    const eq = record.indexOf('=');
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    pos += len;
  }
  return out;
}

export class TarParser implements TarSink {
  private readonly header = Buffer.alloc(512);
  private headerFill = 0;
  /** Body bytes left in the current entry, then padding bytes to skip. */
  private body = 0;
  private padding = 0;
  private sink: TarSink | undefined;
  private meta: { type: string; parts: Buffer[]; size: number } | undefined;
  private pax: Record<string, string> = {};
  private globalPax: Record<string, string> = {};
  /** Whether any pax record applies to the next entry (most layer entries have none: skip merging). */
  private hasPax = false;
  private longName: string | undefined;
  private longLink: string | undefined;
  private done = false;

  constructor(private readonly onEntry: (h: TarHeaderInfo) => TarSink | undefined) {}

  data(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length && !this.done) {
      if (this.body > 0) {
        const n = Math.min(this.body, chunk.length - pos);
        const slice = chunk.subarray(pos, pos + n);
        if (this.meta) this.meta.parts.push(Buffer.from(slice));
        else this.sink?.data(slice);
        this.body -= n;
        pos += n;
        if (this.body === 0) this.finishEntry();
        continue;
      }
      if (this.padding > 0) {
        const n = Math.min(this.padding, chunk.length - pos);
        this.padding -= n;
        pos += n;
        continue;
      }
      const n = Math.min(512 - this.headerFill, chunk.length - pos);
      chunk.copy(this.header, this.headerFill, pos, pos + n);
      this.headerFill += n;
      pos += n;
      if (this.headerFill === 512) { this.headerFill = 0; this.startEntry(); }
    }
  }

  private startEntry(): void {
    const h = this.header;
    if (isZeroBlock(h)) { this.done = true; return; }
    if (!checksumOk(h)) throw new TarFormatError('not a tar archive (bad header checksum)');
    const type = String.fromCharCode(h[156] || 0x30);
    const size = numeric(h, 124, 12);
    if (type === 'x' || type === 'g' || type === 'L' || type === 'K') {
      if (size > MAX_META) throw new TarFormatError('oversized tar metadata entry');
      this.meta = { type, parts: [], size };
      this.body = size;
      this.padding = pad(size);
      if (size === 0) this.finishEntry();
      return;
    }
    const meta = this.hasPax ? { ...this.globalPax, ...this.pax } : NO_PAX;
    let name = cstring(h, 0, 100);
    if (isUstar(h)) {
      const prefix = cstring(h, 345, 155);
      if (prefix) name = `${prefix}/${name}`;
    }
    const info: TarHeaderInfo = {
      name: (meta.path ?? this.longName ?? name).replace(/^\.\//, ''),
      type,
      size: meta.size !== undefined ? Number(meta.size) : size,
      linkname: meta.linkpath ?? this.longLink ?? cstring(h, 157, 100),
    };
    if (this.hasPax) { this.pax = {}; this.hasPax = Object.keys(this.globalPax).length > 0; }
    this.longName = this.longLink = undefined;
    const hasBody = type !== '5' && type !== '1' && type !== '2';
    this.body = hasBody ? info.size : 0;
    this.padding = hasBody ? pad(info.size) : 0;
    this.sink = this.onEntry(info);
    if (this.body === 0) this.finishEntry();
  }

  private finishEntry(): void {
    if (this.meta) {
      const data = Buffer.concat(this.meta.parts);
      const t = this.meta.type;
      this.meta = undefined;
      if (t === 'x') this.pax = parsePax(data);
      else if (t === 'g') this.globalPax = { ...this.globalPax, ...parsePax(data) };
      if (t === 'x' || t === 'g') this.hasPax = true;
      else if (t === 'L') this.longName = cstring(data, 0, data.length);
      else this.longLink = cstring(data, 0, data.length);
      return;
    }
    const sink = this.sink;
    this.sink = undefined;
    sink?.end();
  }

  end(): void {
    if (this.body > 0 || this.headerFill > 0) throw new TarFormatError('the archive ends inside an entry');
  }
}
