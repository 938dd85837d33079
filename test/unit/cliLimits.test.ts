// The CLI's read limits: a file over --max-file-size (default 5 MB, or HULLCHECK_MAX_FILE_SIZE) is one finding and
// is never read; a FIFO named on the command line is one finding too, not a hang.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../server/src/cli';

const BAD = 'FROM debian:12\nRUN apt-get install -y curl\n';

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '', stderr = '';
  const code = await main(args, { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; } }, async () => '');
  return { code, stdout, stderr };
}

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-cli-limits-'));
}

type JsonFinding = { file: string; rule: string; severity: string; message: string };
const findings = (json: string): JsonFinding[] => JSON.parse(json).findings as JsonFinding[];

describe('hullcheck lint size and file-type limits', () => {
  it('a 50 MB Dockerfile gets one finding and is not read', async () => {
    const dir = tmp();
    const file = path.join(dir, 'Dockerfile');
    // a sparse file: 50 MB by its size, nothing on disk; reading it would cost the full 50 MB
    fs.writeFileSync(file, BAD);
    fs.truncateSync(file, 50 * 1024 * 1024);
    const r = await run(['lint', '--no-shellcheck', '--format', 'json', file]);
    const f = findings(r.stdout);
    assert.equal(f.length, 1, r.stdout);
    assert.equal(f[0].rule, 'file-not-read');
    assert.equal(f[0].severity, 'warning');
    assert.match(f[0].message, /larger than 5.00 MB \(50.0 MB\)\. Raise the limit with --max-file-size\./);
    assert.equal(r.code, 1);
  });

  it('--max-file-size and HULLCHECK_MAX_FILE_SIZE set the limit; a bad value is a usage error', async () => {
    const dir = tmp();
    const file = path.join(dir, 'Dockerfile');
    fs.writeFileSync(file, BAD + `# ${'x'.repeat(2000)}\n`);
    const low = await run(['lint', '--no-shellcheck', '--format', 'json', '--max-file-size', '1kb', file]);
    assert.deepEqual(findings(low.stdout).map((f) => f.rule), ['file-not-read']);
    const ok = await run(['lint', '--no-shellcheck', '--format', 'json', '--max-file-size', '1MB', file]);
    assert.ok(findings(ok.stdout).some((f) => f.rule === 'apt-no-install-recommends'));
    process.env.HULLCHECK_MAX_FILE_SIZE = '1kb';
    try {
      const env = await run(['lint', '--no-shellcheck', '--format', 'json', file]);
      assert.deepEqual(findings(env.stdout).map((f) => f.rule), ['file-not-read']);
    } finally {
      delete process.env.HULLCHECK_MAX_FILE_SIZE;
    }
    const bad = await run(['lint', '--max-file-size', 'huge', file]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--max-file-size: 'huge' is not a size such as 512kB, 5MB or 1GiB/);
  });

  it('--max-file-size takes a unit: bytes, k, kB, MB, GiB; a bare number is refused, not read as MB', async () => {
    const dir = tmp();
    const file = path.join(dir, 'Dockerfile');
    const text = BAD + `# ${'x'.repeat(2500)}\n`;
    fs.writeFileSync(file, text);
    const bytes = Buffer.byteLength(text);
    assert.ok(bytes > 2048 && bytes < 3072, String(bytes));
    const rules = async (size: string) => findings((await run(['lint', '--no-shellcheck', '--format', 'json', '--max-file-size', size, file])).stdout).map((f) => f.rule);
    // one byte short of the file, and exactly its size, in bytes
    assert.deepEqual(await rules(`${bytes - 1}B`), ['file-not-read']);
    assert.ok((await rules(`${bytes}B`)).includes('apt-no-install-recommends'));
    assert.deepEqual(await rules('2k'), ['file-not-read']);
    assert.ok((await rules('3kB')).includes('apt-no-install-recommends'));
    assert.ok((await rules('1GiB')).includes('apt-no-install-recommends'));
    for (const [size, message] of [
      ['100', /--max-file-size: '100' has no unit: write 100B for bytes, 100kB or 100MB/],
      ['5 MB please', /--max-file-size: '5 MB please' is not a size/],
      ['5 parsecs', /--max-file-size: '5 parsecs' has an unknown unit/],
      ['5XB', /--max-file-size: '5XB' has an unknown unit/],
      ['0B', /--max-file-size: '0B' is no size/],
    ] as const) {
      const r = await run(['lint', '--max-file-size', size, file]);
      assert.equal(r.code, 2, size);
      assert.match(r.stderr, message);
    }
    process.env.HULLCHECK_MAX_FILE_SIZE = '100';
    try {
      const env = await run(['lint', file]);
      assert.equal(env.code, 2);
      assert.match(env.stderr, /HULLCHECK_MAX_FILE_SIZE: '100' has no unit/);
    } finally {
      delete process.env.HULLCHECK_MAX_FILE_SIZE;
    }
  });

  it('standard input over the limit is refused while it is read (exit 2, nothing linted); under it, it is linted', async () => {
    const cli = path.join(__dirname, '../../server/src/cli.ts');
    const lint = (input: string, ...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', cli, 'lint', '--no-shellcheck', '--format', 'json', '--stdin', ...args],
      { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const big = lint(BAD + `# ${'x'.repeat(4096)}\n`, '--max-file-size', '2kb');
    assert.equal(big.status, 2, big.stderr);
    assert.equal(big.stdout, '');
    assert.match(big.stderr, /standard input is larger than 2048 bytes; raise the limit with --max-file-size/);
    const small = lint(BAD, '--max-file-size', '2kb');
    assert.equal(small.status, 1, small.stderr);
    assert.ok(findings(small.stdout).some((f) => f.rule === 'apt-no-install-recommends'));
  });

  it('a FIFO named as a Dockerfile is one finding, not a hang', { skip: process.platform === 'win32' }, async () => {
    const dir = tmp();
    const file = path.join(dir, 'Dockerfile');
    execFileSync('mkfifo', [file]);
    const r = await run(['lint', '--no-shellcheck', '--format', 'json', file]);
    const f = findings(r.stdout);
    assert.deepEqual(f.map((x) => x.message), ['Hullcheck did not lint this file: it is not a regular file.']);
  });
});
