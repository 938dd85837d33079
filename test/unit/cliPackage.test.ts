// The CLI's npm package: `npm run pack:cli` makes a tarball with the bundle, the rule pages, LICENSE and README
// only; it installs into an empty folder with no network and an empty cache, and `npx hullcheck` runs there.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packCli } from '../../server/scripts/packCli';

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const NPX = process.platform === 'win32' ? 'npx.cmd' : 'npx';

describe('the hullcheck npm package', () => {
  it('packs the CLI alone, installs offline into an empty folder, and runs lint and rules there', () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-pack-'));
    const tarball = packCli(work);
    assert.match(path.basename(tarball), /^hullcheck-\d+\.\d+\.\d+.*\.tgz$/);

    const listing = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).trim().split('\n').sort();
    const other = listing.filter((f) => !/^package\/docs\/rules\/[a-z0-9-]+\.md$/.test(f));
    assert.deepEqual(other, ['package/LICENSE', 'package/README.md', 'package/dist/hullcheck.js', 'package/package.json']);
    assert.ok(listing.includes('package/docs/rules/apt-no-install-recommends.md'));

    const project = path.join(work, 'project');
    const cache = path.join(work, 'empty-cache');
    fs.mkdirSync(project);
    fs.mkdirSync(cache);
    fs.copyFileSync(tarball, path.join(project, path.basename(tarball)));
    fs.writeFileSync(path.join(project, 'Dockerfile'), 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\n');
    const env = { ...process.env, npm_config_offline: 'true', npm_config_cache: cache, npm_config_update_notifier: 'false', npm_config_audit: 'false', npm_config_fund: 'false' };
    const install = spawnSync(NPM, ['install', '--offline', '--no-audit', '--no-fund', `./${path.basename(tarball)}`], { cwd: project, env, encoding: 'utf8', timeout: 60_000 });
    assert.equal(install.status, 0, install.stderr);
    const installed = JSON.parse(fs.readFileSync(path.join(project, 'node_modules/hullcheck/package.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(installed.dependencies, undefined, 'everything is bundled');
    assert.deepEqual(installed.bin, { hullcheck: 'dist/hullcheck.js' });

    const lint = spawnSync(NPX, ['--offline', 'hullcheck', 'lint', '--no-shellcheck', '--format', 'json'], { cwd: project, env, encoding: 'utf8', timeout: 60_000 });
    assert.equal(lint.status, 1, lint.stderr);
    const findings = JSON.parse(lint.stdout).findings as { file: string; rule: string }[];
    assert.ok(findings.some((f) => f.file === 'Dockerfile' && f.rule === 'apt-no-install-recommends'), lint.stdout);

    const rules = spawnSync(NPX, ['--offline', 'hullcheck', 'rules', '--format', 'json'], { cwd: project, env, encoding: 'utf8', timeout: 60_000 });
    assert.equal(rules.status, 0, rules.stderr);
    const ids = (JSON.parse(rules.stdout) as { id: string }[]).map((r) => r.id);
    // every rule the CLI lists has its page in the package
    for (const id of ids) assert.ok(fs.existsSync(path.join(project, 'node_modules/hullcheck/docs/rules', `${id}.md`)), id);
  });
});
