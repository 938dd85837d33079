// `!reset` and `!override` on whole nodes, as Compose applies them when it merges files: a service dropped or
// rewritten by a later file, a top-level volume or `services:` reset, tags written in a merge key's source; and
// a Windows drive path kept as written. The model and the rules that merge a project's files agree.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadComposeModel } from '../../server/src/model/composeProject';
import { documentTags, nodeTag } from '../../server/src/model/composeMerge';
import { mergedProfiles } from '../../server/src/model/composeProfiles';
import { nodeHost } from '../../server/src/core/fileHost';
import { parseCompose } from '../../server/src/parse/compose';
import { formatFindings, lint, tmpProject } from '../helpers';

const BASE = 'services:\n  a:\n    image: nginx:1.27\n    ports: ["8080:80"]\n  b:\n    image: nginx:1.27\n    ports: ["8080:80"]\n    environment: { B: "1" }\n' +
  'volumes:\n  data: {}\n  logs: {}\n';

async function model(files: Record<string, string>, names: string[]) {
  const dir = tmpProject(files);
  return { dir, m: await loadComposeModel(nodeHost, names.map((n) => path.join(dir, n))) };
}

describe('!reset and !override on whole nodes: the model', () => {
  it('drops a service a later file resets, and rewrites one it overrides', async () => {
    const { m } = await model({
      'compose.yaml': BASE,
      'compose.override.yaml': 'services:\n  b: !reset null\n  a: !override\n    image: redis:7\n',
    }, ['compose.yaml', 'compose.override.yaml']);
    assert.deepEqual(m.services.map((s) => [s.name, s.value]), [['a', { image: 'redis:7' }]]);
    assert.deepEqual(m.problems, []);
  });

  it('resets a top-level volume, and the whole services mapping', async () => {
    const { m } = await model({
      'compose.yaml': BASE,
      'compose.override.yaml': 'services: !reset {}\nvolumes:\n  data: !reset\n',
    }, ['compose.yaml', 'compose.override.yaml']);
    assert.deepEqual([m.services.length, m.volumes], [0, ['logs']]);
  });

  it('applies the tags written in a merge key\'s source to the service merging it', async () => {
    const { m } = await model({
      'compose.yaml': BASE,
      'compose.override.yaml': 'x-quiet: &quiet\n  ports: !override ["9090:80"]\n  environment: !reset {}\nservices:\n  b:\n    <<: *quiet\n',
    }, ['compose.yaml', 'compose.override.yaml']);
    const b = m.services.find((s) => s.name === 'b')!;
    assert.deepEqual([b.value.ports, b.value.environment], [['9090:80'], undefined]);
  });

  it('finds every tag by its path from the document root', () => {
    const p = parseCompose('x-base: &base\n  ports: !reset []\nservices:\n  web:\n    <<: *base\n    labels: !override { a: "1" }\n  db: !reset\nvolumes: !override\n  data: {}\n');
    assert.deepEqual([...documentTags(p.documents[0])].sort(), [
      ['services/db', 'reset'], ['services/web/labels', 'override'], ['services/web/ports', 'reset'], ['volumes', 'override'], ['x-base/ports', 'reset'],
    ]);
    assert.equal(nodeTag(p.documents[0], 'volumes', 'data'), 'override');
    assert.equal(nodeTag(p.documents[0], 'services', 'web'), undefined);
  });

  it('stops collecting tags in an alias bomb whose anchors carry them', async () => {
    let bomb = 'a0: &a0 {x: !reset 1, y: !override 2}\n';
    for (let i = 1; i < 9; i++) bomb += `a${i}: &a${i} {${Array.from({ length: 10 }, (_, j) => `k${j}: *a${i - 1}`).join(', ')}}\n`;
    bomb += 'services:\n  web:\n    image: nginx:1.27\n    ports: ["80:80"]\n    labels: *a8\n';
    const p = parseCompose(bomb);
    assert.ok(documentTags(p.documents[0]).size <= 10_000);
    const dir = tmpProject({ 'compose.yaml': bomb, 'compose.override.yaml': 'services:\n  web:\n    ports: ["80:80"]\n' });
    assert.deepEqual((await lint(path.join(dir, 'compose.yaml'))).map((f) => f.rule), ['compose-schema']);
  });

  it('keeps a Windows drive path as written, as Compose does', async () => {
    const { m, dir } = await model({ 'compose.yaml': 'services:\n  a:\n    image: nginx:1.27\n    volumes: ["C:\\\\docker\\\\project:/test", "./rel:/rel"]\n' }, ['compose.yaml']);
    assert.deepEqual(m.services[0].volumes.map((v) => v.source), ['C:\\docker\\project', path.join(dir, 'rel')]);
  });
});

describe('!reset and !override on whole nodes: the rules', () => {
  const PORTS = { only: ['compose-port-conflict'] };

  it('reports the clash while no override touches it', async () => {
    const dir = tmpProject({ 'compose.yaml': BASE, 'compose.override.yaml': 'services:\n  b:\n    environment: { B: "2" }\n' });
    assert.equal(formatFindings(await lint(path.join(dir, 'compose.yaml'), PORTS)),
      '7:13 compose-port-conflict Host port 8080 is also published by service `a` (line 4); only one container can bind it.\n');
  });

  it('finds no clash once the override resets the service', async () => {
    const dir = tmpProject({ 'compose.yaml': BASE, 'compose.override.yaml': 'services:\n  b: !reset null\n' });
    assert.equal(formatFindings(await lint(path.join(dir, 'compose.yaml'), PORTS)), '');
    assert.equal(formatFindings(await lint(path.join(dir, 'compose.override.yaml'), PORTS)), '');
  });

  it('judges the service an override rewrites whole by its new ports', async () => {
    const moved = tmpProject({ 'compose.yaml': BASE, 'compose.override.yaml': 'services:\n  b: !override\n    image: nginx:1.27\n    ports: ["8081:80"]\n' });
    assert.equal(formatFindings(await lint(path.join(moved, 'compose.yaml'), PORTS)), '');
    const same = tmpProject({ 'compose.yaml': BASE, 'compose.override.yaml': 'services:\n  b: !override\n    image: nginx:1.27\n    ports: ["8080:8080"]\n' });
    assert.equal(formatFindings(await lint(path.join(same, 'compose.override.yaml'), PORTS)),
      '4:13 compose-port-conflict Host port 8080 is also published by service `a` in compose.yaml:4; only one container can bind it.\n');
  });

  it('takes the profiles an override sets with !override instead of adding them', () => {
    const files = [
      { parsed: parseCompose('services:\n  admin: { image: nginx:1.27, profiles: [web] }\n') },
      { parsed: parseCompose('services:\n  admin:\n    profiles: !override [ops]\n') },
    ];
    assert.deepEqual(mergedProfiles(files, 'admin'), ['ops']);
    assert.deepEqual(mergedProfiles([files[0], { parsed: parseCompose('services:\n  admin:\n    profiles: [ops]\n') }], 'admin'), ['web', 'ops']);
  });
});
