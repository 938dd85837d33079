// Size growth gates: budgets.growth parsing (percent or size), the comparison of images with recorded sizes,
// and the .hullcheck-sizes.json text read back by the editor's reader.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { compareGrowth, formatChange, parseGrowth, readSizesFile, renderSizesFile } from '../../server/src/docker/growth';
import { BASE_STEP, compareLayers, layerSizes, stepKey } from '../../server/src/docker/layerGrowth';
import { attributeHistory, type HistoryEntry } from '../../server/src/model/imageHistory';
import { parseDockerfile } from '../../server/src/parse/dockerfile';
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
    // a configuration under the working folder is named relative to it, as the CLI names every file
    const here: string[] = [];
    readGrowth({ growth: 'big' }, path.join(process.cwd(), 'svc', '.hullcheck.yaml'), here);
    readBudgets({ api: 'huge' }, path.join(process.cwd(), 'svc', '.hullcheck.yaml'), here);
    assert.deepEqual(here, ['svc/.hullcheck.yaml: budgets.growth: "big" is not a growth such as 5% or 20MB.', 'svc/.hullcheck.yaml: budgets.api: "huge" is not a size such as 600MB or 1.2GB.']);
    assert.equal(readGrowth({ api: '1GB' }, 'f', problems), undefined);
  });
});

describe('growth comparison', () => {
  const before = { sizes: new Map([['app:1', 100 * MB], ['worker', 50 * MB]]), layers: new Map() };
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

describe('growth per build step', () => {
  const dockerfile = 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\nCOPY app /app\nCMD ["/app/run"]\n';
  // history as `docker history` gives it, newest first: the base image's two entries, then the file's steps
  const history = (runBytes: number, copyBytes: number, copyHash = 'b2'): HistoryEntry[] => [
    { id: 'sha256:4', created: 4, createdBy: 'CMD ["/app/run"]', size: 0 },
    { id: '<missing>', created: 3, createdBy: `/bin/sh -c #(nop) COPY dir:${copyHash.repeat(32)} in /app `, size: copyBytes },
    { id: '<missing>', created: 2, createdBy: '/bin/sh -c apt-get update && apt-get install -y curl', size: runBytes },
    { id: '<missing>', created: 1, createdBy: '/bin/sh -c #(nop)  CMD ["bash"]', size: 0 },
    { id: '<missing>', created: 0, createdBy: '/bin/sh -c #(nop) ADD file:0a1b2c3d4e5f60718293a4b5c6d7e8f9 in / ', size: 70 * MB },
  ];
  const parsed = parseDockerfile(dockerfile);
  const layers = (run: number, copy: number, hash?: string) => attributeHistory(history(run, copy, hash).reverse(), parsed);

  it('keys steps by their instruction, content hashes left out, and the base image as one step', () => {
    const l = layers(30 * MB, 5 * MB);
    assert.deepEqual([...layerSizes(l)], [[BASE_STEP, 70 * MB], ['RUN apt-get update && apt-get install -y curl', 30 * MB], ['COPY dir in /app', 5 * MB]]);
    assert.equal(stepKey({ createdBy: 'RUN /bin/sh -c make # buildkit', base: false }), 'RUN make');
  });

  it('reports the steps that changed, with their Dockerfile line, the biggest growth first', () => {
    const before = layerSizes(layers(30 * MB, 5 * MB));
    // new content under /app (another hash) is the same step; the RUN grew
    const rows = compareLayers(layers(42 * MB, 4 * MB, 'c3'), before);
    assert.deepEqual(rows.map((r) => [r.label, r.line, r.before, r.now, r.change]), [
      ['RUN apt-get update && apt-get install -y curl', 1, 30 * MB, 42 * MB, 12 * MB],
      ['COPY dir:c3c3c3c3c3c3 in /app', 2, 5 * MB, 4 * MB, -1 * MB],
    ]);
    assert.deepEqual(compareLayers(layers(30 * MB, 5 * MB), before), [], 'nothing changed');
    const dropped = compareLayers(layers(30 * MB, 5 * MB), new Map([...before, ['RUN rm -rf /var/lib/apt/lists/*', 1 * MB]]));
    assert.deepEqual(dropped.map((r) => [r.step, r.now, r.change]), [['RUN rm -rf /var/lib/apt/lists/*', null, -1 * MB]]);
  });

  it('records the steps in the sizes file and compares them when the file has them', () => {
    const text = renderSizesFile([{ ref: 'app:1', budget: 'app', size: 105 * MB, layers: layers(30 * MB, 5 * MB) }], new Date('2026-12-07T10:00:00Z'));
    assert.deepEqual(JSON.parse(text).images['app:1'].layers, { [BASE_STEP]: 70 * MB, 'RUN apt-get update && apt-get install -y curl': 30 * MB, 'COPY dir in /app': 5 * MB });
    const earlier = readSizesFile(text, 'sizes.json');
    assert.ok(typeof earlier !== 'string');
    const [row] = compareGrowth([{ ref: 'app:1', budget: 'app', size: 117 * MB, layers: layers(42 * MB, 5 * MB) }], earlier, { percent: 5, text: '5%' });
    assert.equal(row.status, 'grown');
    assert.deepEqual(row.layers?.map((l) => [l.label, l.change]), [['RUN apt-get update && apt-get install -y curl', 12 * MB]]);
    // a file recorded without layers gives the image's growth only
    const [plain] = compareGrowth([{ ref: 'app:1', budget: 'app', size: 117 * MB, layers: layers(42 * MB, 5 * MB) }], readSizesFile('{"images":{"app:1":{"bytes":110100480}}}', 'x') as Exclude<typeof earlier, string>);
    assert.equal(plain.layers, undefined);
  });
});
