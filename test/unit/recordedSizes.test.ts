// Recorded image sizes: the two accepted shapes, and damaged files that give no figures rather than wrong ones.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseRecordedSizes } from '../../server/src/docker/recordedSizes';

test('recorded sizes read the images map or a bare map, by byte count or { bytes }', () => {
  assert.deepEqual([...parseRecordedSizes('{"images":{"app:1":{"bytes":1200},"api":300}}')], [['app:1', 1200], ['api', 300]]);
  assert.deepEqual([...parseRecordedSizes('{"web":{"size":5}}')], [['web', 5]]);
});

test('entries that are not a byte count, and files that are not JSON objects, give nothing', () => {
  assert.deepEqual([...parseRecordedSizes('{"images":{"a":"12MB","b":-1,"c":null,"d":{"bytes":"x"},"e":7}}')], [['e', 7]]);
  for (const bad of ['', 'not json', '[1,2]', 'null', '42']) assert.equal(parseRecordedSizes(bad).size, 0, bad);
});
