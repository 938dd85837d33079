// How the project runs an image (facts/imageRuntime.ts) and how user-non-root grades its finding by it: an
// entrypoint script that drops root itself, or a container given the engine socket, gets an info that says why.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintFile } from '../../server/src/engine/lintFile';
import { nodeHost } from '../../server/src/core/fileHost';
import { readmeRunsWithSocket } from '../../server/src/facts/imageRuntime';
import { scriptDropper } from '../../server/src/model/dockerfile/imagePurpose';
import { tempTree } from '../helpers';

const FIXTURES = path.join(__dirname, '../fixtures/rules/user-non-root');

async function userFinding(file: string): Promise<{ severity: string; message: string } | undefined> {
  const r = await lintFile(file, fs.readFileSync(file, 'utf8'), { host: nodeHost, workspaceFolder: path.dirname(file) });
  return r.findings.find((f) => f.rule === 'user-non-root');
}

describe('entrypoint scripts that drop root', () => {
  it('finds the command that switches users, not a comment or a plain exec', () => {
    assert.equal(scriptDropper('#!/bin/sh\nexec gosu app "$@"\n'), 'gosu');
    assert.equal(scriptDropper('exec su-exec node:node "$@"\n'), 'su-exec');
    assert.equal(scriptDropper('su app -c "./run"\n'), 'su');
    assert.equal(scriptDropper('exec chroot --userspec=app:app / /app\n'), 'chroot');
    assert.equal(scriptDropper('# exec gosu app "$@"\nexec "$@"\n'), undefined);
    assert.equal(scriptDropper('echo "run it with su-exec yourself"\n'), undefined);
  });

  it('is info when the entrypoint drops root, a warning when it does not', async () => {
    assert.equal((await userFinding(path.join(FIXTURES, 'entrypoint-drops-root.invalid/Dockerfile')))?.severity, 'info');
    assert.equal((await userFinding(path.join(FIXTURES, 'entrypoint-stays-root.invalid/Dockerfile')))?.severity, 'warning');
  });
});

describe('the engine socket', () => {
  it('reads a docker run that mounts the socket, not prose about it', () => {
    assert.equal(readmeRunsWithSocket('docker run -d \\\n  -v /var/run/docker.sock:/var/run/docker.sock \\\n  example/agent\n'), true);
    assert.equal(readmeRunsWithSocket('Never mount /var/run/docker.sock.\n\ndocker run -d example/agent\n'), false);
  });

  it('is info when a compose service or the README mounts it, or the image points at it', async () => {
    for (const c of ['engine-socket-compose', 'engine-socket-readme']) {
      const f = await userFinding(path.join(FIXTURES, `${c}.invalid/Dockerfile`));
      assert.equal(f?.severity, 'info', c);
      assert.match(f!.message, /engine socket/);
    }
    const dir = tempTree({ '.git/HEAD': '', 'Dockerfile': 'FROM alpine:3.20\nENV DOCKER_HOST=unix:///var/run/docker.sock\nCMD ["agent"]\n' });
    assert.equal((await userFinding(path.join(dir, 'Dockerfile')))?.severity, 'info');
    const plain = tempTree({ '.git/HEAD': '', 'Dockerfile': 'FROM alpine:3.20\nCMD ["agent"]\n' });
    assert.equal((await userFinding(path.join(plain, 'Dockerfile')))?.severity, 'warning');
  });
});
