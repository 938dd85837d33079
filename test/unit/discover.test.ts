// What `hullcheck lint PATH...` picks up: .gitignore, --exclude and exclude:, compose files by content,
// Dockerfile name variants, symlinks once, notices for what it does not lint, and --changed-since.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { discover } from '../../server/src/facts/discoverFiles';
import { hasServicesMapping, looksLikeDockerfile } from '../../server/src/facts/classifyFile';
import { changedFiles } from '../../server/src/facts/gitChangedFiles';
import { resolveExecutable } from '../../server/src/core/executables';
import { main } from '../../server/src/cli';

function tree(files: Record<string, string>): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-discover-')));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

async function found(dir: string, paths = [dir], opts = {}): Promise<string[]> {
  const r = await discover(paths, { cwd: dir, ...opts });
  assert.deepEqual(r.errors, []);
  return r.files.map((f) => path.relative(dir, path.resolve(dir, f)).split(path.sep).join('/')).sort();
}

async function run(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '', stderr = '';
  const old = process.cwd();
  process.chdir(cwd);
  try {
    const code = await main(args, { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; } }, async () => '');
    return { code, stdout, stderr };
  } finally { process.chdir(old); }
}

const FROM = 'FROM scratch\n';

describe('discovery: .gitignore and excludes', () => {
  it('honours nested .gitignore files with git semantics, .git/info/exclude, and files above the walked folder', async () => {
    const dir = tree({
      '.git/info/exclude': 'local/\n',
      '.gitignore': 'build/\n*.generated.Dockerfile\n',
      'Dockerfile': FROM, 'build/Dockerfile': FROM, 'local/Dockerfile': FROM, 'x.generated.Dockerfile': FROM,
      'svc/.gitignore': 'Dockerfile.*\n!Dockerfile.prod\n',
      'svc/Dockerfile.dev': FROM, 'svc/Dockerfile.prod': FROM, 'svc/Dockerfile': FROM,
      'svc/deep/Dockerfile.test': FROM,
    });
    assert.deepEqual(await found(dir), ['Dockerfile', 'svc/Dockerfile', 'svc/Dockerfile.prod']);
    // walking a sub-folder still applies the repository's .gitignore above it
    assert.deepEqual(await found(dir, [path.join(dir, 'svc')]), ['svc/Dockerfile', 'svc/Dockerfile.prod']);
    assert.deepEqual(await found(dir, [dir], { gitignore: false }), ['Dockerfile', 'build/Dockerfile', 'local/Dockerfile', 'svc/Dockerfile',
      'svc/Dockerfile.dev', 'svc/Dockerfile.prod', 'svc/deep/Dockerfile.test', 'x.generated.Dockerfile']);
  });

  it('outside a repository, only the .gitignore files inside the walked folder count', async () => {
    const dir = tree({ '.gitignore': '*\n', 'proj/Dockerfile': FROM, 'proj/.gitignore': 'skip/\n', 'proj/skip/Dockerfile': FROM });
    assert.deepEqual(await found(dir, [path.join(dir, 'proj')]), ['proj/Dockerfile']);
  });

  it('--exclude globs (relative to the working folder) and exclude: lists (relative to their .hullcheck.yaml)', async () => {
    const dir = tree({
      'Dockerfile': FROM, 'third_party/lib/Dockerfile': FROM, 'test/Dockerfile': FROM, 'a/test/Dockerfile': FROM,
      'apps/.hullcheck.yaml': 'exclude:\n  - fixtures/**\n', 'apps/web/Dockerfile': FROM, 'apps/fixtures/Dockerfile': FROM,
      'fixtures/Dockerfile': FROM,
    });
    assert.deepEqual(await found(dir, [dir], { exclude: ['third_party', 'test/**'] }),
      ['Dockerfile', 'a/test/Dockerfile', 'apps/web/Dockerfile', 'fixtures/Dockerfile']);
    // a glob without a slash matches at any depth
    assert.deepEqual(await found(dir, [dir], { exclude: ['test'] }),
      ['Dockerfile', 'apps/web/Dockerfile', 'fixtures/Dockerfile', 'third_party/lib/Dockerfile']);
    // files named explicitly are excluded too, with a notice
    const r = await discover([path.join(dir, 'third_party/lib/Dockerfile')], { cwd: dir, exclude: ['third_party/**'] });
    assert.deepEqual(r.files, []);
    assert.match(r.notices[0], /excluded/);
  });

  it('--config FILE: its exclude: list (relative to its folder) replaces those of the .hullcheck.yaml files around', async () => {
    const dir = tree({
      'hullcheck-ci.yaml': 'exclude:\n  - legacy/**\n', 'legacy/Dockerfile': FROM, 'app/Dockerfile': FROM,
      'app/.hullcheck.yaml': 'exclude:\n  - Dockerfile\n',
    });
    assert.deepEqual(await found(dir), ['legacy/Dockerfile']);
    assert.deepEqual(await found(dir, [dir], { explicitConfig: path.join(dir, 'hullcheck-ci.yaml') }), ['app/Dockerfile']);
  });

  it('lint --exclude through the CLI, and a malformed exclude: becomes a config-error', async () => {
    const dir = tree({ 'Dockerfile': 'FROM debian:latest\n', 'old/Dockerfile': 'FROM debian:latest\n', '.hullcheck.yaml': 'exclude: old\n' });
    const r = await run(['lint', '--no-shellcheck', '--format', 'json', '--exclude', 'old', '.'], dir);
    const files = new Set((JSON.parse(r.stdout).findings as { file: string; rule: string }[]).map((f) => `${f.file}:${f.rule}`));
    assert.ok(files.has('Dockerfile:image-tag-latest') || [...files].some((f) => f.startsWith('Dockerfile:')));
    assert.ok(![...files].some((f) => f.startsWith('old/')));
    assert.ok([...files].some((f) => f.endsWith('.hullcheck.yaml:config-error')), [...files].join(' '));
  });
});

describe('discovery: what a file is', () => {
  it('recognises compose files by a top-level services: mapping, whatever their name', () => {
    assert.ok(hasServicesMapping('version: "3"\nservices:\n  web:\n    image: nginx\n'));
    assert.ok(hasServicesMapping('---\n# c\nservices:   # the stack\n\n  # first\n  web: {image: nginx}\n'));
    assert.ok(hasServicesMapping('services: {web: {image: nginx}}\n'));
    assert.ok(hasServicesMapping('x-base: &b {}\nservices: &s\n  web: *b\n'));
    assert.ok(!hasServicesMapping('services:\n  - web\n'), 'a list is not a mapping');
    assert.ok(!hasServicesMapping('services:\n- web\n'));
    assert.ok(!hasServicesMapping('services: web\n'));
    assert.ok(!hasServicesMapping('spec:\n  services:\n    web: {}\n'), 'not at the top level');
    assert.ok(!hasServicesMapping('on: push\njobs:\n  build: {}\n'));
    assert.ok(looksLikeDockerfile('# syntax=docker/dockerfile:1\n\nARG V=1\nFROM x:$V\n'));
    assert.ok(!looksLikeDockerfile('#!/bin/sh\necho hi\n'));
  });

  it('walks: Dockerfile name variants and compose YAML are linted, other YAML and code about Dockerfiles are not; a symlink is linted once', async () => {
    const dir = tree({
      'Dockerfile_amd': FROM, 'Dockerfile-dev': FROM, 'containerfile.arm': FROM, 'app.Dockerfile': FROM,
      'deploy/stack.yml': 'services:\n  web:\n    image: nginx\n', 'deploy/prod.compose.yaml': 'include:\n  - a.yaml\n',
      '.github/workflows/ci.yml': 'on: push\njobs: {}\n', 'k8s.yaml': 'apiVersion: v1\nkind: Service\n',
      'docs/README.md': '# x\n', 'pkg/dockerfile.go': 'package x\n', 'pkg/dockerfile_test.go': 'package x\n', 'docs/Dockerfile.md': '# x\n',
      'ops/api-Dockerfile': FROM, 'ops/build_Containerfile': FROM,
    });
    fs.symlinkSync(path.join(dir, 'Dockerfile_amd'), path.join(dir, 'Dockerfile'));
    fs.mkdirSync(path.join(dir, 'outside'));
    const elsewhere = tree({ 'Dockerfile': FROM });
    fs.symlinkSync(path.join(elsewhere, 'Dockerfile'), path.join(dir, 'outside', 'Dockerfile'));
    const r = await discover([dir], { cwd: dir });
    const rel = r.files.map((f) => path.relative(dir, f));
    assert.deepEqual([...rel].sort(), ['Dockerfile-dev', 'Dockerfile_amd', 'app.Dockerfile', 'containerfile.arm', 'deploy/prod.compose.yaml', 'deploy/stack.yml',
      'ops/api-Dockerfile', 'ops/build_Containerfile'].sort());
    assert.equal(r.languages.get(path.join(dir, 'deploy/stack.yml')), 'compose');
    assert.equal(r.languages.get(path.join(dir, 'Dockerfile_amd')), 'dockerfile');
  });

  it('named explicitly: compose YAML by content, a Dockerfile by its first instruction, anything else a notice', async () => {
    const dir = tree({
      'stack.yml': 'services:\n  web:\n    image: nginx:latest\n', 'notes.yaml': 'a: 1\n', 'build.docker': 'FROM debian:latest\n', 'run.sh': '#!/bin/sh\n',
    });
    const r = await run(['lint', '--no-shellcheck', '--format', 'json', 'stack.yml', 'notes.yaml', 'build.docker', 'run.sh'], dir);
    const findings = JSON.parse(r.stdout).findings as { file: string; rule: string }[];
    assert.ok(findings.some((f) => f.file === 'stack.yml' && f.rule === 'compose-image-latest'));
    assert.ok(findings.some((f) => f.file === 'build.docker'));
    assert.ok(!findings.some((f) => f.rule === 'syntax-error' || f.file === 'notes.yaml' || f.file === 'run.sh'));
    assert.deepEqual(r.stderr.trim().split('\n').map((l) => l.split(':')[1].trim()), ['notes.yaml', 'run.sh']);
    assert.match(r.stderr, /notes\.yaml: not a Dockerfile, compose file \(no top-level services:\)/);
  });

  it('walks past Dockerfile templates and YAML that only looks like Compose: CI workflows, Symfony services, rancher-compose', async () => {
    const dir = tree({
      'Dockerfile.tmpl': '{{ .base }}\nFROM x\n', 'docker/Dockerfile.j2': '{% if a %}\nFROM x\n{% endif %}\n',
      'Dockerfile-alpine.template': 'FROM alpine:%%V%%\n', 'Dockerfile.jinja': FROM, 'Dockerfile.in': FROM, 'Dockerfile.prod': FROM,
      '.github/workflows/test-docker-compose.yml': 'name: t\non: push\njobs:\n  a:\n    services:\n      db:\n        image: postgres\n',
      'config/services.yaml': 'parameters:\n  a: 1\nservices:\n  _defaults:\n    autowire: true\n',
      'rancher-compose.yml': "version: '2'\nservices:\n  web:\n    scale: 1\n",
      'stack-compose.yml': 'x-common: &c\n  image: nginx\nservices:\n  web: *c\n', 'deploy/ops.yml': 'name: app\nservices:\n  web:\n    image: nginx\n',
      'docker-compose.yml': 'services:\n  web:\n    image: nginx\nvolume: {}\n',
    });
    assert.deepEqual(await found(dir), ['Dockerfile.prod', 'deploy/ops.yml', 'docker-compose.yml', 'stack-compose.yml']);
  });

  it('lints the 200 corpus compose files as compose, with no Dockerfile syntax-errors', async () => {
    const corpus = path.resolve(__dirname, '../../../shared/corpus/compose');
    const r = await discover([corpus]);
    assert.equal(r.files.length, 200);
    assert.ok([...r.languages.values()].every((l) => l === 'compose'));
    const out = await run(['lint', '--no-shellcheck', '--format', 'json', corpus], process.cwd());
    const findings = JSON.parse(out.stdout).findings as { rule: string }[];
    assert.ok(findings.length > 100);
    assert.equal(findings.filter((f) => f.rule === 'syntax-error').length, 0);
  });
});

describe('discovery: --changed-since', () => {
  it('lints what changed on the branch, uncommitted and untracked, and nothing else', async (t) => {
    if (!await resolveExecutable('git')) { t.skip('git is not installed'); return; }
    const dir = tree({ 'Dockerfile': FROM, 'old/Dockerfile': FROM, 'gone/Dockerfile': FROM, '.gitignore': 'ignored/\n' });
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, stdio: 'pipe' });
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-qm', 'base');
    git('checkout', '-qb', 'topic');
    fs.mkdirSync(path.join(dir, 'new'));
    fs.writeFileSync(path.join(dir, 'new/Dockerfile'), FROM);
    fs.rmSync(path.join(dir, 'gone'), { recursive: true });
    git('add', '.');
    git('commit', '-qm', 'topic');
    fs.appendFileSync(path.join(dir, 'Dockerfile'), 'USER 1000\n');
    fs.mkdirSync(path.join(dir, 'untracked'));
    fs.writeFileSync(path.join(dir, 'untracked/Containerfile'), FROM);
    fs.mkdirSync(path.join(dir, 'ignored'));
    fs.writeFileSync(path.join(dir, 'ignored/Dockerfile'), FROM);
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'x\n');
    assert.deepEqual(await found(dir, ['.'], { changedSince: 'main' }), ['Dockerfile', 'new/Dockerfile', 'untracked/Containerfile']);
    assert.deepEqual(await found(dir, ['new'], { changedSince: 'main' }), ['new/Dockerfile'], 'only within the given paths');
    const bad = await discover(['.'], { cwd: dir, changedSince: 'no-such-ref' });
    assert.equal(bad.files.length, 0);
    assert.match(bad.errors[0].message, /git/);
    assert.equal((await discover(['.'], { cwd: dir, changedSince: '--output=x' })).errors.length, 1, 'an option is not a revision');
  });

  it('never runs a git planted in a relative PATH entry or inside the repository', async () => {
    const dir = tree({ '.git/HEAD': 'ref: refs/heads/main\n', 'bin/git': '#!/bin/sh\necho planted > planted.txt\n' });
    fs.chmodSync(path.join(dir, 'bin/git'), 0o755);
    const old = { cwd: process.cwd(), path: process.env.PATH };
    process.chdir(dir);
    process.env.PATH = ['bin', path.join(dir, 'bin')].join(path.delimiter);
    try {
      await assert.rejects(changedFiles('main', dir), /git, which was not found/);
      assert.ok(!fs.existsSync(path.join(dir, 'planted.txt')));
    } finally {
      process.chdir(old.cwd);
      process.env.PATH = old.path;
    }
  });
});
