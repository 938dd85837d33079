// The one file host (core/fileHost.ts) and the project limits (core/projectScope.ts): special files are never opened,
// sizes are capped per kind, configuration is not taken from above the repository, and paths the project's files name
// are read inside the project only, with one notice that names the path and reveals nothing about it.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { memoryHost, nodeHost, readRegularFile, type FileHost } from '../../server/src/core/fileHost';
import { lintFile, newRunCache } from '../../server/src/engine/lintFile';
import { CONFIG_ERROR_RULE, FILE_NOT_READ_RULE } from '../../server/src/core/findings';
import { ConfigReadCache } from '../../server/src/features/lintHost';
import { readDockerfile } from '../../server/src/docker/images';
import { resolveSmokeSettings } from '../../server/src/smoke/config';

const POSIX = process.platform !== 'win32';

function tmp(): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-host-')));
}

/** A repository folder (it holds .git) inside a fresh temp folder, with the given files. */
function repo(files: Record<string, string> = {}): { outer: string; root: string } {
  const outer = tmp();
  const root = path.join(outer, 'repo');
  fs.mkdirSync(path.join(root, '.git'), { recursive: true });
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return { outer, root };
}

function fifo(file: string): void {
  execFileSync('mkfifo', [file]);
}

const BAD = 'FROM debian:12\nRUN apt-get install -y curl\n';

describe('readRegularFile', { skip: !POSIX }, () => {
  it('refuses a FIFO, a device, a folder and a link to a device without opening them', async () => {
    const dir = tmp();
    fifo(path.join(dir, 'pipe'));
    fs.symlinkSync('/dev/zero', path.join(dir, 'zero'));
    for (const f of ['pipe', 'zero']) {
      const r = await readRegularFile(path.join(dir, f), 1024);
      assert.deepEqual(r, { ok: false, reason: 'not-regular', message: 'it is not a regular file' }, f);
    }
    assert.equal((await readRegularFile(dir, 1024) as { reason: string }).reason, 'not-regular');
    // an existence test is a stat: a FIFO without a writer would block an open, this returns
    assert.equal(await nodeHost.kind(path.join(dir, 'pipe')), 'other');
  });

  it('caps the size, reports a missing file, and reads a regular one', async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'big'), 'x'.repeat(2048));
    const big = await readRegularFile(path.join(dir, 'big'), 1024);
    assert.equal(big.ok, false);
    assert.equal((big as { reason: string }).reason, 'too-large');
    assert.deepEqual(await readRegularFile(path.join(dir, 'nope'), 1024), { ok: false, reason: 'missing', message: 'it does not exist' });
    assert.deepEqual(await readRegularFile(path.join(dir, 'big'), 4096), { ok: true, text: 'x'.repeat(2048) });
  });

  it('applies the per-kind caps: 1 MB for configuration files', async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, '.hullcheck.yaml'), `# ${'x'.repeat(1024 * 1024)}\n`);
    assert.equal((await nodeHost.read(path.join(dir, '.hullcheck.yaml'), 'config') as { reason: string }).reason, 'too-large');
    assert.equal((await nodeHost.read(path.join(dir, '.hullcheck.yaml'), 'dockerfile')).ok, true);
  });
});

describe('configuration files that are not regular files', { skip: !POSIX }, () => {
  it('.hadolint.yaml -> /dev/zero is one config problem, and the lint still runs', async () => {
    const { root } = repo({ Dockerfile: BAD });
    fs.symlinkSync('/dev/zero', path.join(root, '.hadolint.yaml'));
    const r = await lintFile(path.join(root, 'Dockerfile'), BAD, { host: nodeHost });
    assert.equal(r.configProblems.length, 1, JSON.stringify(r.configProblems));
    assert.equal(r.configProblems[0].file, path.join(root, '.hadolint.yaml'));
    assert.match(r.configProblems[0].message, /Cannot read \.hadolint\.yaml/);
    assert.ok(r.findings.some((f) => f.rule === 'apt-no-install-recommends'));
  });

  it('.hullcheck.yaml -> /dev/stdin does not take the configuration from standard input', async () => {
    const { root } = repo({ Dockerfile: BAD });
    fs.symlinkSync('/dev/stdin', path.join(root, '.hullcheck.yaml'));
    const r = await lintFile(path.join(root, 'Dockerfile'), BAD, { host: nodeHost });
    assert.equal(r.configProblems.length, 1, JSON.stringify(r.configProblems));
    assert.match(r.configProblems[0].message, /Cannot read \.hullcheck\.yaml: it is (not a regular file|outside the project)/);
    assert.deepEqual(r.config?.sources, []);
  });

  it('a FIFO as .dockerignore leaves the ignore rules silent instead of blocking', async () => {
    const { root } = repo({ Dockerfile: 'FROM alpine:3.20\nCOPY . /app\n' });
    fifo(path.join(root, '.dockerignore'));
    const r = await lintFile(path.join(root, 'Dockerfile'), 'FROM alpine:3.20\nCOPY . /app\n', { host: nodeHost });
    assert.ok(!r.findings.some((f) => f.rule === 'dockerignore-missing'), 'it exists: not "missing"');
    const notes = r.findings.filter((f) => f.rule === FILE_NOT_READ_RULE);
    assert.equal(notes.length, 1);
    assert.match(notes[0].message, /\.dockerignore: it is not a regular file/);
  });
});

describe('compose files naming special files', { skip: !POSIX }, () => {
  it('a FIFO as env_file, build.dockerfile and configs file never blocks; the Dockerfile gets one notice', async () => {
    const { root } = repo();
    for (const f of ['app.env', 'Dockerfile.pipe', 'app.conf']) fifo(path.join(root, f));
    const compose = [
      'services:', '  app:', '    build:', '      context: .', '      dockerfile: Dockerfile.pipe', '    env_file: app.env',
      '    configs: [appconf]', 'configs:', '  appconf:', '    file: ./app.conf', '',
    ].join('\n');
    fs.writeFileSync(path.join(root, 'compose.yaml'), compose);
    const r = await lintFile(path.join(root, 'compose.yaml'), compose, { host: nodeHost });
    const notes = r.findings.filter((f) => f.rule === FILE_NOT_READ_RULE);
    assert.deepEqual(notes.map((n) => n.message), ['Hullcheck did not read Dockerfile.pipe: it is not a regular file. Checks that need it are skipped.']);
    assert.ok(!r.findings.some((f) => f.rule === 'compose-env-file-missing' || f.rule === 'compose-build-path'), JSON.stringify(r.findings.map((f) => f.rule)));
  });
});

describe('the configuration search stops at the project', () => {
  it('ignores a .hadolint.yaml and a .hullcheck.yaml above the repository root', async () => {
    const { outer, root } = repo({ 'svc/Dockerfile': BAD });
    fs.writeFileSync(path.join(outer, '.hadolint.yaml'), 'ignored: [DL3015]\n');
    fs.writeFileSync(path.join(outer, '.hullcheck.yaml'), 'rules:\n  apt-no-install-recommends: off\n');
    const r = await lintFile(path.join(root, 'svc', 'Dockerfile'), BAD, { host: nodeHost });
    assert.deepEqual(r.configFiles, []);
    assert.ok(r.findings.some((f) => f.rule === 'apt-no-install-recommends'));
    // the same files inside the repository apply
    fs.renameSync(path.join(outer, '.hullcheck.yaml'), path.join(root, '.hullcheck.yaml'));
    const r2 = await lintFile(path.join(root, 'svc', 'Dockerfile'), BAD, { host: nodeHost });
    assert.deepEqual(r2.configFiles, [path.join(root, '.hullcheck.yaml')]);
    assert.ok(!r2.findings.some((f) => f.rule === 'apt-no-install-recommends'));
  });

  it('stops at the workspace folder when it is below the repository root', async () => {
    const { root } = repo({ '.hullcheck.yaml': 'rules:\n  apt-no-install-recommends: off\n', 'pkg/Dockerfile': BAD });
    const r = await lintFile(path.join(root, 'pkg', 'Dockerfile'), BAD, { host: nodeHost, workspaceFolder: path.join(root, 'pkg') });
    assert.deepEqual(r.configFiles, []);
  });

  it('root: true stops the .hadolint.yaml search at its folder', async () => {
    const { root } = repo({ '.hadolint.yaml': 'ignored: [DL3015]\n', 'pkg/.hullcheck.yaml': 'root: true\n', 'pkg/Dockerfile': BAD });
    const r = await lintFile(path.join(root, 'pkg', 'Dockerfile'), BAD, { host: nodeHost });
    assert.deepEqual(r.configFiles, [path.join(root, 'pkg', '.hullcheck.yaml')]);
    fs.writeFileSync(path.join(root, 'pkg', '.hullcheck.yaml'), 'root: false\n');
    const r2 = await lintFile(path.join(root, 'pkg', 'Dockerfile'), BAD, { host: nodeHost });
    assert.deepEqual(r2.configFiles, [path.join(root, 'pkg', '.hullcheck.yaml'), path.join(root, '.hadolint.yaml')]);
    fs.writeFileSync(path.join(root, 'pkg', '.hullcheck.yaml'), 'root: yes please\n');
    const r3 = await lintFile(path.join(root, 'pkg', 'Dockerfile'), BAD, { host: nodeHost });
    assert.ok(r3.configProblems.some((p) => p.message === '`root` must be true or false.'));
  });
});

describe('paths named by project files stay inside the project', () => {
  /** The findings of a compose file in a fresh repository whose `app` service has `extra` lines. */
  async function composeFindings(extra: string[]): Promise<{ messages: string[]; rules: string[] }> {
    const { root } = repo({ Dockerfile: 'FROM alpine:3.20\n' });
    const text = ['services:', '  app:', ...extra, ''].join('\n');
    fs.writeFileSync(path.join(root, 'compose.yaml'), text);
    const r = await lintFile(path.join(root, 'compose.yaml'), text, { host: nodeHost });
    return { messages: r.findings.map((f) => f.message), rules: r.findings.map((f) => f.rule) };
  }

  it('build.dockerfile outside the project is not parsed, and its existence is not revealed', async () => {
    const outside = tmp();
    fs.writeFileSync(path.join(outside, 'Secret.Dockerfile'), 'FROM alpine AS topsecretstage\nFROM alpine AS topsecretstage\n');
    const there = await composeFindings(['    build:', '      context: .', `      dockerfile: ${path.join(outside, 'Secret.Dockerfile')}`]);
    fs.rmSync(path.join(outside, 'Secret.Dockerfile'));
    const gone = await composeFindings(['    build:', '      context: .', `      dockerfile: ${path.join(outside, 'Secret.Dockerfile')}`]);
    assert.ok(!there.messages.join('\n').includes('topsecretstage'), 'the outside Dockerfile was parsed');
    assert.deepEqual(there, gone, 'present and absent outside files look the same');
    const note = there.messages.filter((m) => m.includes('outside the project'));
    assert.deepEqual(note, [`Hullcheck did not read ${path.join(outside, 'Secret.Dockerfile')}: it is outside the project. Checks that need it are skipped.`]);
  });

  it('an absolute env_file outside the project: same findings whether or not it exists', async () => {
    const outside = tmp();
    fs.writeFileSync(path.join(outside, 'real.env'), 'A=1\n');
    const exists = await composeFindings(['    image: alpine:3.20', `    env_file: ${path.join(outside, 'real.env')}`]);
    const missing = await composeFindings(['    image: alpine:3.20', `    env_file: ${path.join(outside, 'none.env')}`]);
    assert.deepEqual(exists.rules, missing.rules);
    assert.ok(!exists.rules.includes('compose-env-file-missing') && !missing.rules.includes('compose-env-file-missing'));
    assert.ok(exists.messages.some((m) => m.includes('real.env: it is outside the project')));
    // `..` out of the project is the same as an absolute path
    const dotdot = await composeFindings(['    image: alpine:3.20', '    env_file: ../../../etc/passwd']);
    assert.ok(dotdot.messages.some((m) => /etc\/passwd: it is outside the project/.test(m)), dotdot.messages.join('\n'));
  });

  it('a symbolic link inside the project that leads outside is outside too', { skip: !POSIX }, async () => {
    const outside = tmp();
    fs.writeFileSync(path.join(outside, 'Dockerfile'), 'FROM alpine AS linkedsecret\n');
    const { root } = repo();
    fs.symlinkSync(outside, path.join(root, 'elsewhere'));
    const text = 'services:\n  app:\n    build: ./elsewhere\n';
    fs.writeFileSync(path.join(root, 'compose.yaml'), text);
    const r = await lintFile(path.join(root, 'compose.yaml'), text, { host: nodeHost });
    assert.ok(r.findings.some((f) => f.rule === FILE_NOT_READ_RULE && f.message.includes('outside the project')), JSON.stringify(r.findings));
    assert.ok(!JSON.stringify(r.findings).includes('linkedsecret'));
  });

  it('trivy.reports "/**/*.json" and "../*.json" read nothing outside', async () => {
    const { outer, root } = repo({ '.trivyignore': 'CVE-2024-0001\n' });
    const report = JSON.stringify({ SchemaVersion: 2, ArtifactName: 'x', Results: [{ Target: 't', Class: 'os-pkgs', Vulnerabilities: [{ VulnerabilityID: 'CVE-2024-0001', PkgName: 'p', InstalledVersion: '1', Severity: 'HIGH' }] }] });
    fs.writeFileSync(path.join(outer, 'outside.json'), report);
    for (const glob of [`${outer}/*.json`, '/**/*.json', '../*.json']) {
      fs.writeFileSync(path.join(root, '.hullcheck.yaml'), `trivy:\n  reports: ${JSON.stringify(glob)}\n`);
      const r = await lintFile(path.join(root, '.trivyignore'), 'CVE-2024-0001\n', { host: nodeHost });
      const notes = r.findings.filter((f) => f.rule === FILE_NOT_READ_RULE);
      assert.equal(notes.length, 1, `${glob}: ${JSON.stringify(r.findings)}`);
      assert.match(notes[0].message, /outside the project/);
      // had the report been read, the entry would be checked against it (not "unknown")
      assert.ok(!r.findings.some((f) => f.message.includes('outside.json') && f.rule !== FILE_NOT_READ_RULE));
    }
  });
});

describe('a run over many files', () => {
  it('reads and parses each folder\'s configuration once', async () => {
    const files: Record<string, string> = { '/p/.git/HEAD': '', '/p/.hullcheck.yaml': 'rules:\n  apt-no-install-recommends: off\n' };
    for (let i = 0; i < 5; i++) files[`/p/svc/Dockerfile.${i}`] = BAD;
    const inner = memoryHost(files);
    const reads: string[] = [];
    const host: FileHost = { read: (f, k, o) => { reads.push(f); return inner.read(f, k, o); }, kind: inner.kind };
    const runCache = newRunCache();
    for (let i = 0; i < 5; i++) {
      const r = await lintFile(`/p/svc/Dockerfile.${i}`, BAD, { host, runCache, language: 'dockerfile' });
      assert.ok(!r.findings.some((f) => f.rule === 'apt-no-install-recommends'));
      assert.ok(!r.findings.some((f) => f.rule === CONFIG_ERROR_RULE));
    }
    assert.equal(reads.filter((f) => f === '/p/.hullcheck.yaml').length, 1);
    assert.equal(reads.filter((f) => f === '/p/svc/.hadolint.yaml').length, 1);
  });

  it('reads and parses a configuration shared by many folders once, as the CLI runs', async () => {
    const files: Record<string, string> = { '/p/.git/HEAD': '', '/p/.hullcheck.yaml': 'rules:\n  apt-no-install-recommends: off\n' };
    for (let i = 0; i < 5; i++) files[`/p/svc${i}/Dockerfile`] = BAD;
    const inner = memoryHost(files);
    const reads: string[] = [];
    const counting: FileHost = { read: (f, k, o) => { reads.push(f); return inner.read(f, k, o); }, kind: inner.kind };
    const host = new ConfigReadCache(counting, () => false, () => 0).host;
    const runCache = newRunCache();
    for (let i = 0; i < 5; i++) {
      const r = await lintFile(`/p/svc${i}/Dockerfile`, BAD, { host, runCache });
      assert.ok(!r.findings.some((f) => f.rule === 'apt-no-install-recommends'));
    }
    assert.equal(reads.filter((f) => f === '/p/.hullcheck.yaml').length, 1);
    assert.deepEqual([...runCache.parses.keys()], ['/p/.hullcheck.yaml']);
  });
});

describe('other paths named by project files', () => {
  it('an image budget or label naming a Dockerfile outside the workspace folder is not parsed', async () => {
    const outside = tmp();
    fs.writeFileSync(path.join(outside, 'Dockerfile'), 'FROM alpine AS hidden\n');
    const { root } = repo({ Dockerfile: 'FROM alpine AS visible\n' });
    assert.equal(await readDockerfile(nodeHost, path.join(outside, 'Dockerfile'), root), undefined);
    assert.equal(await readDockerfile(nodeHost, path.join(root, '..', '..', path.basename(outside), 'Dockerfile'), root), undefined);
    assert.equal((await readDockerfile(nodeHost, path.join(root, 'Dockerfile'), root))?.stages[0].name, 'visible');
  });

  it('smoke.files and smoke.envFile outside the project are refused, not passed to Compose', async () => {
    const { root } = repo({ 'compose.yaml': 'services: {}\n' });
    const r = await resolveSmokeSettings({ files: ['/etc/compose.yaml'], envFile: '../secrets.env' }, root);
    assert.deepEqual(r.problems.filter((p) => p.includes('outside the project')), [
      `smoke.files: /etc/compose.yaml is outside the project; use a path inside the project folder.`,
      `smoke.envFile: ../secrets.env is outside the project; use a path inside the project folder.`,
    ]);
  });

  it('smoke problems name folders relative to the working folder, with no absolute path of the machine', async () => {
    const { root } = repo({ 'svc/readme.txt': '' });
    const before = process.cwd();
    process.chdir(root);
    try {
      const r = await resolveSmokeSettings({ files: ['/etc/compose.yaml'] }, path.join(root, 'svc'));
      assert.ok(r.problems.length > 0);
      for (const p of r.problems) assert.ok(!p.includes(root), p);
      const none = await resolveSmokeSettings({}, path.join(root, 'svc'));
      assert.ok(none.problems.some((p) => p.startsWith('No compose file in svc (')), none.problems.join('\n'));
    } finally {
      process.chdir(before);
    }
  });
});
