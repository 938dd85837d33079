// The engine-free parts of the Docker features: budget sizes, CreatedBy classification, both tar readers on
// archives written by GNU tar (long names, pax headers), compose/budget mapping of images, and host strings.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hostOptions, HostError } from '../../server/src/docker/endpoint';
import { classifyCreatedBy, shortCreatedBy } from '../../server/src/model/imageHistory';
import { formatSize, parseSize } from '../../server/src/core/size';
import { TarParser } from '../../server/src/docker/tar';
import { interpolate, mapImage, readBudgets, readCompose, refMatches, type WorkspaceModel } from '../../server/src/docker/workspace';

test('sizes use one binary definition: 600MB is 600 MiB, a bare number is MB, junk is rejected', () => {
  assert.equal(parseSize('600MB'), 600 * 1048576);
  assert.equal(parseSize('1.2GB'), Math.round(1.2 * 1024 ** 3));
  assert.equal(parseSize('512 MiB'), 512 * 1048576);
  assert.equal(parseSize(2100), 2100 * 1048576);
  assert.equal(parseSize('100kb'), 102400);
  assert.equal(parseSize('12 parsecs'), undefined);
  assert.equal(parseSize('-1MB'), undefined);
  assert.equal(formatSize(3 * 1048576), '3.00 MB');
  assert.equal(formatSize(1536), '1.50 kB');
});

test('CreatedBy strings of the classic builder and BuildKit are classified by instruction', () => {
  const cases: [string, string, string][] = [
    ['/bin/sh -c #(nop)  ENV A=b PASSWORD=x', 'ENV', 'A=b PASSWORD=x'],
    ['/bin/sh -c #(nop) WORKDIR /app', 'WORKDIR', '/app'],
    ['/bin/sh -c #(nop) COPY file:73e2b2d48642b21b357384b0cb81c18 in /bin/busybox ', 'COPY', 'file:73e2b2d48642b21b357384b0cb81c18 in /bin/busybox'],
    ['|2 VERSION=1.2 DEBUG=0 /bin/sh -c make install', 'RUN', 'make install'],
    ['|1 VERSION=1.2 /bin/busybox --install -s /bin', 'RUN', '/bin/busybox --install -s /bin'],
    ['/bin/sh -c apt-get update', 'RUN', 'apt-get update'],
    ['RUN /bin/sh -c pip install . # buildkit', 'RUN', 'pip install .'],
    ['COPY . /app # buildkit', 'COPY', '. /app'],
    ['/bin/sh -c #(nop)  HEALTHCHECK &{["CMD" "true"] "2s" "1s" "0s" \'\\x02\'}', 'HEALTHCHECK', '&{["CMD" "true"] "2s" "1s" "0s" \'\\x02\'}'],
    ['', '', ''],
  ];
  for (const [raw, kw, args] of cases) assert.deepEqual(classifyCreatedBy(raw), { keyword: kw, args }, raw);
  assert.equal(shortCreatedBy('/bin/sh -c #(nop) COPY dir:edcac4aafb0f8ad2cf46d32cffe5685109942dd2465a5cd in /src/ '), 'COPY dir:edcac4aafb0f in /src/');
  assert.equal(shortCreatedBy(''), '(imported layer)');
  // HEALTHCHECK is recorded as Go's print of its config; it is shown as a Dockerfile writes it
  assert.equal(shortCreatedBy('/bin/sh -c #(nop)  HEALTHCHECK &{["CMD" "/bin/test" "-f" "/tmp/ready"] "2s" "1s" "1s" \'\\x02\'}'), 'HEALTHCHECK CMD ["/bin/test", "-f", "/tmp/ready"]');
  assert.equal(shortCreatedBy('HEALTHCHECK &{["CMD-SHELL" "curl -f \\"http://localhost/\\" || exit 1"] "30s" "3s" "0s" "0s" \'\\x03\'}'), 'HEALTHCHECK CMD curl -f "http://localhost/" || exit 1');
  assert.equal(shortCreatedBy('/bin/sh -c #(nop)  HEALTHCHECK &{["NONE"] "0s" "0s" "0s" \'\\x00\'}'), 'HEALTHCHECK NONE');
});

function gnuTar(format: string): { file: string; names: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-tar-'));
  const long = `${'d'.repeat(120)}/${'e'.repeat(130)}.txt`;
  fs.mkdirSync(path.join(dir, 'src', 'd'.repeat(120)), { recursive: true });
  fs.writeFileSync(path.join(dir, 'src', long), 'x'.repeat(1000));
  fs.writeFileSync(path.join(dir, 'src', 'small'), 'hello');
  fs.symlinkSync('small', path.join(dir, 'src', 'link'));
  const file = path.join(dir, 'a.tar');
  execFileSync('tar', ['-C', path.join(dir, 'src'), `--format=${format}`, '-cf', file, '.']);
  return { file, names: [long, 'small', 'link'] };
}

// plain ustar cannot hold a 250-byte name, so only the two formats that can are written
for (const format of ['gnu', 'pax']) {
  test(`the tar reader lists what GNU tar wrote in ${format} format, long names included`, async () => {
    const { file, names } = gnuTar(format);
    const viaPush: string[] = [];
    const sizes = new Map<string, number>();
    const declared = new Map<string, number>();
    const parser = new TarParser((h) => {
      if (h.type === '5') return undefined;
      viaPush.push(h.name);
      declared.set(h.name, h.size);
      let n = 0;
      return { data: (c) => { n += c.length; }, end: () => sizes.set(h.name, n) };
    });
    // feed in odd-sized chunks to cross every header and body boundary
    const bytes = fs.readFileSync(file);
    for (let i = 0; i < bytes.length; i += 333) parser.data(bytes.subarray(i, i + 333));
    parser.end();
    assert.deepEqual([...viaPush].sort(), [...names].sort());
    assert.equal(sizes.get(names[0]), 1000);
    for (const [name, size] of declared) assert.equal(sizes.get(name), size, `body of ${name}`);
  });
}

test('compose services and budgets tie images to services, globs and Dockerfiles', () => {
  const compose = readCompose('/ws/compose.yml', `name: Shop\nservices:\n  rag:\n    image: ghcr.io/acme/rag:\${VERSION:-latest}\n    build: { context: ., dockerfile: services/rag/Dockerfile, target: squash }\n    x-hullcheck: { budget: 600MB }\n  web:\n    build: web\n`, {});
  assert.equal(compose[0].image, 'ghcr.io/acme/rag:latest');
  assert.equal(compose[0].dockerfile, '/ws/services/rag/Dockerfile');
  assert.equal(compose[0].budget, 600 * 1048576);
  assert.deepEqual(compose[1].defaultImages, ['shop-web', 'shop_web']);
  const problems: string[] = [];
  const budgets = readBudgets({ 'local/proxy:*': '100MB', web: { size: '1.2GB' }, bad: 'huge' }, '/ws/.hullcheck.yaml', problems);
  assert.equal(problems.length, 1);
  const model: WorkspaceModel = { folder: '/ws', services: compose, budgets: [...budgets, { key: 'rag', bytes: compose[0].budget!, text: '600MB', file: '/ws/compose.yml' }], allowRoot: ['web'], dockerfiles: [], problems };
  const rag = mapImage(model, ['ghcr.io/acme/rag:latest'], {});
  assert.equal(rag.service?.service, 'rag');
  assert.equal(rag.budget?.text, '600MB');
  assert.equal(rag.target, 'squash');
  const web = mapImage(model, ['shop-web:latest'], {});
  assert.equal(web.budget?.key, 'web');
  assert.equal(web.allowRoot, true);
  assert.equal(mapImage(model, ['local/proxy:2.1'], {}).budget?.key, 'local/proxy:*');
  assert.equal(mapImage(model, ['other:1'], { 'dev.hullcheck.dockerfile': 'x/Dockerfile' }).dockerfile, '/ws/x/Dockerfile');
  assert.ok(refMatches('nginx', 'docker.io/library/nginx:1.27'));
  assert.ok(!refMatches('acme/*:prod', 'acme/web:dev'));
  assert.equal(interpolate('a-${X:-dflt}-${Y-none}-$Z', { Y: '', Z: 'z' }), 'a-dflt--z');
});

test('host strings become dockerode options; unusable ones are HostErrors', async () => {
  assert.deepEqual(await hostOptions('unix:///var/run/docker.sock'), { socketPath: '/var/run/docker.sock' });
  assert.deepEqual(await hostOptions('tcp://127.0.0.1:2375', {}), { host: '127.0.0.1', port: '2375', protocol: 'http' });
  assert.equal((await hostOptions('tcp://127.0.0.1', { DOCKER_TLS_VERIFY: '1' })).protocol, 'https');
  assert.equal((await hostOptions('ssh://me@127.0.0.1')).protocol, 'ssh');
  await assert.rejects(hostOptions('gopher://x'), HostError);
  await assert.rejects(hostOptions('not a url'), HostError);
});

test('engine streams split into whole JSON lines across chunk boundaries', async () => {
  const { LineSplitter } = await import('../../server/src/docker/jsonLines');
  const s = new LineSplitter();
  assert.deepEqual(s.push('{"a":1}\n{"b"'), ['{"a":1}']);
  assert.deepEqual(s.push(Buffer.from(':2}\r\n\n  \n{"c":3')), ['{"b":2}']);
  assert.deepEqual(s.push('}\n'), ['{"c":3}']);
});
