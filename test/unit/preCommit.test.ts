// The pre-commit hook: .pre-commit-hooks.yaml at the top level names `hullcheck lint` with a `files` pattern that
// matches what lint would pick up, and pre-commit's node install steps work on the repository: `npm install` builds
// the CLI, `npm pack` prints just the tarball name and packs the CLI under the `hullcheck` bin, nothing else.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '../..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

interface Hook { id: string; name: string; entry: string; language: string; files: string }

describe('pre-commit hook', () => {
  it('is defined at the top level, runs hullcheck lint, and selects the files lint checks', () => {
    const hooks = parse(fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
    assert.equal(hooks.length, 1);
    const [hook] = hooks;
    assert.equal(hook.id, 'hullcheck');
    assert.equal(hook.entry, 'hullcheck lint');
    assert.equal(hook.language, 'node');
    // pre-commit matches `files` with Python's re.search; this pattern uses only syntax both engines read alike
    const files = new RegExp(hook.files);
    for (const yes of ['Dockerfile', 'api/Dockerfile.prod', 'Dockerfile_amd', 'Dockerfile-dev', 'web/app.Dockerfile', 'Containerfile',
      'compose.yaml', 'deploy/docker-compose.override.yml', 'stack.compose.yml', '.dockerignore', 'api/Dockerfile.dockerignore', '.trivyignore', 'ops/.trivyignore.yaml']) {
      assert.ok(files.test(yes), yes);
    }
    for (const no of ['README.md', 'src/dockerfile_parser.go', 'docs/Dockerfile/notes.md', 'values.yaml', '.github/workflows/ci.yml']) {
      assert.ok(!files.test(no), no);
    }
  });

  it("pre-commit's install works: npm install builds the CLI, npm pack prints only the tarball name and packs the CLI alone", () => {
    // pre-commit runs `npm install` in the hook repository (whose postinstall builds the bundle), then takes the
    // stdout of a plain `npm pack` as the tarball's file name, then installs that tarball globally
    const build = spawnSync(process.execPath, [path.join(ROOT, 'server/scripts/postinstall.js')], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    assert.equal(build.status, 0, build.stderr);
    assert.equal(build.stdout, '');
    const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const plain = spawnSync(NPM, ['pack', '--dry-run'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    assert.equal(plain.status, 0, plain.stderr);
    assert.equal(plain.stdout.trim(), `hullcheck-${version}.tgz`);
    const r = spawnSync(NPM, ['pack', '--dry-run', '--json'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    const [pack] = JSON.parse(r.stdout) as { files: { path: string }[] }[];
    const names = pack.files.map((f) => f.path).filter((p) => !/^server\/docs\/rules\/[a-z0-9-]+\.md$/.test(p)).sort();
    assert.deepEqual(names, ['LICENSE', 'README.md', 'package.json', 'server/out/cli.js', 'server/scripts/postinstall.js']);
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    assert.deepEqual(pkg.bin, { hullcheck: 'server/out/cli.js' });
    // the bundle runs on its own
    const rules = spawnSync(process.execPath, [path.join(ROOT, 'server/out/cli.js'), 'rules', '--format', 'json'], { encoding: 'utf8' });
    assert.equal(rules.status, 0, rules.stderr);
    assert.ok((JSON.parse(rules.stdout) as unknown[]).length > 50);
  });

  it('the postinstall step does nothing where it was installed from the tarball (no sources)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-postinstall-'));
    fs.mkdirSync(path.join(dir, 'server/scripts'), { recursive: true });
    fs.copyFileSync(path.join(ROOT, 'server/scripts/postinstall.js'), path.join(dir, 'server/scripts/postinstall.js'));
    const r = spawnSync(process.execPath, [path.join(dir, 'server/scripts/postinstall.js')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(!fs.existsSync(path.join(dir, 'server/out')));
  });
});
