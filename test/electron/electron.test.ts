// The extension in desktop VS Code through @vscode/test-electron. That needs a VS Code download (or a local
// VS Code), so it only runs when asked to: HULLCHECK_ELECTRON=1 (download allowed) or VSCODE_EXECUTABLE=<path>.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..');
const executable = process.env.VSCODE_EXECUTABLE || undefined;
const enabled = Boolean(executable) || process.env.HULLCHECK_ELECTRON === '1';
const SKIP = 'skipped: @vscode/test-electron needs a downloadable VS Code; set HULLCHECK_ELECTRON=1 or VSCODE_EXECUTABLE';

test('quick fix in desktop VS Code (@vscode/test-electron)', { skip: enabled ? false : SKIP, timeout: 600_000 }, async () => {
  // Imported lazily so a skipped run loads neither esbuild nor the downloader.
  const { build } = await import('esbuild');
  const { runTests } = await import('@vscode/test-electron');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-electron-'));
  try {
    const suite = path.join(tmp, 'suite', 'index.js');
    await build({
      entryPoints: [path.join(__dirname, 'suite', 'index.ts')],
      bundle: true, platform: 'node', format: 'cjs', target: 'node18', external: ['vscode'], outfile: suite, logLevel: 'warning',
    });
    // Work on a copy so applying the fix never touches the repo's fixture.
    const ws = path.join(tmp, 'workspace');
    fs.cpSync(path.join(REPO, 'test', 'fixtures', 'e2e', 'workspace'), ws, { recursive: true });
    const code = await runTests({
      extensionDevelopmentPath: REPO,
      extensionTestsPath: suite,
      vscodeExecutablePath: executable,
      launchArgs: [ws, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes',
        `--user-data-dir=${path.join(tmp, 'ud')}`, `--extensions-dir=${path.join(tmp, 'ext')}`],
    });
    assert.equal(code, 0);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
