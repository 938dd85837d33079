// Class 7 of issue 14: text output prints control characters from file names and file text escaped, so a
// Dockerfile cannot drive the terminal of whoever lints it. JSON keeps the exact text (JSON escapes it itself).

import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../server/src/cli';
import { printable } from '../../server/src/core/terminal';
import { scanText } from '../../server/src/cli/scanFormat';
import { smokeToText } from '../../server/src/smoke/format';
import type { SmokeRunResult } from '../../server/src/protocol/smokeTypes';

const ESC = '\x1b';
/** Any raw control character but tab and line feed (what a terminal would act on). */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '', stderr = '';
  const code = await main(args, { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; } }, async () => '');
  return { code, stdout, stderr };
}

describe('printable', () => {
  it('escapes C0, DEL, C1 and bidirectional controls; keeps tabs, and line feeds when asked', () => {
    assert.equal(printable(`a${ESC}[31mb\x07`), 'a\\x1b[31mb\\x07');
    assert.equal(printable('x\ny\r\tz'), 'x\\ny\\r\tz');
    assert.equal(printable('x\ny', true), 'x\ny');
    assert.equal(printable('\x7f\x9b\u202e\u2028'), '\\x7f\\x9b\\u202e\\u2028');
    assert.equal(printable('plain text: ü ✓'), 'plain text: ü ✓');
  });
});

describe('text output of the CLI', () => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-term-')));
  const evil = path.join(dir, `x${ESC}]0;owned${'\x07'}${ESC}[2J`);
  fs.mkdirSync(evil);
  const file = path.join(evil, 'Dockerfile');
  fs.writeFileSync(file, `FROM alpine:3.20\nEXPOSE 80:${ESC}[8m80\nCMD ["sh"]\n`);

  it('lint: a path and a message quoting file text reach the terminal escaped', async () => {
    const r = await run(['lint', '--fail-level', 'none', file]);
    assert.doesNotMatch(r.stdout, RAW_CONTROL);
    assert.match(r.stdout, /x\\x1b\]0;owned\\x07\\x1b\[2J\/Dockerfile:2:/);
    assert.match(r.stdout, /found '80:\\x1b\[8m80'/);
  });

  it('lint --format json keeps the exact text', async () => {
    const r = await run(['lint', '--format', 'json', '--fail-level', 'none', file]);
    const findings = (JSON.parse(r.stdout) as { findings: { file: string; message: string }[] }).findings;
    assert.ok(findings.some((f) => f.file === file && f.message.includes(`80:${ESC}[8m80`)));
  });

  it('stderr messages that name a path escape it too', async () => {
    const r = await run(['lint', path.join(evil, 'missing', 'Dockerfile')]);
    assert.ok(r.stderr.length > 0);
    assert.doesNotMatch(r.stderr, RAW_CONTROL);
    assert.match(r.stderr, /\\x1b\]0;owned/);
  });

  it('scan text escapes report fields, and smoke text escapes container output but keeps its lines', () => {
    const text = scanText([{
      report: { source: `r${ESC}[1m.json`, artifact: { name: `img${ESC}[2J`, type: 'container_image' }, counts: { CRITICAL: 1, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 } },
      vulnerabilities: [{ id: 'CVE-1', pkg: `p${ESC}k`, installed: '1', fixed: '2', title: `t${'\u202e'}`, severity: 'CRITICAL', url: '', target: '' }],
      secrets: [], misconfigurations: [], ignored: 0,
    }] as unknown as Parameters<typeof scanText>[0], false);
    assert.doesNotMatch(text, RAW_CONTROL);
    assert.match(text, /p\\x1bk/);
    const smoke = smokeToText({
      project: 'p', outcome: 'failed', durationMs: 1000, message: undefined,
      services: [{ service: `web${ESC}[31m`, ok: false, state: 'exited', health: 'none', probes: [], reason: 'exited', healthLog: `line 1\n${ESC}[2Jline 2` }],
      composeOutput: undefined, teardown: { skipped: false, removedVolumes: [], problems: [] },
    } as unknown as SmokeRunResult);
    assert.doesNotMatch(smoke, RAW_CONTROL);
    assert.match(smoke, /line 1\n {4}\\x1b\[2Jline 2/);
  });
});
