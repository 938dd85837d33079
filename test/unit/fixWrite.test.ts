// Fix writes never lose a file: a write that fails part-way (file-size limit) leaves the original byte-for-byte,
// an edit made while the run is going is not overwritten, and mode and ownership survive the replacement.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../server/src/cli';
import { nodeHost } from '../../server/src/core/fileHost';
import { ChangedOnDiskError, writeFileAtomic } from '../../server/src/core/atomicWrite';

const ROOT = path.resolve(__dirname, '../..');
const FIXABLE = 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n';

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-fixwrite-'));
}

/** A Dockerfile of exactly `size` bytes with a safe fix on its second line, padded with comments. */
function dockerfileOfSize(size: number): string {
  let text = FIXABLE;
  const line = '# ' + 'padding '.repeat(12) + '\n';
  while (text.length + line.length <= size) text += line;
  return text + '#'.repeat(size - text.length - 1) + '\n';
}

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '', stderr = '';
  const code = await main(args, { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; } }, async () => '');
  return { code, stdout, stderr };
}

const hasPrlimit = spawnSync('prlimit', ['--version']).status === 0;

describe('lint --fix writes atomically', () => {
  it('leaves a 10,934-byte Dockerfile intact when a file-size limit stops the write', { skip: !hasPrlimit && 'prlimit is not installed' }, () => {
    const dir = tmp();
    const file = path.join(dir, 'Dockerfile');
    const original = dockerfileOfSize(10_934);
    assert.equal(Buffer.byteLength(original), 10_934);
    fs.writeFileSync(file, original);
    const r = spawnSync('prlimit', ['--fsize=8192', '--', process.execPath, '--import', 'tsx', path.join(ROOT, 'server/src/cli.ts'), 'lint', '--fix', '--no-shellcheck', '--format', 'json', file], {
      cwd: ROOT, encoding: 'utf8', timeout: 60_000,
    });
    assert.equal(r.signal, null, `killed by ${r.signal}: ${r.stderr}`);
    assert.equal(r.status, 2, r.stderr);
    assert.ok(fs.readFileSync(file).equals(Buffer.from(original)), 'the original is byte-for-byte intact');
    assert.match(r.stderr, /fixes not written \(.*EFBIG/);
    assert.match(r.stderr, /1 file was not written: .*Dockerfile/);
    assert.deepEqual(fs.readdirSync(dir), ['Dockerfile'], 'no temporary file is left behind');
    // the findings are those of the file on disk, which still lacks the fix
    const rules = (JSON.parse(r.stdout).findings as { rule: string }[]).map((f) => f.rule);
    assert.ok(rules.includes('apt-no-install-recommends'), rules.join(','));
  });

  it('does not overwrite an edit made between the read and the write', async () => {
    const dir = tmp();
    const file = path.join(dir, 'Dockerfile');
    fs.writeFileSync(file, FIXABLE);
    const edited = FIXABLE + 'USER nobody\n';
    const read = nodeHost.read;
    // someone saves the file right after hullcheck has read it
    nodeHost.read = async (f, kind, opts) => {
      const text = await read(f, kind, opts);
      if (f === file && fs.readFileSync(file, 'utf8') === FIXABLE) fs.writeFileSync(file, edited);
      return text;
    };
    try {
      const r = await run(['lint', '--fix', '--no-shellcheck', '--format', 'json', file]);
      assert.equal(fs.readFileSync(file, 'utf8'), edited, 'the concurrent edit survives');
      assert.equal(r.code, 2);
      assert.match(r.stderr, /changed on disk since it was read/);
      // reported against what is on disk now: the edit added USER, so there is no user-root finding
      const rules = (JSON.parse(r.stdout).findings as { rule: string }[]).map((f) => f.rule);
      assert.ok(rules.includes('apt-no-install-recommends'));
      assert.deepEqual(fs.readdirSync(dir), ['Dockerfile']);
    } finally {
      nodeHost.read = read;
    }
  });

  it('keeps the mode bits (and the owner, when run as root) of the fixed file', async () => {
    const dir = tmp();
    const file = path.join(dir, 'Dockerfile');
    fs.writeFileSync(file, FIXABLE);
    fs.chmodSync(file, 0o640);
    const asRoot = process.getuid?.() === 0;
    if (asRoot) fs.chownSync(file, 4321, 4322);
    const r = await run(['lint', '--fix', '--no-shellcheck', '--format', 'json', file]);
    assert.notEqual(r.code, 2, r.stderr);
    assert.match(fs.readFileSync(file, 'utf8'), /--no-install-recommends/);
    const st = fs.statSync(file);
    assert.equal(st.mode & 0o7777, 0o640);
    if (asRoot) assert.deepEqual([st.uid, st.gid], [4321, 4322]);
  });

  it('replaces the target of a symbolic link and keeps the link', async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'real.Dockerfile'), FIXABLE);
    fs.symlinkSync('real.Dockerfile', path.join(dir, 'Dockerfile'));
    await writeFileAtomic(path.join(dir, 'Dockerfile'), 'FROM scratch\n', { expected: FIXABLE });
    assert.ok(fs.lstatSync(path.join(dir, 'Dockerfile')).isSymbolicLink());
    assert.equal(fs.readFileSync(path.join(dir, 'real.Dockerfile'), 'utf8'), 'FROM scratch\n');
  });

  it('refuses when the content differs from what was read, and never replaces a file in create-only mode', async () => {
    const dir = tmp();
    const file = path.join(dir, 'Dockerfile');
    fs.writeFileSync(file, 'FROM a\n');
    await assert.rejects(writeFileAtomic(file, 'FROM c\n', { expected: 'FROM b\n' }), ChangedOnDiskError);
    await assert.rejects(writeFileAtomic(file, 'FROM c\n', { createOnly: true }), { code: 'EEXIST' });
    assert.equal(fs.readFileSync(file, 'utf8'), 'FROM a\n');
    await writeFileAtomic(path.join(dir, '.dockerignore'), '.git\n', { createOnly: true });
    assert.equal(fs.readFileSync(path.join(dir, '.dockerignore'), 'utf8'), '.git\n');
    assert.deepEqual(fs.readdirSync(dir).sort(), ['.dockerignore', 'Dockerfile']);
  });
});

describe('one way to write a user file', () => {
  // a scan of server/src, so a new in-place write cannot slip in: plain writes only go to Hullcheck's own temp folders
  const OWN_TEMP_FILES = new Set(['shellcheck/shellcheck.ts', 'smoke/compose.ts']);
  const SRC = path.join(ROOT, 'server/src');
  const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []);

  it('every other write goes through writeFileAtomic', () => {
    const writers: string[] = [];
    for (const file of walk(SRC)) {
      const rel = path.relative(SRC, file).split(path.sep).join('/');
      const text = fs.readFileSync(file, 'utf8');
      if (rel === 'core/atomicWrite.ts' || !/(?<!\w)(writeFile|writeFileSync|appendFile|appendFileSync|createWriteStream)\(/.test(text)) continue;
      writers.push(rel);
    }
    assert.deepEqual(writers.filter((w) => !OWN_TEMP_FILES.has(w)), [], 'files that write without the atomic write');
    assert.ok(writers.length > 0, 'the scan sees the temp-file writers');
  });
});
