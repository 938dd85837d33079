// `hullcheck init` on a sample workspace (test/fixtures/init/shop): the exact file it prints without an engine,
// budgets with 10 % headroom from image sizes, and writes that never replace a configuration unasked.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { initMain } from '../../server/src/cli/init';
import { budgetLines } from '../../server/src/init/scaffold';
import { loadWorkspace } from '../../server/src/docker/workspace';
import { nodeHost } from '../../server/src/core/fileHost';
import { parseHullcheckConfig } from '../../server/src/config/hullcheckConfig';
import { RULESET_VERSION } from '../../server/src/config/presets';
import { RULES_BY_ID } from '../../server/src/engine/linter';
import { CONFIG_SCHEMA, ROOT } from '../../server/scripts/gen';

const SHOP = path.join(ROOT, 'test', 'fixtures', 'init', 'shop');

async function run(cwd: string, args: string[], ask?: (q: string) => Promise<boolean>) {
  let stdout = '', stderr = '';
  const code = await initMain(args, { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; } }, { cwd, ask });
  return { code, stdout, stderr };
}

const EXPECTED = `# Hullcheck configuration: https://github.com/hullcheck/hullcheck#configuration
preset: recommended@${RULESET_VERSION}

# compose files merged into one project, as \`docker compose -f A -f B\` does
composeProjects:
  - [compose.yml, compose.test.yml]

# image size budgets: a compose service or an image reference glob, and a size
# (the Docker engine was not asked; sizes of built images would fill these in)
# budgets:
#   api: 500MB
#   db: 500MB
#   worker: 500MB

# hullcheck smoke: start the stack, wait for health, then probe these
smoke:
  services:
    api:
      endpoints:
        - "http://127.0.0.1:8080/health"
    worker:
      endpoints:
        - { url: "http://localhost:9000/ready", from: container }
`;

test('init prints the configuration of the sample workspace: project sets, a budget template, smoke endpoints', async () => {
  const r = await run(SHOP, ['--no-engine']);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, EXPECTED);
  // what it prints is a configuration the loader and the schema accept
  assert.deepEqual(parseHullcheckConfig(path.join(SHOP, '.hullcheck.yaml'), r.stdout, new Set(RULES_BY_ID.keys())).problems, []);
  const validate = new Ajv({ strict: false }).compile(JSON.parse(fs.readFileSync(path.join(ROOT, CONFIG_SCHEMA), 'utf8')));
  assert.ok(validate(parse(r.stdout)), JSON.stringify(validate.errors));
  assert.equal(fs.existsSync(path.join(SHOP, '.hullcheck.yaml')), false, 'printing writes nothing');
});

test('budgets come from the newest image of each service, with 10 % headroom rounded up to a MB', async () => {
  const model = await loadWorkspace(SHOP, nodeHost);
  const MB = 1024 * 1024;
  const image = (ref: string, size: number, created: number) => ({ id: `sha256:${ref}`, tags: [ref], ref, size, created, labels: {} });
  const lines = budgetLines(model, [image('shop-api:latest', 200 * MB, 3), image('postgres:16', 431.5 * MB, 2), image('shop-api:old', 900 * MB, 1), image('other:1', 5 * MB, 1)]);
  assert.deepEqual(lines, ['  api: 220MB   # built: 200 MB', '  db: 475MB   # built: 431.5 MB']);
});

test('--write writes the file once; an existing configuration is replaced only with --force or a yes', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-init-'));
  try {
    fs.cpSync(SHOP, dir, { recursive: true });
    const first = await run(dir, ['--no-engine', '--write']);
    assert.equal(first.code, 0);
    assert.equal(fs.readFileSync(path.join(dir, '.hullcheck.yaml'), 'utf8'), EXPECTED);

    fs.writeFileSync(path.join(dir, '.hullcheck.yaml'), 'preset: strict\n');
    const refused = await run(dir, ['--no-engine', '--write']);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /\.hullcheck\.yaml exists; nothing written/);
    assert.equal(fs.readFileSync(path.join(dir, '.hullcheck.yaml'), 'utf8'), 'preset: strict\n');

    const questions: string[] = [];
    const declined = await run(dir, ['--no-engine'], async (q) => { questions.push(q); return questions.length === 1; });
    assert.deepEqual(questions, ['Write .hullcheck.yaml? [y/N] ', '.hullcheck.yaml exists. Replace it? [y/N] ']);
    assert.equal(declined.code, 0);
    assert.equal(fs.readFileSync(path.join(dir, '.hullcheck.yaml'), 'utf8'), 'preset: strict\n');

    // an existing .hullcheck.yml is the file replaced, so two configurations never sit side by side
    fs.renameSync(path.join(dir, '.hullcheck.yaml'), path.join(dir, '.hullcheck.yml'));
    assert.equal((await run(dir, ['--no-engine', '--write', '--force'])).code, 0);
    assert.equal(fs.readFileSync(path.join(dir, '.hullcheck.yml'), 'utf8'), EXPECTED);
    assert.equal(fs.existsSync(path.join(dir, '.hullcheck.yaml')), false);
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});
