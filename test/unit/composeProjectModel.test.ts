// The effective compose project as Compose builds it: default files and COMPOSE_FILE, .env interpolation, include
// with project_directory and env_file, extends in the same file and from another file, !reset/!override, profiles.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultComposeFiles, loadComposeModel, projectEnv } from '../../server/src/model/composeProject';
import { parseDotenv } from '../../server/src/model/dotenv';
import { mergeService } from '../../server/src/model/composeMerge';
import { nodeHost } from '../../server/src/core/fileHost';
import { tmpProject } from '../helpers';

const svc = (m: Awaited<ReturnType<typeof loadComposeModel>>, name: string) => m.services.find((s) => s.name === name);

describe('dotenv', () => {
  it('reads quotes, export, comments and references', () => {
    const env = parseDotenv('# c\nexport A=1\nB="x ${A}\\n"\nC=\'${A}\'\nD=plain # note\nE\nF=${HOME_X:-d}\n', { HOME_X: '' });
    assert.deepEqual(env, { A: '1', B: 'x 1\n', C: '${A}', D: 'plain', F: 'd' });
  });
});

describe('compose project files', () => {
  it('takes compose.yaml with its override, or COMPOSE_FILE from .env', async () => {
    const dir = tmpProject({ 'compose.yaml': 'services: {}\n', 'compose.override.yml': 'services: {}\n', 'ci.yaml': 'services: {}\n' });
    assert.deepEqual(await defaultComposeFiles(nodeHost, dir, {}), [path.join(dir, 'compose.yaml'), path.join(dir, 'compose.override.yml')]);
    const env = await projectEnv(nodeHost, dir, undefined, {});
    assert.deepEqual(env, {});
    const listed = tmpProject({ '.env': 'COMPOSE_FILE=compose.yaml:ci.yaml\nCOMPOSE_PROFILES=debug\n', 'compose.yaml': 'services: {}\n' });
    const lenv = await projectEnv(nodeHost, listed, undefined, {});
    assert.deepEqual(await defaultComposeFiles(nodeHost, listed, lenv), [path.join(listed, 'compose.yaml'), path.join(listed, 'ci.yaml')]);
  });
});

describe('effective compose project', () => {
  it('merges an override with !reset and !override, interpolates from .env and enables COMPOSE_PROFILES', async () => {
    const dir = tmpProject({
      '.env': 'TAG=1.27\nCOMPOSE_PROFILES=debug\n',
      'compose.yaml': 'name: Shop\nservices:\n  web:\n    image: nginx:${TAG}\n    ports: ["80:80"]\n    environment: [A=1, B=2]\n' +
        '    healthcheck: { test: ["CMD", "true"], interval: 5s }\n  tools:\n    image: busybox:1.36\n    profiles: [debug]\n  extra:\n    image: busybox:1.36\n    profiles: [never]\n',
      'compose.override.yaml': 'services:\n  web:\n    ports: !override ["8080:80"]\n    environment: { B: "3" }\n    healthcheck: { test: ["CMD", "false"] }\n    labels: !reset {}\n',
    });
    const env = await projectEnv(nodeHost, dir, undefined, {});
    const m = await loadComposeModel(nodeHost, await defaultComposeFiles(nodeHost, dir, env));
    assert.equal(m.name, 'shop');
    const web = svc(m, 'web')!;
    assert.equal(web.image, 'nginx:1.27');
    assert.deepEqual(web.ports.map((p) => p.host), [[8080, 8080]]);
    assert.deepEqual(web.value.environment, { A: '1', B: '3' });
    assert.deepEqual(web.healthcheck, { test: ['CMD', 'false'], interval: '5s' });
    assert.deepEqual(web.files, [path.join(dir, 'compose.yaml'), path.join(dir, 'compose.override.yaml')]);
    assert.deepEqual(m.services.map((s) => [s.name, s.active]), [['web', true], ['tools', true], ['extra', false]]);
  });

  it('follows extends in the same file and from another file, with paths relative to the file that wrote them', async () => {
    const dir = tmpProject({
      'base/common.yml': 'services:\n  app:\n    build: ./app\n    volumes: ["./data:/data", "cache:/cache"]\n    healthcheck: { test: ["CMD", "true"] }\n',
      'compose.yaml': 'services:\n  api:\n    extends: { file: base/common.yml, service: app }\n    image: acme/api:1\n' +
        '  worker:\n    extends: api\n    command: ["work"]\nvolumes:\n  cache: {}\n',
    });
    const m = await loadComposeModel(nodeHost, [path.join(dir, 'compose.yaml')]);
    const api = svc(m, 'api')!;
    assert.equal(api.build?.context, path.join(dir, 'base', 'app'));
    assert.deepEqual(api.volumes.map((v) => [v.type, v.source, v.target]), [['bind', path.join(dir, 'base', 'data'), '/data'], ['volume', 'cache', '/cache']]);
    assert.deepEqual(api.healthcheck, { test: ['CMD', 'true'] });
    assert.equal(api.value.extends, undefined);
    const worker = svc(m, 'worker')!;
    assert.deepEqual([worker.image, worker.value.command, worker.files.map((f) => path.relative(dir, f))], ['acme/api:1', ['work'], ['base/common.yml', 'compose.yaml', 'compose.yaml']]);
    assert.deepEqual(m.volumes, ['cache']);
    assert.deepEqual(m.problems, []);
  });

  it('includes files in the short and long forms, with project_directory and env_file', async () => {
    const root = tmpProject({
      'proj/compose.yaml': 'include:\n  - db/compose.yaml\n  - path: ../shared/cache.yaml\n    project_directory: ../shared\n    env_file: cache.env\n' +
        'services:\n  app:\n    image: acme/app:1\n    depends_on: { db: { condition: service_healthy }, cache: { condition: service_started, required: false } }\n',
      'proj/db/compose.yaml': 'services:\n  db:\n    image: postgres:${PG:-17}\n    volumes: ["./init:/docker-entrypoint-initdb.d"]\nvolumes:\n  pgdata: {}\n',
      'proj/db/.env': 'PG=16\n',
      'proj/cache.env': 'CACHE_TAG=7\n',
      'shared/cache.yaml': 'services:\n  cache:\n    image: redis:${CACHE_TAG}\n    build: ./ctx\n',
    });
    const dir = path.join(root, 'proj');
    const m = await loadComposeModel(nodeHost, [path.join(dir, 'compose.yaml')]);
    assert.deepEqual(m.services.map((s) => s.name).sort(), ['app', 'cache', 'db']);
    assert.equal(svc(m, 'db')!.image, 'postgres:16');
    assert.equal(svc(m, 'db')!.volumes[0].source, path.join(dir, 'db', 'init'));
    assert.equal(svc(m, 'cache')!.image, 'redis:7');
    assert.equal(svc(m, 'cache')!.build?.context, path.join(root, 'shared', 'ctx'));
    assert.deepEqual(svc(m, 'app')!.dependsOn, { db: { condition: 'service_healthy', required: true }, cache: { condition: 'service_started', required: false } });
    assert.deepEqual(m.volumes, ['pgdata']);
    assert.deepEqual(m.problems, []);
  });

  it('adds the dependencies Compose infers, and prints mounts as Compose does', async () => {
    const dir = tmpProject({
      'compose.yaml': 'services:\n  db: { image: postgres:17 }\n  cache: { image: redis:7 }\n  net: { image: busybox:1.36 }\n' +
        '  app:\n    image: acme/app:1\n    links: ["db:database"]\n    network_mode: service:net\n    volumes_from: [cache, "container:other"]\n' +
        '    volumes: ["./html/:/var/www/html/", "~/data:/data"]\n',
    });
    const app = svc(await loadComposeModel(nodeHost, [path.join(dir, 'compose.yaml')]), 'app')!;
    assert.deepEqual(Object.keys(app.dependsOn).sort(), ['cache', 'db', 'net']);
    assert.deepEqual(app.volumes.map((v) => [v.source, v.target]), [[path.join(dir, 'html'), '/var/www/html'], [path.join(os.homedir(), 'data'), '/data']]);
  });

  it('merges lists the way Compose does: mounts by target, commands replaced, depends_on by name', () => {
    const merged = mergeService(
      { volumes: ['a:/data', './x:/x'], command: ['a'], depends_on: ['db'], dns: ['1.1.1.1'] },
      { volumes: ['b:/data'], command: ['b'], depends_on: { cache: { condition: 'service_healthy' } }, dns: ['8.8.8.8'] },
    );
    assert.deepEqual(merged, {
      volumes: ['b:/data', './x:/x'], command: ['b'], dns: ['1.1.1.1', '8.8.8.8'],
      depends_on: { db: { condition: 'service_started', required: true }, cache: { condition: 'service_healthy', required: true } },
    });
  });
});
