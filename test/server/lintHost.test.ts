// The language server's remembered config lookups (features/lintHost.ts) and its idle collection
// (features/idleMemory.ts): what is remembered, for how long, and what is always read afresh.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONFIG_READ_TTL_MS, ConfigReadCache } from '../../server/src/features/lintHost';
import { IdleCollector } from '../../server/src/features/idleMemory';
import type { FileHost } from '../../server/src/core/fileHost';
import { memoryHost, textOf } from '../../server/src/core/fileHost';

function countingHost(files: Record<string, string>): FileHost & { reads: string[] } {
  const reads: string[] = [];
  const inner = memoryHost(files);
  return { reads, read: async (file, kind) => { reads.push(file); return inner.read(file, kind); }, kind: inner.kind };
}

const readFile = (host: FileHost, file: string) => textOf(host, file, 'config');

test('config and ignore lookups are read once until cleared; other files every time', async () => {
  const inner = countingHost({ '/w/.hullcheck.yaml': 'rules: {}\n', '/w/Dockerfile': 'FROM alpine\n' });
  let now = 0;
  const cache = new ConfigReadCache(inner, () => false, () => now);
  for (let i = 0; i < 3; i++) {
    assert.equal(await readFile(cache.host, '/w/.hullcheck.yaml'), 'rules: {}\n');
    assert.equal(await readFile(cache.host, '/w/sub/.hadolint.yaml'), undefined, 'a miss is remembered too');
    assert.equal(await readFile(cache.host, '/w/.dockerignore'), undefined);
    assert.equal(await readFile(cache.host, '/w/Dockerfile'), 'FROM alpine\n');
  }
  assert.deepEqual(inner.reads.filter((f) => f !== '/w/Dockerfile'), ['/w/.hullcheck.yaml', '/w/sub/.hadolint.yaml', '/w/.dockerignore']);
  assert.equal(inner.reads.filter((f) => f === '/w/Dockerfile').length, 3, 'build files are not config lookups');
  cache.clear();
  await readFile(cache.host, '/w/.hullcheck.yaml');
  assert.equal(inner.reads.filter((f) => f === '/w/.hullcheck.yaml').length, 2, 'cleared: read again');
  now += CONFIG_READ_TTL_MS;
  await readFile(cache.host, '/w/.hullcheck.yaml');
  assert.equal(inner.reads.filter((f) => f === '/w/.hullcheck.yaml').length, 3, 'expired: read again');
});

test('an open config file is always read from the host (the open document), never remembered', async () => {
  const inner = countingHost({ '/w/.hullcheck.yaml': 'a' });
  const cache = new ConfigReadCache(inner, (f) => f === '/w/.hullcheck.yaml');
  await readFile(cache.host, '/w/.hullcheck.yaml');
  await readFile(cache.host, '/w/.hullcheck.yaml');
  assert.equal(inner.reads.length, 2);
});

test('a failed read is not remembered', async () => {
  let fail = true;
  const cache = new ConfigReadCache({
    read: async () => (fail ? { ok: false, reason: 'permission', message: 'permission denied' } : { ok: true, text: 'ok' }),
    kind: async () => 'file',
  }, () => false);
  assert.deepEqual(await cache.host.read('/w/.hullcheck.yaml', 'config'), { ok: false, reason: 'permission', message: 'permission denied' });
  fail = false;
  await new Promise((r) => setImmediate(r));
  assert.equal(await readFile(cache.host, '/w/.hullcheck.yaml'), 'ok');
});

test('the idle collector collects in two passes after work pauses (the second compacts), not while idle, and not without gc()', async () => {
  let collected = 0;
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const idle = new IdleCollector(() => { collected++; }, 50, 300);
  idle.touch();
  await wait(25);
  idle.touch(); // more work: the wait starts over
  await wait(30);
  assert.equal(collected, 0);
  await wait(50);
  assert.equal(collected, 2, 'the first pass once the quiet spell is long enough');
  await wait(400);
  assert.equal(collected, 4, 'then the compacting pass');
  await wait(200);
  assert.equal(collected, 4, 'no work since: no further collection');
  // work between the two collections cancels the second; the next quiet spell starts over
  idle.touch();
  await wait(80);
  assert.equal(collected, 6);
  idle.touch();
  await wait(30);
  assert.equal(collected, 6, 'the compacting pass was cancelled by the work');
  await wait(500);
  assert.equal(collected, 10);
  idle.dispose();
  new IdleCollector(undefined, 1).touch(); // without --expose-gc: nothing scheduled, nothing thrown
});
