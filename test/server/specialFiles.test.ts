// Special files over an in-memory LSP session: compose files whose env_file, build.dockerfile and configs file are
// FIFOs are linted without blocking, and with four of them open the server still answers other documents.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TestClient, fileUri, ofRule, tempDir } from './harness';

const COMPOSE = [
  'services:', '  app:', '    build:', '      context: .', '      dockerfile: Dockerfile.pipe', '    env_file: app.env',
  '    configs: [appconf]', 'configs:', '  appconf:', '    file: ./app.conf', '',
].join('\n');

test('four compose files naming FIFOs do not starve the server', { skip: process.platform === 'win32' }, async (t) => {
  const c = new TestClient();
  t.after(() => c.dispose());
  const root = tempDir();
  fs.mkdirSync(path.join(root, '.git'));
  await c.initialize([root]);
  const composeUris: string[] = [];
  for (let i = 0; i < 4; i++) {
    const dir = path.join(root, `svc${i}`);
    fs.mkdirSync(dir);
    for (const f of ['app.env', 'Dockerfile.pipe', 'app.conf']) execFileSync('mkfifo', [path.join(dir, f)]);
    fs.writeFileSync(path.join(dir, 'compose.yaml'), COMPOSE);
    composeUris.push(fileUri(path.join(dir, 'compose.yaml')));
  }
  const published = await Promise.all(composeUris.map((u) => c.open(u, COMPOSE, 'dockercompose')));
  for (const p of published) {
    const notes = ofRule(p, 'file-not-read');
    assert.equal(notes.length, 1, JSON.stringify(p.diagnostics));
    assert.match(String(notes[0].message), /Dockerfile\.pipe: it is not a regular file/);
  }
  // another document still gets its diagnostics, and a request still gets its answer
  const df = fileUri(path.join(root, 'Dockerfile'));
  const p = await c.open(df, 'FROM debian:12\nRUN apt-get install -y curl\n');
  assert.ok(ofRule(p, 'apt-no-install-recommends').length === 1, JSON.stringify(p.diagnostics));
  const hover: unknown = await c.conn.sendRequest('textDocument/hover', { textDocument: { uri: df }, position: { line: 0, character: 1 } });
  assert.ok(hover, 'hover answered');
});
