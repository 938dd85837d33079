// The effective compose project: profiles decide which services meet, nested anchors expand without a fixed alias
// limit (an alias bomb still stops), and the reproducers of the project-model issue with their exact findings.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { expandedNodeCount, parseCompose } from '../../server/src/parse/compose';
import { canRunTogether, profilesOf } from '../../server/src/model/composeProfiles';
import { formatFindings, lint, tmpProject } from '../helpers';

const PORTS = ['compose-port-conflict'];

describe('compose profiles', () => {
  const twoNginx = (admin: string) =>
    `services:\n  app:   { image: nginx:1.27, ports: ["8080:80"], profiles: [web] }\n  admin: { image: nginx:1.27, ports: ["8080:80"], profiles: ${admin} }\n`;

  it('finds no port conflict between services in disjoint profiles', async () => {
    const dir = tmpProject({ 'compose.yaml': twoNginx('[ops]') });
    assert.equal(formatFindings(await lint(path.join(dir, 'compose.yaml'), { only: PORTS })), '');
  });

  it('finds exactly one conflict once the two share a profile', async () => {
    const dir = tmpProject({ 'compose.yaml': twoNginx('[ops, web]') });
    assert.equal(formatFindings(await lint(path.join(dir, 'compose.yaml'), { only: PORTS })),
      '3:39 compose-port-conflict Host port 8080 is also published by service `app` (line 2); only one container can bind it.\n');
  });

  it('treats a service without profiles as always on', async () => {
    const text = 'services:\n  app: { image: nginx:1.27, ports: ["8080:80"] }\n  admin: { image: nginx:1.27, ports: ["8080:80"], profiles: [ops] }\n';
    const dir = tmpProject({ 'compose.yaml': text });
    assert.equal(formatFindings(await lint(path.join(dir, 'compose.yaml'), { only: PORTS })),
      '3:39 compose-port-conflict Host port 8080 is also published by service `app` (line 2); only one container can bind it.\n');
  });

  it('takes the profiles an override file sets', async () => {
    const dir = tmpProject({
      'compose.yaml': twoNginx('[ops]'),
      'compose.override.yaml': 'services:\n  admin:\n    profiles: [web]\n',
    });
    assert.equal(formatFindings(await lint(path.join(dir, 'compose.yaml'), { only: PORTS })),
      '3:39 compose-port-conflict Host port 8080 is also published by service `app` (line 2); only one container can bind it.\n');
  });

  it('counts a dependency only for dependents that can be up with it', async () => {
    const text = (profile: string) => 'services:\n  queue:\n    image: example/queue:1.0\n    profiles: [jobs]\n' +
      `  app:\n    image: example/app:1.0\n    profiles: [${profile}]\n    depends_on: [queue]\n`;
    const apart = tmpProject({ 'compose.yaml': text('web') });
    assert.equal(formatFindings(await lint(path.join(apart, 'compose.yaml'), { only: ['compose-healthcheck-missing'] })), '');
    const together = tmpProject({ 'compose.yaml': text('jobs') });
    assert.equal(formatFindings(await lint(path.join(together, 'compose.yaml'), { only: ['compose-healthcheck-missing'] })),
      '2:3 compose-healthcheck-missing Service `queue` is a dependency of other services but has no health check, so dependents cannot wait until it is ready; add a `healthcheck:`.\n');
  });

  it('counts a volume mounted only by a profiled service as used', async () => {
    const text = 'services:\n  db:\n    image: example/db:1.0\n    profiles: [debug]\n    volumes: ["data:/data"]\nvolumes:\n  data:\n';
    const dir = tmpProject({ 'compose.yaml': text });
    assert.equal(formatFindings(await lint(path.join(dir, 'compose.yaml'), { only: ['compose-unused-volume', 'compose-undeclared-volume'] })), '');
  });

  it('reads profiles with their variable defaults', () => {
    assert.deepEqual(profilesOf({ profiles: ['${P:-web}', 'ops', 3] }), ['web', 'ops']);
    assert.equal(canRunTogether([], ['ops']), true);
    assert.equal(canRunTogether(['web'], ['ops']), false);
    assert.equal(canRunTogether(['web', 'ops'], ['ops']), true);
  });
});

/** The 61-service stack of the issue: nested anchors with merge keys, used sixty times. */
function nestedAnchors(): string {
  let text = 'x-healthy: &healthy\n  condition: service_healthy\nx-api: &api\n  image: busybox:1.36\n  volumes: ["pgdata:/data"]\n' +
    '  depends_on: { db: { <<: *healthy } }\nx-worker: &worker\n  image: busybox:1.36\n  depends_on: { db: { <<: *healthy } }\n' +
    'services:\n  db: { image: "postgres:17", healthcheck: { test: ["CMD", "pg_isready"] } }\n';
  for (let i = 0; i < 30; i++) text += `  api${i}: { <<: *api }\n`;
  for (let i = 0; i < 30; i++) text += `  worker${i}: { <<: *worker }\n`;
  return `${text}volumes: { pgdata: {} }\n`;
}

describe('compose anchors', () => {
  it('reads nested anchors used many times (no fixed alias limit)', () => {
    const p = parseCompose(nestedAnchors());
    assert.deepEqual(p.problems, []);
    assert.equal(p.services.length, 61);
    assert.deepEqual(p.service('api29')?.value.depends_on, { db: { condition: 'service_healthy' } });
    assert.deepEqual(p.service('worker0')?.value.image, 'busybox:1.36');
  });

  it('runs every rule on all 61 services: pgdata is mounted and db is awaited healthy', async () => {
    const dir = tmpProject({ 'compose.yaml': nestedAnchors() });
    const findings = await lint(path.join(dir, 'compose.yaml'));
    const byRule = new Map<string, number>();
    for (const f of findings) byRule.set(f.rule, (byRule.get(f.rule) ?? 0) + 1);
    assert.deepEqual(Object.fromEntries([...byRule].sort()), {
      'compose-healthcheck-options': 1,
      'compose-no-new-privileges': 61,
      'compose-read-only': 61,
      'compose-resource-limits': 61,
    });
    assert.equal(formatFindings(findings.filter((f) => f.rule === 'compose-healthcheck-options')),
      '11:31 compose-healthcheck-options Service `db`: the health check does not set `interval`, `timeout`, `start_period` (PostgreSQL needs a start period); set them explicitly.\n');
  });

  it('counts expanded nodes once per anchor, and stops an alias bomb with one problem', () => {
    const p = parseCompose('a: &a [1, 2, 3]\nb: &b [*a, *a, *a]\nc: [*b, *b]\n');
    assert.deepEqual(p.problems, []);
    // root map (1) + keys (3) + a (4) + b (1 + 3*4) + c (1 + 2*13)
    assert.equal(expandedNodeCount(p.documents[0]), 1 + 3 + 4 + 13 + 27);
    let bomb = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 9; i++) bomb += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]\n`;
    bomb += 'services:\n  web:\n    image: nginx:1.27\n    labels: *a8\n';
    const b = parseCompose(bomb);
    assert.equal(b.problems.length, 1, JSON.stringify(b.problems));
    assert.match(b.problems[0].message, /^The YAML cannot be read: its aliases expand to more than 2,000,000 nodes/);
    assert.equal(b.services.length, 0);
  });

  it('keeps a recursive anchor readable', () => {
    const p = parseCompose('x-a: &a\n  self: *a\nservices:\n  web:\n    image: nginx:1.27\n');
    assert.equal(p.services.length, 1);
  });
});

describe('compose projects across files', () => {
  const only = (...rules: string[]) => ({ only: rules });

  it('judges a base fragment reached through extends with the volumes its user declares', async () => {
    const dir = tmpProject({
      'base/compose.base.yml': 'services:\n  app:\n    image: acme/app:1\n    volumes: ["data:/data"]\n    healthcheck: { test: ["CMD", "true"] }\n',
      'compose.yaml': 'services:\n  api:\n    extends: { file: base/compose.base.yml, service: app }\n  web:\n    image: nginx:1.27\n    depends_on: [api]\nvolumes:\n  data: {}\n',
    });
    assert.equal(formatFindings(await lint(path.join(dir, 'base', 'compose.base.yml'), only('compose-undeclared-volume', 'compose-unused-volume'))), '');
    assert.equal(formatFindings(await lint(path.join(dir, 'compose.yaml'), only('compose-undeclared-volume', 'compose-unused-volume'))), '');
    // the health check comes from the base service
    assert.equal(formatFindings(await lint(path.join(dir, 'compose.yaml'), only('compose-depends-on-healthy', 'compose-healthcheck-missing'))),
      '6:18 compose-depends-on-healthy Service `web` only waits for `api` to start, although `api` has a health check; use `condition: service_healthy`.\n');
  });

  it('still reports a fragment\'s volume that no user declares, once, in the fragment', async () => {
    const dir = tmpProject({
      'base/compose.base.yml': 'services:\n  app:\n    image: acme/app:1\n    volumes: ["data:/data"]\n',
      'compose.yaml': 'services:\n  api:\n    extends: { file: base/compose.base.yml, service: app }\n',
    });
    assert.equal(formatFindings(await lint(path.join(dir, 'base', 'compose.base.yml'), only('compose-undeclared-volume'))),
      '4:15 compose-undeclared-volume Service `app` mounts the named volume `data`, which the top-level `volumes:` does not declare.\n');
    assert.equal(formatFindings(await lint(path.join(dir, 'compose.yaml'), only('compose-undeclared-volume'))), '');
  });

  it('follows include with project_directory: the includer declares, the included file mounts', async () => {
    const dir = tmpProject({
      'compose.yaml': 'include:\n  - path: db/compose.yaml\n    project_directory: db\nservices:\n  app:\n    image: acme/app:1\n    depends_on: [db]\nvolumes:\n  pgdata: {}\n',
      'db/compose.yaml': 'services:\n  db:\n    image: postgres:17\n    volumes: ["pgdata:/var/lib/postgresql/data"]\n    healthcheck: { test: ["CMD", "pg_isready"] }\n',
    });
    const rules = only('compose-undeclared-volume', 'compose-unused-volume', 'compose-depends-on-healthy', 'compose-healthcheck-missing');
    assert.equal(formatFindings(await lint(path.join(dir, 'db', 'compose.yaml'), rules)), '');
    assert.equal(formatFindings(await lint(path.join(dir, 'compose.yaml'), rules)),
      '7:18 compose-depends-on-healthy Service `app` only waits for `db` to start, although `db` has a health check; use `condition: service_healthy`.\n');
  });

  it('merges the files COMPOSE_FILE names in .env, and interpolates from .env', async () => {
    const dir = tmpProject({
      '.env': 'COMPOSE_FILE=compose.yaml:compose.ci.yaml\nWEB_PORT=8080\n',
      'compose.yaml': 'services:\n  web:\n    image: nginx:1.27\n    ports: ["${WEB_PORT}:80"]\n',
      'compose.ci.yaml': 'services:\n  admin:\n    image: nginx:1.27\n    ports: ["8080:80"]\n',
    });
    assert.equal(formatFindings(await lint(path.join(dir, 'compose.ci.yaml'), { only: PORTS })),
      '4:13 compose-port-conflict Host port 8080 is also published by service `web` in compose.yaml:4; only one container can bind it.\n');
  });
});

describe('settings written through extends', () => {
  const HARDENED = '    read_only: true\n    tmpfs: [/tmp]\n    security_opt: [no-new-privileges:true]\n    mem_limit: 512m\n    healthcheck: { test: ["CMD", "pg_isready"] }\n';
  const RULES = ['compose-read-only', 'compose-no-new-privileges', 'compose-resource-limits', 'compose-healthcheck-missing'];

  it('counts what the base adds for the service that extends it', async () => {
    const dir = tmpProject({
      'compose.yaml': `services:\n  base:\n    image: postgres:17\n${HARDENED}  db:\n    extends: base\n` +
        '  replica:\n    extends: { file: compose.shared.yml, service: pg }\n',
      'compose.shared.yml': `services:\n  pg:\n    image: postgres:17\n${HARDENED}`,
    });
    assert.equal(formatFindings(await lint(path.join(dir, 'compose.yaml'), { only: RULES })), '');
  });

  it('follows a build inherited through extends to its Dockerfile health check, without checking its paths twice', async () => {
    const dir = tmpProject({
      'compose.shared.yml': 'services:\n  app:\n    build: ./app\n',
      'app/Dockerfile': 'FROM node:22-slim\nHEALTHCHECK CMD node -e "process.exit(0)"\nCMD ["node", "server.js"]\n',
      'compose.yaml': 'services:\n  web:\n    extends: { file: compose.shared.yml, service: app }\n  api:\n    image: acme/api:1\n    depends_on: [web]\n',
    });
    assert.equal(formatFindings(await lint(path.join(dir, 'compose.yaml'), { only: ['compose-depends-on-healthy', 'compose-build-path', 'compose-healthcheck-missing'] })),
      '6:18 compose-depends-on-healthy Service `api` only waits for `web` to start, although `web` has a health check; use `condition: service_healthy`.\n');
  });

  it('judges a fragment by the services extending it, and reports it once when one of them lacks the setting', async () => {
    const files = (extra: string) => ({
      'base/compose.fragment.yml': 'services:\n  pg:\n    image: postgres:17\n',
      'compose.yaml': `services:\n  db:\n    extends: { file: base/compose.fragment.yml, service: pg }\n${HARDENED}${extra}`,
    });
    const covered = tmpProject(files(''));
    assert.equal(formatFindings(await lint(path.join(covered, 'base', 'compose.fragment.yml'), { only: RULES })), '');
    const partly = tmpProject(files('  db2:\n    extends: { file: base/compose.fragment.yml, service: pg }\n    mem_limit: 256m\n    healthcheck: { test: ["CMD", "true"] }\n'));
    assert.equal(formatFindings(await lint(path.join(partly, 'base', 'compose.fragment.yml'), { only: RULES })),
      '2:3 compose-no-new-privileges Service `pg` does not set `no-new-privileges:true`, so a setuid binary could raise a process\'s privileges.\n' +
      '2:3 compose-read-only Service `pg` has a writable root filesystem; set `read_only: true` with a tmpfs for /tmp.\n');
  });
});

describe('ports across included files', () => {
  it('finds a clash between a service and an included one, in each file where a side is written', async () => {
    const dir = tmpProject({
      'compose.yaml': 'include:\n  - db/compose.yaml\nservices:\n  app:\n    image: acme/app:1\n    ports: ["5432:8080"]\n',
      'db/compose.yaml': 'services:\n  db:\n    image: postgres:17\n    ports: ["5432:5432"]\n',
    });
    assert.equal(formatFindings(await lint(path.join(dir, 'compose.yaml'), { only: PORTS })),
      '6:13 compose-port-conflict Host port 5432 is also published by service `db` in db/compose.yaml:4; only one container can bind it.\n');
    assert.equal(formatFindings(await lint(path.join(dir, 'db', 'compose.yaml'), { only: PORTS })),
      '4:13 compose-port-conflict Host port 5432 is also published by service `app` in ../compose.yaml:6; only one container can bind it.\n');
  });
});

describe('values written once in an anchor', () => {
  it('are reported once, where they are written, not once per service merging them', async () => {
    const dir = tmpProject({ 'compose.yaml': nestedAnchors().replace('volumes: { pgdata: {} }\n', '') });
    assert.equal(formatFindings(await lint(path.join(dir, 'compose.yaml'), { only: ['compose-undeclared-volume'] })),
      '5:13 compose-undeclared-volume Service `api0` mounts the named volume `pgdata`, which the top-level `volumes:` does not declare.\n');
  });
});
