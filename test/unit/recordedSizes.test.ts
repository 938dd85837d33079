// Recorded image sizes: the two accepted shapes, and damaged files that give no figures rather than wrong ones.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseRecordedLayers, parseRecordedSizes } from '../../server/src/docker/recordedSizes';

test('recorded sizes read the images map or a bare map, by byte count or { bytes }', () => {
  assert.deepEqual([...parseRecordedSizes('{"images":{"app:1":{"bytes":1200},"api":300}}')], [['app:1', 1200], ['api', 300]]);
  assert.deepEqual([...parseRecordedSizes('{"web":{"size":5}}')], [['web', 5]]);
});

test('entries that are not a byte count, and files that are not JSON objects, give nothing', () => {
  assert.deepEqual([...parseRecordedSizes('{"images":{"a":"12MB","b":-1,"c":null,"d":{"bytes":"x"},"e":7}}')], [['e', 7]]);
  for (const bad of ['', 'not json', '[1,2]', 'null', '42']) assert.equal(parseRecordedSizes(bad).size, 0, bad);
});

test('recorded layers are read per image, byte counts only; files without them give none', () => {
  const text = '{"images":{"app:1":{"bytes":9,"layers":{"base image":5,"RUN make":4,"COPY x":"1MB"}},"api":3,"web":{"bytes":2,"layers":[1]}}}';
  assert.deepEqual([...parseRecordedLayers(text)].map(([k, v]) => [k, [...v]]), [['app:1', [['base image', 5], ['RUN make', 4]]]]);
  for (const bad of ['', '{"images":[]}', '{"app":{"layers":{"RUN a":1}}}']) assert.equal(parseRecordedLayers(bad).size, 0, bad);
});
