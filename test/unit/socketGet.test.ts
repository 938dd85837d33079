// The engine response decoder behind socketGet: HTTP/1.1 framing (chunked, Content-Length, close-delimited) split at
// every byte position, views of a reused buffer, error statuses, malformed framing; and socketGet over a real unix
// socket served by a local HTTP server, including one that drops the connection mid-body.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { EngineHttpError, ResponseDecoder, socketGet } from '../../server/src/docker/socketGet';

const BODY = Buffer.from('0123456789abcdefghijklmnopqrstuvwxyz'.repeat(7));

function chunked(body: Buffer, sizes: number[]): Buffer {
  const parts: Buffer[] = [Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: application/x-tar\r\nTransfer-Encoding: chunked\r\n\r\n')];
  let pos = 0;
  for (const n of sizes) { parts.push(Buffer.from(`${n.toString(16)}\r\n`), body.subarray(pos, pos + n), Buffer.from('\r\n')); pos += n; }
  parts.push(Buffer.from(`${(body.length - pos).toString(16)};ext=1\r\n`), body.subarray(pos), Buffer.from('\r\n0\r\n\r\n'));
  return Buffer.concat(parts);
}

/** Feed `wire` in two reads split at `at`, through one reused buffer that is overwritten after each read. */
function decode(wire: Buffer, at: number): { got: Buffer; status: number; done: boolean; error: string } {
  const got: Buffer[] = [];
  const d = new ResponseDecoder({ data: (v) => { got.push(Buffer.from(v)); return undefined; } });
  const reused = Buffer.alloc(wire.length);
  for (const part of [wire.subarray(0, at), wire.subarray(at)]) {
    part.copy(reused);
    d.push(reused.subarray(0, part.length));
    reused.fill(0x21);
  }
  return { got: Buffer.concat(got), status: d.statusCode, done: d.finished, error: d.errorText() };
}

test('a chunked body comes out whole wherever the reads split it, extensions and the trailer included', () => {
  const wire = chunked(BODY, [1, 100, 17]);
  for (let at = 0; at <= wire.length; at++) {
    const r = decode(wire, at);
    assert.equal(r.status, 200);
    assert.ok(r.done, `finished (split at ${at})`);
    assert.deepEqual(r.got, BODY, `split at ${at}`);
  }
});

test('a Content-Length body ends at its length; a body without framing ends with the connection', () => {
  const wire = Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: ${BODY.length}\r\n\r\n`), BODY]);
  for (let at = 0; at <= wire.length; at += 7) assert.deepEqual(decode(wire, at).got, BODY);
  const open = new ResponseDecoder({ data: () => undefined });
  open.push(Buffer.from('HTTP/1.0 200 OK\r\n\r\nabc'));
  assert.ok(!open.finished);
  open.end();
  assert.ok(open.finished);
});

test('an error status keeps the body for the message and never reaches the consumer', () => {
  const wire = Buffer.from('HTTP/1.1 404 Not Found\r\nContent-Length: 42\r\n\r\n{"message":"No such image: nope:latest"}\r\n');
  let called = false;
  const d = new ResponseDecoder({ data: () => { called = true; return undefined; } });
  d.push(wire);
  assert.equal(d.statusCode, 404);
  assert.ok(!called);
  assert.match(d.errorText(), /No such image/);
});

test('malformed framing and a response cut short are errors, not a short body', () => {
  const bad = new ResponseDecoder({ data: () => undefined });
  assert.throws(() => bad.push(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n')), /bad chunk size/);
  const noCrlf = new ResponseDecoder({ data: () => undefined });
  assert.throws(() => noCrlf.push(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcXY\r\n')), /no CRLF/);
  const notHttp = new ResponseDecoder({ data: () => undefined });
  assert.throws(() => notHttp.push(Buffer.from('SSH-2.0-OpenSSH\r\n\r\n')), /HTTP\/1\.1/);
  const cut = new ResponseDecoder({ data: () => undefined });
  cut.push(chunked(BODY, [10]).subarray(0, 90));
  assert.throws(() => cut.end(), /before the end/);
  const huge = new ResponseDecoder({ data: () => undefined });
  assert.throws(() => huge.push(Buffer.alloc(70 << 10, 0x41)), /too long/);
});

test('socketGet reads a real server over a unix socket, pauses for a slow consumer, and reports an error status', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-sock-'));
  const sock = path.join(dir, 'engine.sock');
  const big = Buffer.alloc(3 << 20);
  for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
  const server = http.createServer((req, res) => {
    if (req.url === '/v1.41/images/sha256:abc/get') { res.writeHead(200, { 'Content-Type': 'application/x-tar' }); res.end(big); return; }
    // the engine dies mid-save: half the body, then the connection drops
    if (req.url === '/cut') { res.writeHead(200); res.write(big.subarray(0, 1 << 20), () => res.socket?.destroy()); return; }
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ message: `No such image: ${req.url}` }));
  });
  await new Promise<void>((r) => server.listen(sock, r));
  t.after(() => { server.close(); fs.rmSync(dir, { recursive: true, force: true }); });

  const got: Buffer[] = [];
  let waits = 0;
  await socketGet(sock, '/v1.41/images/sha256:abc/get', {
    data: (v) => {
      got.push(Buffer.from(v));
      // every fourth read makes the reader wait, as an inflater with a backlog does
      if (got.length % 4) return undefined;
      waits++;
      return new Promise((r) => setImmediate(r));
    },
  });
  assert.ok(waits > 0);
  assert.ok(Buffer.concat(got).equals(big), 'the body arrives intact through the reused buffer');

  await assert.rejects(socketGet(sock, '/v1.41/images/nope/get', { data: () => undefined }),
    (e: unknown) => e instanceof EngineHttpError && e.statusCode === 404 && /No such image/.test(e.message));
  await assert.rejects(socketGet(sock, '/cut', { data: () => undefined }), /before the end of the response|closed the connection/);
  const abort = new AbortController();
  abort.abort(new Error('cancelled'));
  await assert.rejects(socketGet(sock, '/v1.41/images/sha256:abc/get', { data: () => undefined }, abort.signal), /cancelled/);
});
