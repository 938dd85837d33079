// Compose parsing and ranges: the offset->position helper, anchors and merge keys, !reset/!override, interpolation,
// multiple documents, broken input (tabs, invalid YAML, yaml warnings, alias bombs, a 5 MB file), suppressions and
// their "disable for this line" edit, projects and hover.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LineIndex } from '../../server/src/core/text';
import { MAX_COMPOSE_CHARS, parseCompose, yamlRange } from '../../server/src/parse/compose';
import { interpolate, parsePort, parseMount } from '../../server/src/model/composeValues';
import { composeKeyHover } from '../../server/src/features/composeHover';
import { matchesComposeGlob } from '../../server/src/features/composeGlobs';
import { composeDisableEdit } from '../../server/src/features/composeSuppressionEdit';
import { applyEdits } from '../../server/src/core/text';
import { formatFindings, lint, tmpProject } from '../helpers';

describe('yamlRange', () => {
  it('maps offsets to 0-based lines and columns, LF and CRLF alike', () => {
    for (const eol of ['\n', '\r\n']) {
      const text = `a: 1${eol}bb:${eol}  - x${eol}`;
      const idx = new LineIndex(text);
      const x = text.indexOf('x');
      assert.deepEqual(yamlRange(idx, [x, x + 1, x + 1]), { start: { line: 2, character: 4 }, end: { line: 2, character: 5 } });
    }
  });

  it('ignores the trailing-comment end and degrades to 0:0 without a range', () => {
    const idx = new LineIndex('k: v # c\n');
    assert.deepEqual(yamlRange(idx, [3, 4, 8]).end, { line: 0, character: 4 });
    assert.deepEqual(yamlRange(idx, undefined), { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
  });

  it('gives node ranges that cover the exact text of a key', () => {
    const p = parseCompose('services:\n  web:\n    image: nginx:1.27\n');
    const r = p.service('web')!.keyRange;
    assert.deepEqual(r, { start: { line: 1, character: 2 }, end: { line: 1, character: 5 } });
  });
});

describe('parseCompose', () => {
  it('applies anchors and merge keys to resolved values, keeping the nodes as written', () => {
    const p = parseCompose('x-base: &base\n  image: nginx:1.27\n  restart: always\nservices:\n  a:\n    <<: *base\n    restart: "no"\n  b:\n    <<: [*base]\n');
    assert.deepEqual(p.problems, []);
    assert.deepEqual(p.service('a')!.value, { image: 'nginx:1.27', restart: 'no' });
    assert.deepEqual(p.service('b')!.value, { image: 'nginx:1.27', restart: 'always' });
  });

  it('accepts !reset and !override tags without problems and keeps the tag on the node', () => {
    const p = parseCompose('services:\n  a:\n    image: x:1\n    ports: !override\n      - "80:80"\n    environment: !reset {}\n');
    assert.deepEqual(p.problems, []);
    const node = p.service('a')!.node!;
    const ports = node.items.find((i) => String((i.key as { value: unknown }).value) === 'ports')!;
    assert.equal((ports.value as { tag?: string }).tag, '!override');
    assert.deepEqual(p.service('a')!.value.ports, ['80:80']);
  });

  it('reads every document of a multi-document file', () => {
    const p = parseCompose('services:\n  a:\n    image: x:1\n---\nservices:\n  b:\n    image: y:1\n');
    assert.equal(p.documents.length, 2);
    assert.deepEqual(p.services.map((s) => s.name), ['a', 'b']);
  });

  it('notes a file with several documents once, on the second document\'s marker, but not a trailing `---`', async () => {
    const text = 'services:\n  a:\n    image: x:1\n---\nservices:\n  b:\n    image: y:1\n---\nservices:\n  c:\n    image: z:1\n';
    const f = await lint(path.join(os.tmpdir(), 'compose.yaml'), { text, only: ['compose-schema'] });
    assert.equal(formatFindings(f), '4:1 compose-schema This file holds 3 YAML documents; not every Compose release merges them (some read only one), so put each in its own file and pass them with `-f`.\n');
    assert.equal(f[0].severity, 'info');
    assert.deepEqual(f[0].range.end, { line: 3, character: 3 });
    assert.deepEqual(parseCompose('services:\n  a:\n    image: x:1\n---\n').problems, []);
    assert.deepEqual(parseCompose('---\nservices:\n  a:\n    image: x:1\n').problems, []);
  });

  it('turns yaml warnings into problems instead of printing them on stderr', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      const text = 'services:\n  web:\n    image: x:1\n    labels:\n      ? [a, b]\n      : x\n';
      const p = parseCompose(text);
      assert.deepEqual(p.problems.map((x) => [x.range.start.line, x.range.start.character, x.severity]), [[4, 8, undefined]]);
      assert.match(p.problems[0].message, /key must be a plain value, not a list or a mapping/);
      // under `services` the schema would also reject the stringified key: reported once
      const f = await lint(path.join(os.tmpdir(), 'compose.yaml'), { text: 'services:\n  ? [a, b]\n  : x\n', only: ['compose-schema'] });
      assert.equal(f.length, 1, formatFindings(f));
      assert.match(f[0].message, /plain value/);
      // process warnings are emitted on the next tick
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off('warning', onWarning);
    }
    assert.deepEqual(warnings, []);
  });

  it('reports unknown tags and directives as warnings, and keeps !reset and !override quiet', async () => {
    const f = await lint(path.join(os.tmpdir(), 'compose.yaml'), { text: '%FOO bar\n---\nservices:\n  web:\n    image: !foo x:1\n', only: ['compose-schema'] });
    assert.equal(formatFindings(f), '1:1 compose-schema YAML: Unknown directive %FOO.\n5:12 compose-schema YAML: Unresolved tag: !foo; Compose understands only `!reset` and `!override`.\n');
    assert.deepEqual(f.map((x) => x.severity), ['warning', 'warning']);
    assert.deepEqual(parseCompose('services:\n  web:\n    image: x:1\n    labels: !reset {}\n    ports: !override ["80:80"]\n').problems, []);
  });

  it('reports tabs and invalid YAML with positions instead of throwing', () => {
    const tabs = parseCompose('services:\n\tweb:\n\t\timage: x\n');
    assert.ok(tabs.problems.length > 0);
    assert.match(tabs.problems[0].message, /Tabs/);
    assert.equal(tabs.problems[0].range.start.line, 1);
    const broken = parseCompose('services:\n  web: [unclosed\n');
    assert.ok(broken.problems.some((p) => /Invalid YAML/.test(p.message)));
  });

  it('stops a billion-laughs alias bomb with a problem, quickly', () => {
    let text = 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    for (let i = 1; i < 10; i++) text += `a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(',')}]\n`;
    text += 'services:\n  x:\n    image: x:1\n    labels: *a9\n';
    const t0 = Date.now();
    const p = parseCompose(text);
    assert.ok(Date.now() - t0 < 2000, 'took too long');
    assert.ok(p.problems.some((x) => /resource exhaustion|cannot be read/i.test(x.message)), JSON.stringify(p.problems));
  });

  it('declines a 5 MB file with one clear problem, without stalling', async () => {
    let text = 'services:\n';
    for (let i = 0; text.length < 5 * 1024 * 1024; i++) text += `  s${i}:\n    image: example/app:1.${i}\n`;
    assert.ok(text.length > MAX_COMPOSE_CHARS);
    const t0 = Date.now();
    const findings = await lint(path.join(os.tmpdir(), 'compose.yaml'), { text, only: ['compose-schema'] });
    assert.ok(Date.now() - t0 < 5000, 'took too long');
    assert.equal(findings.length, 1);
    assert.match(findings[0].message, /5\.0 MB/);
  });

  it('reports duplicate keys, which Compose rejects', () => {
    const p = parseCompose('services:\n  a:\n    image: x:1\n    image: x:2\n');
    assert.equal(p.problems.length, 1);
    assert.equal(p.problems[0].range.start.line, 3);
  });
});

describe('compose values', () => {
  it('interpolates defaults and flags unknown variables', () => {
    assert.deepEqual(interpolate('${PORT:-3000}:3000'), { value: '3000:3000', unknown: false });
    assert.deepEqual(interpolate('${A}-$B-$$C'), { value: '--$C', unknown: true });
    assert.deepEqual(interpolate('${X:-${Y:-nested}}'), { value: 'nested', unknown: false });
  });

  it('parses ports in short and long syntax', () => {
    assert.deepEqual(parsePort('127.0.0.1:8000-8002:80/udp'), { hostIp: '127.0.0.1', host: [8000, 8002], target: '80', protocol: 'udp' });
    assert.deepEqual(parsePort('${P}:80')?.host, undefined);
    assert.deepEqual(parsePort({ target: 80, published: '8080' })?.host, [8080, 8080]);
    assert.equal(parsePort('3000')?.host, undefined);
  });

  it('tells named volumes from bind mounts', () => {
    assert.equal(parseMount('data:/data')?.type, 'volume');
    assert.equal(parseMount('./data:/data:ro')?.type, 'bind');
    assert.equal(parseMount('C:\\data:/data')?.type, 'bind');
    assert.equal(parseMount('/anon')?.source, undefined);
  });
});

describe('compose suppressions', () => {
  it('silences findings on the key below the comment and inside its value only', async () => {
    const dir = tmpProject({ 'compose.yaml': 'services:\n  # hullcheck ignore=compose-image-latest\n  a:\n    image: redis\n  b:\n    image: redis\n' });
    const f = await lint(path.join(dir, 'compose.yaml'), { only: ['compose-image-latest'] });
    assert.deepEqual(f.map((x) => x.range.start.line), [5]);
  });

  it('supports global ignores', async () => {
    const dir = tmpProject({ 'compose.yaml': '# hullcheck global ignore=compose-image-latest\nservices:\n  a:\n    image: redis\n' });
    assert.equal((await lint(path.join(dir, 'compose.yaml'), { only: ['compose-image-latest'] })).length, 0);
  });
});

describe('compose projects', () => {
  const base = 'services:\n  db:\n    image: postgres:16\n    ports:\n      - "5432:5432"\n';
  const test = 'services:\n  db:\n    ports:\n      - "15432:5432"\n';

  it('notes a test overlay that keeps the base host ports, without a false conflict', async () => {
    const dir = tmpProject({ 'compose.yaml': base, 'compose.test.yaml': test, '.hullcheck.yaml': 'composeProjects:\n  - [compose.yaml, compose.test.yaml]\n' });
    const f = await lint(path.join(dir, 'compose.test.yaml'), { only: ['compose-port-conflict'] });
    assert.equal(formatFindings(f), '3:5 compose-port-conflict Service `db` adds ports but keeps 5432 from compose.yaml, because Compose appends port lists; use `ports: !override` if the test stack must not bind them.\n');
    assert.equal(f[0].severity, 'info');
  });

  it('is quiet when the overlay overrides the list', async () => {
    const dir = tmpProject({ 'compose.yaml': base, 'compose.test.yaml': test.replace('ports:', 'ports: !override') });
    assert.equal((await lint(path.join(dir, 'compose.test.yaml'), { only: ['compose-port-conflict'] })).length, 0);
  });

  it('reports a conflict on the base file when an override republishes its port', async () => {
    const dir = tmpProject({ 'compose.yaml': base, 'compose.override.yaml': 'services:\n  web:\n    image: nginx:1.27\n    ports:\n      - "5432:80"\n' });
    const f = await lint(path.join(dir, 'compose.yaml'), { only: ['compose-port-conflict'] });
    assert.equal(f.length, 1);
    assert.match(f[0].message, /service `web` in compose\.override\.yaml:5/);
  });
});

describe('compose hover', () => {
  it('shows the schema description of the key under the cursor', () => {
    const p = parseCompose('services:\n  web:\n    image: nginx:1.27\n    healthcheck:\n      interval: 10s\n');
    const image = composeKeyHover(p, { line: 2, character: 6 });
    assert.match(image!.markdown, /\*\*image\*\*/);
    const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'server', 'src', 'model', 'compose-spec.json'), 'utf8'));
    assert.ok(image!.markdown.endsWith(schema.definitions.service.properties.image.description), image!.markdown);
    assert.ok(composeKeyHover(p, { line: 4, character: 8 })!.markdown.includes(schema.definitions.healthcheck.properties.interval.description));
    const interval = composeKeyHover(p, { line: 4, character: 8 });
    assert.ok(interval && interval.markdown.length > 20, 'no description for healthcheck.interval');
    assert.equal(composeKeyHover(p, { line: 2, character: 14 }), undefined, 'values get no key hover');
  });
});

describe('compose "disable for this line" edit', () => {
  const id = 'compose-image-latest';
  const apply = (text: string, line: number) => {
    const edit = composeDisableEdit(parseCompose(text), line, id);
    return edit ? applyEdits(text, [edit]) : undefined;
  };

  it('goes above a key written after a list dash, with the dash\'s indentation', () => {
    const text = 'services:\n  web:\n    image: x:1\n    ports:\n      - target: 80\n        published: "8080"\n';
    assert.equal(apply(text, 4), text.replace('      - target', `      # hullcheck ignore=${id}\n      - target`));
    assert.equal(apply(text, 5), text.replace('        published', `        # hullcheck ignore=${id}\n        published`));
  });

  it('never puts the comment inside a block scalar or a multi-line flow value', () => {
    const text = 'services:\n  web:\n    image: x:1\n    command: |\n      run\n      --flag\n    labels: {a: 1,\n      b: 2}\n';
    const inScalar = apply(text, 5)!;
    assert.equal(inScalar, text.replace('    command:', `    # hullcheck ignore=${id}\n    command:`));
    const inFlow = apply(text, 7)!;
    assert.ok(inFlow.includes(`# hullcheck ignore=${id}\n`));
    const p = parseCompose(inFlow);
    assert.deepEqual(p.problems, []);
    assert.deepEqual(p.service('web')!.value.labels, { a: 1, b: 2 });
  });

  it('offers nothing when the key is already ignored or no key holds the line', () => {
    assert.equal(apply(`services:\n  web:\n    # hullcheck ignore=${id}\n    image: redis\n`, 3), undefined);
    assert.equal(apply('# just a comment\n\nservices: {}\n', 0), undefined);
  });
});

describe('compose extra globs', () => {
  it('matches by path or base name', () => {
    assert.ok(matchesComposeGlob('/w/deploy/prod.stack.yml', ['*.stack.yml']));
    assert.ok(matchesComposeGlob('/w/deploy/prod.stack.yml', ['deploy/*.yml']));
    assert.ok(!matchesComposeGlob('/w/deploy/prod.yml', ['*.stack.yml']));
  });
});
