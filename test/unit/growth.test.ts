// Size growth gates: budgets.growth parsing (percent or size), the comparison of images with recorded sizes,
// and the .hullcheck-sizes.json text read back by the editor's reader.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compareGrowth, formatChange, parseGrowth, readSizesFile, renderSizesFile } from '../../server/src/docker/growth';
import { parseRecordedSizes } from '../../server/src/docker/recordedSizes';
import { readBudgets, readGrowth } from '../../server/src/docker/workspace';

const MB = 1048576;

describe('budgets.growth', () => {
  it('accepts a percentage or a size and rejects anything else with a problem', () => {
    assert.deepEqual(parseGrowth('5%'), { limit: { percent: 5, text: '5%' } });
    assert.deepEqual(parseGrowth(' 2.5 % '), { limit: { percent: 2.5, text: '2.5%' } });
    assert.deepEqual(parseGrowth('20MB'), { limit: { bytes: 20 * MB, text: '20MB' } });
    assert.match(parseGrowth('lots').problem!, /not a growth such as 5% or 20MB/);
    assert.match(parseGrowth('-5%').problem!, /not a growth/);
  });

  it('is read from budgets: and is not taken for an image glob', () => {
    const problems: string[] = [];
    const raw = { api: '300MB', growth: '5%' };
    assert.deepEqual(readBudgets(raw, '/w/.hullcheck.yaml', problems).map((b) => b.key), ['api']);
    assert.deepEqual(readGrowth(raw, '/w/.hullcheck.yaml', problems), { percent: 5, text: '5%' });
    assert.deepEqual(problems, []);
    readGrowth({ growth: 'big' }, '/w/.hullcheck.yaml', problems);
    assert.deepEqual(problems, ['/w/.hullcheck.yaml: budgets.growth: "big" is not a growth such as 5% or 20MB.']);
    assert.equal(readGrowth({ api: '1GB' }, 'f', problems), undefined);
  });
});

describe('growth comparison', () => {
  const before = new Map([['app:1', 100 * MB], ['worker', 50 * MB]]);
  const images = [
    { ref: 'app:1', budget: 'app', size: 106 * MB },
    { ref: 'worker:2', budget: 'worker', size: 51 * MB },
    { ref: 'new:1', budget: 'new', size: 10 * MB },
  ];

  it('fails past a percentage, compares by reference then by budget key, and marks unrecorded images new', () => {
    const rows = compareGrowth(images, before, { percent: 5, text: '5%' });
    assert.deepEqual(rows.map((r) => [r.ref, r.status, r.change, r.changePercent]), [
      ['app:1', 'grown', 6 * MB, 6], ['worker:2', 'ok', 1 * MB, 2], ['new:1', 'new', null, null],
    ]);
    assert.equal(formatChange(rows[0]), '+6.00 MB (+6%)');
    assert.equal(formatChange(rows[2]), 'new');
  });

  it('fails past an absolute size, and never without a limit', () => {
    assert.deepEqual(compareGrowth(images, before, { bytes: 5 * MB, text: '5MB' }).map((r) => r.status), ['grown', 'ok', 'new']);
    assert.deepEqual(compareGrowth(images, before).map((r) => r.status), ['ok', 'ok', 'new']);
    assert.deepEqual(compareGrowth([{ ref: 'app:1', budget: 'app', size: 90 * MB }], before, { percent: 0, text: '0%' }).map((r) => [r.status, r.changePercent]), [['ok', -10]]);
  });

  it('writes a sizes file the editor reads back, sorted and stable', () => {
    const text = renderSizesFile(images, new Date('2026-12-07T10:00:00Z'));
    const json = JSON.parse(text);
    assert.deepEqual(Object.keys(json.images), ['app:1', 'new:1', 'worker:2']);
    assert.deepEqual(json.images['app:1'], { bytes: 106 * MB, budget: 'app' });
    assert.equal(json.version, 1);
    assert.deepEqual([...parseRecordedSizes(text)], [['app:1', 106 * MB], ['new:1', 10 * MB], ['worker:2', 51 * MB]]);
    assert.equal(readSizesFile('{"images":{}}', 'old.json'), 'old.json holds no recorded image sizes');
  });
});
