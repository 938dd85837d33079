// Where compose findings land when a value is written in another file than the service that runs it: a base reached
// through `extends:` or `include:` reports its own values once, there; a fragment that is only a building block
// reports nothing its users complete; a host port inherited through `extends:` or merged from an anchor clashes like
// a written one, reported once where it can be changed.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintFile } from '../../server/src/engine/lintFile';
import { nodeHost } from '../../server/src/core/fileHost';
import { formatFindings, lint, tmpProject } from '../helpers';

/** Rules about what one service writes (the hardening rules that every sample lacks are left out). */
const WRITTEN = ['compose-image-latest', 'compose-privileged', 'compose-secret-in-env', 'compose-env-file-missing', 'compose-build-path',
  'compose-healthcheck-options', 'compose-healthcheck-missing', 'compose-undeclared-volume', 'compose-unused-volume', 'compose-schema', 'compose-port-conflict'];

async function findings(dir: string, file: string, only = WRITTEN): Promise<string> {
  // `curator-compose.yml` is compose by its content (the CLI's classification), not by the editor's name patterns
  if (!/^(docker-)?compose/.test(path.basename(file))) {
    const abs = path.join(dir, file);
    const r = await lintFile(abs, fs.readFileSync(abs, 'utf8'), { host: nodeHost, enableAll: true, language: 'compose' });
    return formatFindings(r.findings.filter((f) => only.includes(f.rule)));
  }
  return formatFindings(await lint(path.join(dir, file), { only }));
}

describe('values written in a base file', () => {
  it('are reported once, in the base that extends: reaches, and never in the files extending it', async () => {
    const dir = tmpProject({
      'base/compose.common.yml': 'services:\n  app:\n    image: acme/app:1\n    privileged: true\n    environment:\n      DB_PASSWORD: hunter2hunter2\n' +
        '    env_file: app.env\n    build: ./missing\n    healthcheck:\n      test: ["CMD", "true"]\n',
      'compose.yaml': 'services:\n  api:\n    extends: { file: base/compose.common.yml, service: app }\n  web:\n    extends: { file: base/compose.common.yml, service: app }\n',
    });
    assert.equal(await findings(dir, 'base/compose.common.yml'),
      '4:17 compose-privileged Service `app` runs privileged, with full access to the host\'s devices and kernel; grant only the capabilities it needs.\n' +
      '6:20 compose-secret-in-env Service `app` sets `DB_PASSWORD` to a literal value (hu***); reference a variable from an untracked .env file or use Compose secrets.\n' +
      '7:15 compose-env-file-missing Service `app` reads `app.env`, which does not exist; create it or mark the entry `required: false`.\n' +
      '8:12 compose-build-path Service `app`: the build context `./missing` does not exist.\n' +
      '9:5 compose-healthcheck-options Service `app`: the health check does not set `interval`, `timeout`; set them explicitly.\n');
    assert.equal(await findings(dir, 'compose.yaml'), '');
  });

  it('are reported once, in the file include: reads, and never in the file including it', async () => {
    const dir = tmpProject({
      'db/compose.yaml': 'services:\n  db:\n    image: postgres:latest\n    privileged: true\n    environment:\n      POSTGRES_PASSWORD: hunter2hunter2\n    env_file: db.env\n',
      'compose.yaml': 'include:\n  - db/compose.yaml\nservices:\n  app:\n    image: acme/app:1\n    depends_on: [db]\n',
    });
    assert.equal(await findings(dir, 'db/compose.yaml'),
      '2:3 compose-healthcheck-missing Service `db` runs PostgreSQL but has no health check, so dependents cannot wait until it is ready; add a `healthcheck:` with its native probe.\n' +
      '3:12 compose-image-latest Service `db` uses `:latest`, which changes whenever upstream pushes; pin a version tag.\n' +
      '4:17 compose-privileged Service `db` runs privileged, with full access to the host\'s devices and kernel; grant only the capabilities it needs.\n' +
      '6:26 compose-secret-in-env Service `db` sets `POSTGRES_PASSWORD` to a literal value (hu***); reference a variable from an untracked .env file or use Compose secrets.\n' +
      '7:15 compose-env-file-missing Service `db` reads `db.env`, which does not exist; create it or mark the entry `required: false`.\n');
    assert.equal(await findings(dir, 'compose.yaml'), '');
  });

  it('are judged with what the files using the base declare: a dependency they give a health check', async () => {
    const files = (hc: string) => ({
      'compose.base.yml': 'services:\n  app:\n    image: acme/app:1\n    depends_on: [db]\n',
      'compose.yaml': `services:\n  api:\n    extends: { file: compose.base.yml, service: app }\n  db:\n    image: postgres:17\n${hc}`,
    });
    const RULES = ['compose-depends-on-healthy', 'compose-healthcheck-missing'];
    const checked = tmpProject(files('    healthcheck: { test: ["CMD", "pg_isready"] }\n'));
    assert.equal(await findings(checked, 'compose.base.yml', RULES),
      '4:18 compose-depends-on-healthy Service `app` only waits for `db` to start, although `db` has a health check; use `condition: service_healthy`.\n');
    assert.equal(await findings(checked, 'compose.yaml', RULES), '');
    const unchecked = tmpProject(files(''));
    assert.equal(await findings(unchecked, 'compose.base.yml', RULES), '');
    assert.equal(await findings(unchecked, 'compose.yaml', RULES),
      '4:3 compose-healthcheck-missing Service `db` runs PostgreSQL but has no health check, so dependents cannot wait until it is ready; add a `healthcheck:` with its native probe.\n');
  });

  it('leave a fragment that is only a building block silent about what its users complete', async () => {
    const dir = tmpProject({
      'compose.base.yml': 'services:\n  app:\n    environment: [A=1]\n    volumes: ["data:/data"]\n',
      'compose.yaml': 'services:\n  api:\n    extends: { file: compose.base.yml, service: app }\n    image: acme/api:1\nvolumes:\n  data: {}\n',
    });
    assert.equal(await findings(dir, 'compose.base.yml'), '');
    assert.equal(await findings(dir, 'compose.yaml'), '');
  });
});

describe('paths in a compose file that is a later -f file of a project above', () => {
  const RULES = ['compose-build-path', 'compose-env-file-missing'];
  const tree = (extension: string, extra: Record<string, string> = {}) => tmpProject({
    'compose.yml': 'services:\n  es:\n    image: elasticsearch:8.17.0\nnetworks:\n  elk: {}\n',
    'extensions/curator/Dockerfile': 'FROM alpine:3.20\n',
    'extensions/curator/curator.env': 'A=1\n',
    'extensions/curator/curator-compose.yml': extension,
    ...extra,
  });
  const EXTENSION = 'services:\n  curator:\n    build:\n      context: extensions/curator/\n    env_file: extensions/curator/curator.env\n    networks: [elk]\n';

  it('resolve against the folder of the project\'s first file, as `-f compose.yml -f extensions/curator/curator-compose.yml` does', async () => {
    const dir = tree(EXTENSION);
    assert.equal(await findings(dir, 'extensions/curator/curator-compose.yml', RULES), '');
    const declared = tree(EXTENSION, { '.hullcheck.yaml': 'composeProjects:\n  - [compose.yml, extensions/curator/curator-compose.yml]\n' });
    assert.equal(await findings(declared, 'extensions/curator/curator-compose.yml', RULES), '');
  });

  it('resolve a Dockerfile that exists only from the project above (context `../..` of a suite)', async () => {
    const dir = tmpProject({
      'internal/suites/compose.yml': 'services:\n  web:\n    image: nginx:1.27\n',
      'internal/suites/example/pam/compose.yml': 'services:\n  pam:\n    build:\n      context: ../..\n      dockerfile: internal/suites/example/pam/Dockerfile\n',
      'internal/suites/example/pam/Dockerfile': 'FROM alpine:3.20\n',
    });
    assert.equal(await findings(dir, 'internal/suites/example/pam/compose.yml', RULES), '');
  });

  it('count the volumes the files they are combined with declare', async () => {
    const files = {
      'compose.yaml': 'services:\n  backend:\n    image: acme/app:1\n    volumes: ["sites:/sites"]\nvolumes:\n  sites: {}\n',
      'overrides/compose.proxy.yaml': 'services:\n  proxy:\n    image: nginx:1.27\n    volumes: ["certs:/certs"]\nvolumes:\n  certs: {}\n',
      'overrides/compose.proxy-ssl.yaml': 'services:\n  acme:\n    image: acme/companion:2\n    volumes: ["certs:/certs", "sites:/sites", "nowhere:/x"]\n',
    };
    const dir = tmpProject(files);
    assert.equal(await findings(dir, 'overrides/compose.proxy-ssl.yaml', ['compose-undeclared-volume']),
      '4:47 compose-undeclared-volume Service `acme` mounts the named volume `nowhere`, which the top-level `volumes:` does not declare.\n');
    // a file that runs alone by its name is judged alone
    const alone = tmpProject({ ...files, 'compose.yaml': 'services:\n  backend:\n    image: acme/app:1\n    volumes: ["certs:/certs"]\n' });
    assert.equal(await findings(alone, 'compose.yaml', ['compose-undeclared-volume']),
      '4:15 compose-undeclared-volume Service `backend` mounts the named volume `certs`, which the top-level `volumes:` does not declare.\n');
  });

  it('leave a partial service (no image, build or extends) to the file that defines it, beside whole ones', async () => {
    const dir = tmpProject({
      'compose.yaml': 'services:\n  scheduler:\n    image: acme/erp:15\n    healthcheck: { test: ["CMD", "true"], interval: 5s, timeout: 3s }\n',
      'overrides/compose.backup-cron.yaml': 'services:\n  cron:\n    image: mcuadros/ofelia:0.3\n    depends_on: [scheduler]\n' +
        '  scheduler:\n    labels:\n      ofelia.enabled: "true"\n',
    });
    const found = await lint(path.join(dir, 'overrides', 'compose.backup-cron.yaml'));
    assert.deepEqual([...new Set(found.filter((f) => f.message.includes('`scheduler`')).map((f) => f.rule))], []);
    assert.deepEqual([...new Set(found.filter((f) => f.message.includes('`cron`')).map((f) => f.rule))].sort(),
      ['compose-no-new-privileges', 'compose-read-only', 'compose-resource-limits']);
  });

  it('are still reported when they exist nowhere', async () => {
    const dir = tree(EXTENSION.replace('context: extensions/curator/', 'context: extensions/nope/').replace('curator/curator.env', 'curator/missing.env'));
    assert.equal(await findings(dir, 'extensions/curator/curator-compose.yml', RULES),
      '4:16 compose-build-path Service `curator`: the build context `extensions/nope/` does not exist.\n' +
      '5:15 compose-env-file-missing Service `curator` reads `extensions/curator/missing.env`, which does not exist; create it or mark the entry `required: false`.\n');
  });
});

describe('host ports inherited through extends: or merged from an anchor', () => {
  const PORTS = ['compose-port-conflict'];
  const BASE = 'services:\n  app:\n    image: acme/app:1\n    ports: ["8080:80"]\n';

  it('clash when two services extend the same base: reported once, at the later extends, and not in the base', async () => {
    const dir = tmpProject({
      'compose.base.yml': BASE,
      'compose.yaml': 'services:\n  api:\n    extends: { file: compose.base.yml, service: app }\n  web:\n    extends: { file: compose.base.yml, service: app }\n',
    });
    assert.equal(await findings(dir, 'compose.yaml', PORTS),
      '5:5 compose-port-conflict Host port 8080 (through `extends` from compose.base.yml:4) is also published by service `api` (line 3, through `extends` from compose.base.yml:4); only one container can bind it.\n');
    assert.equal(await findings(dir, 'compose.base.yml', PORTS), '');
  });

  it('clash with a port written in the extending file, reported at the written one', async () => {
    const dir = tmpProject({
      'compose.base.yml': BASE,
      'compose.yaml': 'services:\n  api:\n    extends: { file: compose.base.yml, service: app }\n  admin:\n    image: nginx:1.27\n    ports: ["8080:80"]\n',
    });
    assert.equal(await findings(dir, 'compose.yaml', PORTS),
      '6:13 compose-port-conflict Host port 8080 is also published by service `api` (line 3, through `extends` from compose.base.yml:4); only one container can bind it.\n');
  });

  it('clash between a service and the one it extends in the same file', async () => {
    const dir = tmpProject({ 'compose.yaml': `${BASE}  api:\n    extends: app\n` });
    assert.equal(await findings(dir, 'compose.yaml', PORTS),
      '6:5 compose-port-conflict Host port 8080 (through `extends` from line 4) is also published by service `app` (line 4); only one container can bind it.\n');
  });

  it('do not clash once the extending service replaces them with !override', async () => {
    const dir = tmpProject({
      'compose.base.yml': BASE,
      'compose.yaml': 'services:\n  api:\n    extends: { file: compose.base.yml, service: app }\n  web:\n    extends: { file: compose.base.yml, service: app }\n    ports: !override ["8081:80"]\n',
    });
    assert.equal(await findings(dir, 'compose.yaml', PORTS), '');
  });

  it('do not clash with a service in a disjoint profile, the base\'s profiles inherited', async () => {
    const dir = tmpProject({
      'compose.base.yml': 'services:\n  app:\n    image: acme/app:1\n    ports: ["8080:80"]\n    profiles: [debug]\n',
      'compose.yaml': 'services:\n  api:\n    extends: { file: compose.base.yml, service: app }\n  web:\n    image: nginx:1.27\n    ports: ["8080:80"]\n    profiles: [prod]\n',
    });
    assert.equal(await findings(dir, 'compose.yaml', PORTS), '');
  });

  it('clash when two services merge one anchored entry: reported once, at that entry', async () => {
    const dir = tmpProject({ 'compose.yaml': 'x-app: &app\n  image: acme/app:1\n  ports: ["8080:80"]\nservices:\n  a:\n    <<: *app\n  b:\n    <<: *app\n' });
    assert.equal(await findings(dir, 'compose.yaml', PORTS),
      '3:11 compose-port-conflict Host port 8080 is published by both `a` and `b`, which share this entry; only one container can bind it.\n');
  });
});
