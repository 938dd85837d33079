// The bundled server (server/out/server.js, as shipped in the VSIX) started as a real process over stdio:
// it initializes, publishes diagnostics and exits on shutdown/exit. Skipped when the bundle was not built.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { APT_DOCKERFILE, RULE } from './harness';

const BUNDLE = path.join(__dirname, '..', '..', 'server', 'out', 'server.js');

test('the bundled server lints over stdio and exits cleanly', { skip: !fs.existsSync(BUNDLE) && 'run npm run build first' }, async () => {
  const child = spawn(process.execPath, [BUNDLE, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const uri = 'file:///nowhere/hullcheck-bundle/Dockerfile';
  const published = new Promise<PublishDiagnosticsParams>((resolve) => {
    conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => { if (p.uri === uri) resolve(p); });
  });
  conn.listen();
  try {
    const init = await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} }) as { capabilities: { hoverProvider?: boolean } };
    assert.equal(init.capabilities.hoverProvider, true);
    await conn.sendNotification('initialized', {});
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: 1, text: APT_DOCKERFILE } });
    const p = await published;
    assert.ok(p.diagnostics.some((d) => d.code === RULE));
    await conn.sendRequest('shutdown');
    await conn.sendNotification('exit');
    assert.equal(await exited, 0);
  } finally {
    conn.dispose();
    child.kill();
  }
});
