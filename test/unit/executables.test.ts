// The executable resolver: only absolute PATH entries outside the untrusted roots count, a user-named path must be
// absolute, and among several ShellChecks the newest version wins whatever the PATH order.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compareVersions, executableCandidates, resolveExecutable, resolveShellcheck, trustedPathEntries } from '../../server/src/core/executables';

function bin(version: string, name = 'shellcheck'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-exe-'));
  fs.writeFileSync(path.join(dir, name), `#!/bin/sh\n[ "$1" = "--version" ] && printf 'ShellCheck - shell script analysis tool\\nversion: ${version}\\nlicense: GPLv3\\n'\n`, { mode: 0o755 });
  return dir;
}

describe('executable resolution', () => {
  it('prefers the newest ShellCheck among trusted PATH entries, not the first', async () => {
    const old = bin('0.9.0');
    const newer = bin('0.11.0');
    const env = { PATH: [old, newer].join(path.delimiter) };
    assert.deepEqual(await resolveShellcheck('shellcheck', { env }), { path: path.join(newer, 'shellcheck'), version: '0.11.0' });
    // one candidate is taken as it is unless its version is needed (the CLI's cache key)
    assert.deepEqual(await resolveShellcheck('shellcheck', { env: { PATH: old } }), { path: path.join(old, 'shellcheck'), version: 'unknown' });
    assert.equal((await resolveShellcheck('shellcheck', { env: { PATH: old }, needVersion: true }))?.version, '0.9.0');
    assert.ok(compareVersions('0.11.0', '0.9.0') > 0 && compareVersions('0.9.0', '0.9') === 0);
  });

  it('skips relative PATH entries and entries inside an untrusted root', async () => {
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-exe-ws-'));
    for (const d of ['bin', 'node_modules/.bin']) {
      fs.mkdirSync(path.join(ws, d), { recursive: true });
      fs.writeFileSync(path.join(ws, d, 'trivy'), '#!/bin/sh\n', { mode: 0o755 });
    }
    const outside = bin('1.0', 'trivy');
    const cwd = process.cwd();
    process.chdir(ws);
    try {
      const env = { PATH: ['bin', 'node_modules/.bin', '.', '', path.join(ws, 'node_modules/.bin'), outside].join(path.delimiter) };
      assert.deepEqual(await trustedPathEntries({ env, untrustedRoots: [ws] }), [outside]);
      assert.deepEqual(await executableCandidates('trivy', { env, untrustedRoots: [ws] }), [path.join(outside, 'trivy')]);
      // without the root, the absolute entry inside the workspace is ordinary PATH; the relative ones never are
      assert.equal(await resolveExecutable('trivy', { env }), path.join(ws, 'node_modules/.bin', 'trivy'));
      // a user-named path must be absolute: a relative one would resolve inside the workspace
      assert.equal(await resolveExecutable('bin/trivy', { env }), undefined);
      assert.equal(await resolveExecutable(path.join(ws, 'bin', 'trivy'), { env }), path.join(ws, 'bin', 'trivy'));
    } finally {
      process.chdir(cwd);
    }
  });
});
