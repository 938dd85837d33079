// A GET on the engine's local socket whose response body is read into one reused buffer. Reading a `docker save` of a
// large image through Node's HTTP client allocates a fresh buffer per socket read, and with the client library's code
// resident that churn made V8 run a full collection every few dozen megabytes: the analysis then spent more CPU on
// garbage collection than on parsing. Here the socket reads into a fixed buffer (net's `onread`), and the response
// framing (status line, headers, chunked transfer encoding) is decoded in place, handing the consumer views of it.

import * as net from 'node:net';

/** Size of the reused read buffer. */
const READ_BUFFER = 256 << 10;
/** Bounds on what is kept while decoding: the response head, one chunk-size line, an error body. */
const MAX_HEAD = 64 << 10;
const MAX_LINE = 1024;
const MAX_ERROR_BODY = 64 << 10;

export class EngineHttpError extends Error {
  constructor(readonly statusCode: number, message: string) { super(message); }
}

/**
 * The body consumer. `data` gets views of the reused buffer: it must use them before returning (copy what it keeps).
 * It may return a promise to pause reading until it resolves.
 */
export interface BodySink { data(view: Buffer): Promise<void> | undefined }

type State = 'head' | 'length' | 'close' | 'size' | 'chunk' | 'chunk-end' | 'trailer' | 'done';

/** Push-mode decoder of one HTTP/1.1 response: head, then a body framed by Content-Length, chunks, or the close. */
export class ResponseDecoder {
  private state: State = 'head';
  private line = Buffer.alloc(0);
  private remaining = 0;
  statusCode = 0;
  private error: Buffer[] | undefined;
  private errorBytes = 0;

  constructor(private readonly sink: BodySink) {}

  get finished(): boolean { return this.state === 'done'; }

  /** Decode one read; returns the consumer's promise when it asked to pause. */
  push(buf: Buffer): Promise<void> | undefined {
    let wait: Promise<void> | undefined;
    let pos = 0;
    while (pos < buf.length && this.state !== 'done') {
      switch (this.state) {
        case 'head': {
          const end = this.takeUntil(buf, pos, Buffer.from('\r\n\r\n'), MAX_HEAD, 'response head');
          if (end < 0) return wait;
          pos = end;
          this.head(this.line.toString('latin1'));
          this.line = Buffer.alloc(0);
          break;
        }
        case 'length': case 'chunk': case 'close': {
          const n = this.state === 'close' ? buf.length - pos : Math.min(this.remaining, buf.length - pos);
          const w = this.body(buf.subarray(pos, pos + n));
          if (w) wait = w;
          pos += n;
          if (this.state !== 'close') {
            this.remaining -= n;
            if (this.remaining === 0) this.state = this.state === 'length' ? 'done' : 'chunk-end';
          }
          break;
        }
        case 'size': case 'chunk-end': case 'trailer': {
          const end = this.takeUntil(buf, pos, Buffer.from('\r\n'), MAX_LINE, 'chunk line');
          if (end < 0) return wait;
          pos = end;
          const text = this.line.toString('latin1');
          this.line = Buffer.alloc(0);
          if (this.state === 'chunk-end') {
            if (text !== '') throw new Error('malformed chunked response (no CRLF after a chunk)');
            this.state = 'size';
          } else if (this.state === 'size') {
            const size = parseInt(text.split(';')[0].trim(), 16);
            if (!Number.isFinite(size) || size < 0 || !/^[0-9a-fA-F]+/.test(text.trim())) throw new Error('malformed chunked response (bad chunk size)');
            this.remaining = size;
            this.state = size === 0 ? 'trailer' : 'chunk';
          } else if (text === '') {
            this.state = 'done';
          }
          break;
        }
      }
    }
    return wait;
  }

  /** The end of the connection: only a close-delimited body may end here. */
  end(): void {
    if (this.state === 'close') this.state = 'done';
    if (this.state !== 'done') throw new Error('the engine closed the connection before the end of the response');
  }

  /** The body of an error response, for the message. */
  errorText(): string {
    return this.error ? Buffer.concat(this.error).toString('utf8') : '';
  }

  /** Append bytes up to and including `delim` to `line`; returns the position after it, or -1 when more is needed. */
  private takeUntil(buf: Buffer, pos: number, delim: Buffer, max: number, what: string): number {
    // the delimiter may straddle two reads: search the tail of what is kept plus this read
    const keep = Math.min(this.line.length, delim.length - 1);
    const probe = Buffer.concat([this.line.subarray(this.line.length - keep), buf.subarray(pos, Math.min(buf.length, pos + max))]);
    const at = probe.indexOf(delim);
    if (at < 0) {
      this.line = Buffer.concat([this.line, buf.subarray(pos)]);
      if (this.line.length > max) throw new Error(`the engine's ${what} is too long`);
      return -1;
    }
    const upto = pos + at + delim.length - keep;
    this.line = Buffer.concat([this.line, buf.subarray(pos, upto)]);
    this.line = this.line.subarray(0, this.line.length - delim.length);
    return upto;
  }

  private head(text: string): void {
    const lines = text.split('\r\n');
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0]);
    if (!status) throw new Error('the engine did not answer with HTTP/1.1');
    this.statusCode = Number(status[1]);
    const headers = new Map<string, string>();
    for (const l of lines.slice(1)) {
      const colon = l.indexOf(':');
      if (colon > 0) headers.set(l.slice(0, colon).trim().toLowerCase(), l.slice(colon + 1).trim());
    }
    if (this.statusCode !== 200) this.error = [];
    if (/\bchunked\b/i.test(headers.get('transfer-encoding') ?? '')) this.state = 'size';
    else if (headers.has('content-length')) {
      this.remaining = Number(headers.get('content-length'));
      if (!Number.isSafeInteger(this.remaining) || this.remaining < 0) throw new Error('the engine sent a bad Content-Length');
      this.state = this.remaining === 0 ? 'done' : 'length';
    } else this.state = 'close';
  }

  private body(view: Buffer): Promise<void> | undefined {
    if (!this.error) return this.sink.data(view);
    if (this.errorBytes < MAX_ERROR_BODY) {
      const part = view.subarray(0, MAX_ERROR_BODY - this.errorBytes);
      this.error.push(Buffer.from(part));
      this.errorBytes += part.length;
    }
    return undefined;
  }
}

/**
 * GET `path` on the engine's socket (a unix socket or a Windows named pipe) and feed the body to `sink`. Rejects with
 * EngineHttpError for a status other than 200 (with the engine's message), and when `signal` aborts.
 */
export function socketGet(socketPath: string, path: string, sink: BodySink, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const decoder = new ResponseDecoder(sink);
    const fail = (e: unknown) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      reject(e);
    };
    const onAbort = () => fail(signal?.reason ?? new Error('cancelled'));
    const socket = net.connect({
      path: socketPath,
      onread: {
        buffer: Buffer.allocUnsafe(READ_BUFFER),
        callback: (n: number, buf: Uint8Array) => {
          if (settled) return false;
          let wait: Promise<void> | undefined;
          try { wait = decoder.push(Buffer.from(buf.buffer, buf.byteOffset, n)); } catch (e) { fail(e); return false; }
          if (decoder.finished) { finish(); return false; }
          if (!wait) return true;
          wait.then(() => { if (!settled) socket.resume(); }, fail);
          return false;
        },
      },
    } as net.NetConnectOpts);
    const finish = () => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      if (decoder.statusCode === 200) resolve();
      else reject(new EngineHttpError(decoder.statusCode, `(HTTP code ${decoder.statusCode}) ${engineMessage(decoder.errorText())}`));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) { onAbort(); return; }
    socket.on('connect', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: docker\r\nUser-Agent: hullcheck\r\nConnection: close\r\n\r\n`));
    socket.on('end', () => {
      try { decoder.end(); } catch (e) { fail(e); return; }
      finish();
    });
    socket.on('error', fail);
    socket.on('close', () => { if (!settled) fail(new Error('the engine closed the connection')); });
  });
}

/** The engine's JSON error body (`{"message": ...}`), or the text as it came. */
function engineMessage(body: string): string {
  try { const m = (JSON.parse(body) as { message?: unknown }).message; if (typeof m === 'string') return m; } catch { /* plain text */ }
  return body.trim();
}
