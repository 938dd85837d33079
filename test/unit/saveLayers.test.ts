// The `docker save` analysis on the layouts each image store writes: the classic store's plain layer tars (older
// engines link a repeated layer to its first copy), and the containerd store's OCI layout, whose layer blobs are
// gzip-compressed. Wasted bytes and secret files must come out the same; a layer that cannot be read is counted as
// such, never taken for an empty one. Also the image size read on each store.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { analyzeSave, saveReader } from '../../server/src/docker/layers';
import { imageSize } from '../../server/src/docker/images';

type Entry = { name: string; body?: Buffer | string; type?: string; link?: string };

/** A ustar archive of the entries (regular files unless a type is given). */
function tar(entries: Entry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const body = Buffer.from(e.body ?? '');
    const h = Buffer.alloc(512);
    h.write(e.name, 0, 100);
    h.write('0000644\0', 100); h.write('0000000\0', 108); h.write('0000000\0', 116);
    h.write(`${body.length.toString(8).padStart(11, '0')}\0`, 124);
    h.write('00000000000\0', 136);
    h.write(e.type ?? '0', 156);
    if (e.link) h.write(e.link, 157, 100);
    h.write('ustar\0', 257); h.write('00', 263);
    h.fill(0x20, 148, 156);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    parts.push(h, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

const MB = 1048576;
const layers = [
  tar([{ name: 'big', body: Buffer.alloc(MB) }, { name: 'app/.env', body: 'TOKEN=1\n' }]),
  tar([{ name: 'x', body: Buffer.alloc(1000) }]),
  tar([{ name: '.wh.big' }, { name: 'x', body: Buffer.alloc(10) }]),
];
const config = { config: {}, history: [{ created_by: 'COPY a' }, { created_by: 'ENV A=1', empty_layer: true }, { created_by: 'RUN x' }, { created_by: 'RUN rm' }] };

/** The containerd store's layout: blobs by digest (here by name), the layers gzip-compressed, plus manifest.json. */
function ociSave(blobs: Buffer[]): Buffer {
  const names = blobs.map((_, i) => `blobs/sha256/${String(i).padStart(64, '0')}`);
  return tar([
    ...blobs.map((b, i) => ({ name: names[i], body: b })),
    { name: `blobs/sha256/${'c'.repeat(64)}`, body: JSON.stringify(config) },
    { name: 'index.json', body: '{"schemaVersion":2,"manifests":[]}' },
    { name: 'manifest.json', body: JSON.stringify([{ Config: `blobs/sha256/${'c'.repeat(64)}`, Layers: names }]) },
    { name: 'oci-layout', body: '{"imageLayoutVersion":"1.0.0"}' },
  ]);
}

/** A stream of `data` in chunks of `size` bytes (1 splits even a layer's magic bytes). */
const chunked = (data: Buffer, size: number) => Readable.from((function* () { for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size); })(), { objectMode: false });

describe('docker save analysis on both image stores', () => {
  it('reads gzip-compressed layer blobs as the plain tars: wasted bytes, the hiding layer, secret files', async () => {
    const plain = await analyzeSave(chunked(ociSave(layers), 65536));
    const gzip = await analyzeSave(chunked(ociSave(layers.map((l) => gzipSync(l))), 65536));
    assert.equal(plain.unreadLayers, 0);
    assert.equal(gzip.unreadLayers, 0);
    assert.equal(gzip.wastedBytes, MB + 1000);
    assert.deepEqual(gzip.layers.map((l) => [l.bytes, l.wastedBelow, l.history]), [[MB + 8, 0, 0], [1000, 0, 2], [10, MB + 1000, 3]]);
    assert.deepEqual(gzip.secretFiles, [{ path: '/app/.env', reason: plain.secretFiles[0].reason, layer: 0, hidden: false }]);
    assert.deepEqual({ ...gzip, config: undefined }, { ...plain, config: undefined });
  });

  it('tells the codec from first bytes that arrive one at a time', async () => {
    const small = [tar([{ name: 'a', body: 'x'.repeat(600) }]), tar([{ name: 'a', body: 'y' }])].map((l) => gzipSync(l));
    const r = await analyzeSave(chunked(ociSave(small), 1));
    assert.equal(r.unreadLayers, 0);
    assert.equal(r.wastedBytes, 600);
  });

  it('counts a corrupt or unknown layer as not read instead of as empty', async () => {
    const corrupt = gzipSync(layers[0]).subarray(0, 200);
    const r = await analyzeSave(chunked(ociSave([corrupt, layers[1], gzipSync(layers[2])]), 65536));
    assert.equal(r.unreadLayers, 1);
    assert.equal(r.wastedBytes, 1000, 'the layers that were read still count');
    const missing = await analyzeSave(chunked(tar([{ name: 'manifest.json', body: JSON.stringify([{ Layers: ['l1/layer.tar'] }]) }]), 65536));
    assert.equal(missing.unreadLayers, 1);
  });

  it('reads a save fed as views of one reused buffer (as from the engine socket), gzip layers included', async () => {
    // incompressible layers, so the inflaters fall behind; the first is over the 4 MB below which a blob is read whole
    const noisy = [tar([{ name: 'r1', body: randomBytes(5 * MB) }]), tar([{ name: 'r1', body: randomBytes(MB) }, { name: 'etc/id_rsa', body: 'k' }])];
    const expected = await analyzeSave(chunked(ociSave(noisy), 65536));
    assert.equal(expected.wastedBytes, 5 * MB);
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const wire = ociSave(noisy.map((l) => gzipSync(l)));
      const reader = saveReader();
      const reused = Buffer.alloc(256 << 10);
      // fed without waiting, so the inflaters queue input: a queued view that was not copied would be overwritten
      let waits = 0;
      for (let i = 0; i < wire.length; i += reused.length) {
        const n = wire.copy(reused, 0, i, i + reused.length);
        if (reader.data(reused.subarray(0, n))) waits++;
        reused.fill(0xee);
      }
      const got = await reader.finish();
      assert.ok(waits > 0, 'the inflaters asked the reader to wait');
      assert.deepEqual({ ...got, config: undefined }, { ...expected, config: undefined });
      await new Promise((r) => setImmediate(r));
      assert.deepEqual(warnings, [], 'no listener leak while the inflaters have a backlog');
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('follows a repeated layer that an older engine saved as a link to its first copy', async () => {
    const save = tar([
      { name: 'l1/layer.tar', body: layers[1] },
      { name: 'l2/layer.tar', type: '2', link: '../l1/layer.tar' },
      { name: 'manifest.json', body: JSON.stringify([{ Layers: ['l1/layer.tar', 'l2/layer.tar'] }]) },
    ]);
    const r = await analyzeSave(chunked(save, 65536));
    assert.equal(r.unreadLayers, 0);
    assert.equal(r.wastedBytes, 1000, 'the second copy of /x hides the first');
  });
});

describe('imageSize', () => {
  const unpacked = (n: number, extra: object = {}) => ({ Kind: 'image', Available: true, ImageData: { Size: { Unpacked: n } }, ...extra });
  it('is .Size on the classic store and the unpacked size of the one image manifest on the containerd store', () => {
    assert.equal(imageSize({ Size: 198900164 }), 198900164);
    assert.equal(imageSize({ Size: 198900164, Manifests: null }), 198900164);
    assert.equal(imageSize({ Size: 88358947, Manifests: [unpacked(205848576), { Kind: 'attestation', Available: true }] }), 205848576);
    assert.equal(imageSize({ Size: 1, Manifests: [unpacked(5), unpacked(7, { Available: false })] }), 5, 'a platform not pulled takes no space');
  });
  it('keeps .Size when several platforms are unpacked (no single size)', () => {
    assert.equal(imageSize({ Size: 1, Manifests: [unpacked(5), unpacked(7)] }), 1);
  });
});
