// How loudly compose rules speak where a finding is the usual local setup: secrets in a development, test or
// example stack are info (issued tokens stay warnings), an env_file made from a template beside it is info, and so is
// a build path inside a git submodule that is not checked out.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { lint, tempTree } from '../helpers';

async function findings(files: Record<string, string>, main: string, rule: string) {
  const dir = tempTree(files, 'hullcheck-compose-noise-');
  return (await lint(path.join(dir, main), { only: [rule] })).map((f) => `${f.severity} ${f.range.start.line + 1}`);
}

const DB = 'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: Vq7rT2mLx9Kp\n';
const REPO = { '.git/HEAD': 'ref: refs/heads/main\n' };
const secretIn = (value: string) => `services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${value}\n`;

describe('compose-secret-in-env in local stacks', () => {
  it('is a warning in a compose file meant to run anywhere', async () => {
    assert.deepEqual(await findings({ 'compose.yaml': DB }, 'compose.yaml', 'compose-secret-in-env'), ['warning 5']);
    assert.deepEqual(await findings({ 'deploy/compose.yaml': DB }, 'deploy/compose.yaml', 'compose-secret-in-env'), ['warning 5']);
  });

  it('is info in a dev, test, example or override file and where a service mounts the source it builds', async () => {
    for (const f of ['docker-compose.dev.yml', 'tests/compose.yaml', '.devcontainer/docker-compose.yml', 'examples/basic/compose.yml', 'compose.override.yaml']) {
      assert.deepEqual(await findings({ [f]: DB }, f, 'compose-secret-in-env'), ['info 5'], f);
    }
    const mounted = `${DB}  app:\n    build: .\n    volumes:\n      - ./:/src\n`;
    assert.deepEqual(await findings({ 'compose.yaml': mounted }, 'compose.yaml', 'compose-secret-in-env'), ['info 5']);
    // a data folder bind is not the project's source
    const data = `${DB}  app:\n    build: .\n    volumes:\n      - ./data:/data\n`;
    assert.deepEqual(await findings({ 'compose.yaml': data }, 'compose.yaml', 'compose-secret-in-env'), ['warning 5']);
  });

  it('is info in example, quickstart, demo, contributed and dev stacks up to the repository root, its name included', async () => {
    for (const f of ['contrib/docker-compose/compose.yml', 'proxy/haproxy/quickstart-tls/compose.yaml', 'dev/containers/docker-compose.yml', 'demos/compose.yaml']) {
      assert.deepEqual(await findings({ ...REPO, [f]: DB }, f, 'compose-secret-in-env'), ['info 5'], f);
    }
    for (const repo of ['keycloak-quickstarts', 'bakerydemo', 'flask-example']) {
      const f = `${repo}/proxy/compose.yaml`;
      assert.deepEqual(await findings({ [`${repo}/.git/HEAD`]: 'x\n', [f]: DB }, f, 'compose-secret-in-env'), ['info 5'], repo);
    }
    // a development word names a local stack below the root only, and a word inside a longer one is no word
    for (const repo of ['local-ai', 'devtools-hub', 'demonstrator']) {
      const f = `${repo}/deploy/compose.yaml`;
      assert.deepEqual(await findings({ [`${repo}/.git/HEAD`]: 'x\n', [f]: DB }, f, 'compose-secret-in-env'), ['warning 5'], repo);
    }
  });

  it('is info for a placeholder or a well-known default password, a warning for a real-looking value', async () => {
    for (const v of ['changeme', 'replace-me-with-a-random-string', "'random string that is unique to every install - just type random characters here!'", '"<db password>"', 'your-password-here', 'testpass', 'password', 'admin', 'postgres']) {
      const got = (await lint(path.join(tempTree({ ...REPO, 'compose.yaml': secretIn(v) }), 'compose.yaml'), { only: ['compose-secret-in-env'] }));
      assert.deepEqual(got.map((f) => f.severity), ['info'], v);
      assert.match(got[0].message, /placeholder or well-known default .*\$\{POSTGRES_PASSWORD:\?set POSTGRES_PASSWORD\}/);
    }
    for (const v of ['Vq7rT2mLx9Kp', 'paperless', 'correct horse battery staple']) {
      assert.deepEqual(await findings({ ...REPO, 'compose.yaml': secretIn(v) }, 'compose.yaml', 'compose-secret-in-env'), ['warning 5'], v);
    }
  });

  it('is info where a service builds a development or test Dockerfile, a warning where it builds the production one', async () => {
    const built = (dockerfile: string) => `${DB}  app:\n    build:\n      context: .\n      dockerfile: ${dockerfile}\n`;
    for (const f of ['dockerfiles/Dockerfile.dev-self-contained', 'Dockerfile.test', 'tests/Dockerfile']) {
      assert.deepEqual(await findings({ ...REPO, 'compose.yaml': built(f) }, 'compose.yaml', 'compose-secret-in-env'), ['info 5'], f);
    }
    for (const f of ['Dockerfile', 'docker/prod.Dockerfile']) {
      assert.deepEqual(await findings({ ...REPO, 'compose.yaml': built(f) }, 'compose.yaml', 'compose-secret-in-env'), ['warning 5'], f);
    }
  });

  it('keeps an issued token a warning even in a local stack', async () => {
    const text = 'services:\n  app:\n    image: a:1\n    environment:\n      AWS_ACCESS_KEY_ID: AKIAIOSFODNN7EXAMPLX\n';
    assert.deepEqual(await findings({ 'compose.dev.yaml': text }, 'compose.dev.yaml', 'compose-secret-in-env'), ['warning 5']);
  });
});

describe('compose-image-latest in local stacks', () => {
  const text = 'services:\n  db:\n    image: postgres\n';
  it('is info in a dev, test or example stack and a warning elsewhere', async () => {
    assert.deepEqual(await findings({ 'compose.yaml': text }, 'compose.yaml', 'compose-image-latest'), ['warning 3']);
    assert.deepEqual(await findings({ 'tests/compose.yaml': text }, 'tests/compose.yaml', 'compose-image-latest'), ['info 3']);
    assert.deepEqual(await findings({ 'compose.override.yml': text }, 'compose.override.yml', 'compose-image-latest'), ['info 3']);
  });
});

describe('compose-env-file-missing with a template', () => {
  const text = 'services:\n  app:\n    image: a:1\n    env_file: .env\n';
  it('is info when a template sits beside the missing file, a warning otherwise', async () => {
    assert.deepEqual(await findings({ 'compose.yaml': text, '.env.example': 'A=1\n' }, 'compose.yaml', 'compose-env-file-missing'), ['info 4']);
    assert.deepEqual(await findings({ 'compose.yaml': text }, 'compose.yaml', 'compose-env-file-missing'), ['warning 4']);
  });

  it('is info when a .gitignore keeps the file out of the repository, a README names it, or Portainer writes it', async () => {
    assert.deepEqual(await findings({ ...REPO, 'deploy/compose.yaml': text, '.gitignore': 'node_modules/\n.env\n' }, 'deploy/compose.yaml', 'compose-env-file-missing'), ['info 4']);
    assert.deepEqual(await findings({ ...REPO, 'compose.yaml': text, '.gitignore': 'node_modules/\n' }, 'compose.yaml', 'compose-env-file-missing'), ['warning 4']);
    assert.deepEqual(await findings({ ...REPO, 'compose.yaml': text, 'README.md': 'Put `APP_KEY=...` into `.env` first.\n' }, 'compose.yaml', 'compose-env-file-missing'), ['info 4']);
    // a README naming another file (`.env.local`) does not explain this one
    assert.deepEqual(await findings({ ...REPO, 'compose.yaml': text, 'README.md': 'Edit .env.local and app.env\n' }, 'compose.yaml', 'compose-env-file-missing'), ['warning 4']);
    // a comment of the compose file that names the file explains it; one naming another file does not
    assert.deepEqual(await findings({ ...REPO, 'compose.yaml': `# put APP_KEY into your .env file\n${text}` }, 'compose.yaml', 'compose-env-file-missing'), ['info 5']);
    assert.deepEqual(await findings({ ...REPO, 'compose.yaml': `# see .env.example\n${text}` }, 'compose.yaml', 'compose-env-file-missing'), ['warning 5']);
    const stack = 'services:\n  app:\n    image: a:1\n    env_file: stack.env\n';
    const got = await lint(path.join(tempTree({ ...REPO, 'compose.yaml': stack }), 'compose.yaml'), { only: ['compose-env-file-missing'] });
    assert.deepEqual(got.map((f) => f.severity), ['info']);
    assert.match(got[0].message, /Portainer writes it/);
  });
});

describe('compose-build-path in a submodule that is not checked out', () => {
  const text = 'services:\n  app:\n    build: ./vendor/app\n';
  it('is info when .gitmodules lists the path, an error otherwise', async () => {
    const gitmodules = '[submodule "app"]\n\tpath = vendor/app\n\turl = https://example.com/app.git\n';
    assert.deepEqual(await findings({ 'compose.yaml': text, '.gitmodules': gitmodules }, 'compose.yaml', 'compose-build-path'), ['info 3']);
    assert.deepEqual(await findings({ 'compose.yaml': text }, 'compose.yaml', 'compose-build-path'), ['error 3']);
  });
});

describe('compose-healthcheck-missing on a database nothing waits for', () => {
  it('is info when no service depends on it, a warning when one does (profiles enabled together included)', async () => {
    const alone = 'services:\n  db:\n    image: postgres:16\n';
    assert.deepEqual(await findings({ 'compose.yaml': alone }, 'compose.yaml', 'compose-healthcheck-missing'), ['info 2']);
    const used = `${alone}  app:\n    image: a:1\n    depends_on:\n      - db\n`;
    assert.deepEqual(await findings({ 'compose.yaml': used }, 'compose.yaml', 'compose-healthcheck-missing'), ['warning 2']);
    const profiled = 'services:\n  db:\n    image: postgres:16\n    profiles: [postgres]\n  app:\n    image: a:1\n    profiles: [web]\n    depends_on:\n      db:\n        condition: service_started\n        required: false\n';
    assert.deepEqual(await findings({ 'compose.yaml': profiled }, 'compose.yaml', 'compose-healthcheck-missing'), ['warning 2']);
  });
});
