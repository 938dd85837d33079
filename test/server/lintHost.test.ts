// The language server's remembered config lookups (features/lintHost.ts) and its idle collection
// (features/idleMemory.ts): what is remembered, for how long, and what is always read afresh.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONFIG_READ_TTL_MS, ConfigReadCache } from '../../server/src/features/lintHost';
import { IdleCollector } from '../../server/src/features/idleMemory';
import type { FileHost } from '../../server/src/engine/config';

function countingHost(files: Record<string, string>): FileHost & { reads: string[] } {
  const reads: string[] = [];
  return { reads, readFile: async (file) => { reads.push(file); return files[file]; } };
}

test('config and ignore lookups are read once until cleared; other files every time', async () => {
  const inner = countingHost({ '/w/.hullcheck.yaml': 'rules: {}\n', '/w/Dockerfile': 'FROM alpine\n' });
  let now = 0;
  const cache = new ConfigReadCache(inner, () => false, () => now);
  for (let i = 0; i < 3; i++) {
    assert.equal(await cache.host.readFile('/w/.hullcheck.yaml'), 'rules: {}\n');
    assert.equal(await cache.host.readFile('/w/sub/.hadolint.yaml'), undefined, 'a miss is remembered too');
    assert.equal(await cache.host.readFile('/w/.dockerignore'), undefined);
    assert.equal(await cache.host.readFile('/w/Dockerfile'), 'FROM alpine\n');
  }
  assert.deepEqual(inner.reads.filter((f) => f !== '/w/Dockerfile'), ['/w/.hullcheck.yaml', '/w/sub/.hadolint.yaml', '/w/.dockerignore']);
  assert.equal(inner.reads.filter((f) => f === '/w/Dockerfile').length, 3, 'build files are not config lookups');
  cache.clear();
  await cache.host.readFile('/w/.hullcheck.yaml');
  assert.equal(inner.reads.filter((f) => f === '/w/.hullcheck.yaml').length, 2, 'cleared: read again');
  now += CONFIG_READ_TTL_MS;
  await cache.host.readFile('/w/.hullcheck.yaml');
  assert.equal(inner.reads.filter((f) => f === '/w/.hullcheck.yaml').length, 3, 'expired: read again');
});

test('an open config file is always read from the host (the open document), never remembered', async () => {
  const inner = countingHost({ '/w/.hullcheck.yaml': 'a' });
  const cache = new ConfigReadCache(inner, (f) => f === '/w/.hullcheck.yaml');
  await cache.host.readFile('/w/.hullcheck.yaml');
  await cache.host.readFile('/w/.hullcheck.yaml');
  assert.equal(inner.reads.length, 2);
});

test('a failed read is not remembered', async () => {
  let fail = true;
  const cache = new ConfigReadCache({ readFile: async () => { if (fail) throw new Error('EACCES'); return 'ok'; } }, () => false);
  await assert.rejects(cache.host.readFile('/w/.hullcheck.yaml'));
  fail = false;
  await new Promise((r) => setImmediate(r));
  assert.equal(await cache.host.readFile('/w/.hullcheck.yaml'), 'ok');
});

test('the idle collector collects once after work pauses, not while idle, and not without gc()', async () => {
  let collected = 0;
  const idle = new IdleCollector(() => { collected++; }, 30);
  idle.touch();
  await new Promise((r) => setTimeout(r, 15));
  idle.touch(); // more work: the wait starts over
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(collected, 0);
  await new Promise((r) => setTimeout(r, 40));
  assert.equal(collected, 1);
  await new Promise((r) => setTimeout(r, 60));
  assert.equal(collected, 1, 'no work since: no further collection');
  idle.dispose();
  new IdleCollector(undefined, 1).touch(); // without --expose-gc: nothing scheduled, nothing thrown
});
