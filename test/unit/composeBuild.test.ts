// One reading of a service's `build:` for every consumer (rules, editor links, watchers, budgets, smoke test), and
// the HEALTHCHECK the smoke test links to taken from the final image's stages.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { resolveBuild } from '../../server/src/model/composeBuild';
import { parseCompose } from '../../server/src/parse/compose';
import { builtDockerfiles } from '../../server/src/features/composeLinks';
import { composeDependencies } from '../../server/src/features/watchedFiles';
import { readCompose } from '../../server/src/docker/workspace';
import { composeFacts } from '../../server/src/facts/composeFacts';
import { healthcheckLocation } from '../../server/src/smoke/run';
import { nodeHost } from '../../server/src/core/fileHost';
import { tmpProject } from '../helpers';

describe('build resolver', () => {
  const dir = path.resolve('/ws/app');

  it('reads the short and long forms relative to the compose file', () => {
    assert.deepEqual(resolveBuild('.', dir), { context: dir, dockerfile: path.join(dir, 'Dockerfile'), args: {}, unknown: false });
    assert.deepEqual(resolveBuild({ context: '..', dockerfile: 'docker/Dockerfile.dev', target: 'dev', args: { A: 1, B: null } }, dir, { B: 'b' }), {
      context: path.resolve('/ws'), dockerfile: path.resolve('/ws/docker/Dockerfile.dev'), target: 'dev', args: { A: '1', B: 'b' }, unknown: false,
    });
    assert.deepEqual(resolveBuild({ dockerfile: '/abs/Containerfile' }, dir)?.dockerfile, path.resolve('/abs/Containerfile'));
    assert.equal(resolveBuild(undefined, dir), undefined);
    assert.equal(resolveBuild(['.'], dir), undefined);
  });

  it('keeps remote contexts remote and inline Dockerfiles inline', () => {
    for (const url of ['https://github.com/acme/app.git#main', 'git@github.com:acme/app.git', 'github.com/acme/app', 'https://example.com/ctx.tar.gz']) {
      const b = resolveBuild({ context: url, dockerfile: 'Dockerfile' }, dir);
      assert.deepEqual([b?.remote, b?.context, b?.dockerfile], [url, undefined, undefined], url);
    }
    const inline = resolveBuild({ context: '.', dockerfile_inline: 'FROM alpine:3.20\n' }, dir);
    assert.deepEqual([inline?.context, inline?.dockerfile, inline?.inline], [dir, undefined, 'FROM alpine:3.20\n']);
  });

  it('interpolates with the environment and defaults, and says when a variable is unknown', () => {
    assert.equal(resolveBuild({ context: '${CTX:-./api}' }, dir)?.context, path.join(dir, 'api'));
    assert.equal(resolveBuild({ context: '${CTX}' }, dir, { CTX: 'web' })?.context, path.join(dir, 'web'));
    const unknown = resolveBuild({ context: '${CTX}', args: ['V=${VERSION}', 'PLAIN'] }, dir);
    assert.deepEqual([unknown?.context, unknown?.unknown, unknown?.args], [undefined, true, { V: '', PLAIN: undefined }]);
  });

  it('gives the same Dockerfile to the rules, the links, the watchers and the budgets', async () => {
    const text = 'services:\n  api:\n    build: { context: "${CTX:-.}", dockerfile: docker/Dockerfile }\n' +
      '  remote:\n    build: https://github.com/acme/app.git\n  inline:\n    build: { dockerfile_inline: "FROM alpine:3.20" }\n' +
      '  unknown:\n    build: { context: "$NOPE" }\n';
    const ws = tmpProject({ 'compose.yaml': text, 'docker/Dockerfile': 'FROM alpine:3.20\n' });
    const file = path.join(ws, 'compose.yaml');
    const parsed = parseCompose(text);
    const expected = path.join(ws, 'docker', 'Dockerfile');
    assert.deepEqual(builtDockerfiles(file, parsed), [expected]);
    const deps = composeDependencies(file, parsed);
    assert.deepEqual([...deps].sort(), [ws, path.join(ws, '.env'), expected].sort());
    const budgets = readCompose(file, text, {});
    assert.deepEqual(budgets.map((s) => [s.service, s.dockerfile, s.context]), [
      ['api', expected, ws], ['remote', undefined, undefined], ['inline', undefined, ws], ['unknown', undefined, undefined],
    ]);
    const facts = await composeFacts(nodeHost, file, parsed, { rules: {}, allowRoot: [], enableAll: false, sources: [] }, []);
    assert.equal(facts.builds.get('api')?.dockerfile, expected);
    assert.equal(facts.builds.get('api')?.dockerfileExists, true);
    assert.equal(facts.builds.get('remote')?.context, undefined);
    assert.equal(facts.builds.get('inline')?.parsed?.finalStage?.image, 'alpine:3.20');
  });
});

describe('smoke test health check link', () => {
  it('points at the HEALTHCHECK of the final image, not a builder stage or a heredoc line', async () => {
    const dockerfile = 'FROM node:22 AS build\nHEALTHCHECK CMD true\nRUN <<EOF\nHEALTHCHECK is not an instruction here\nEOF\n' +
      'FROM node:22-slim\nCOPY --from=build /app /app\nHEALTHCHECK --interval=5s CMD curl -f http://localhost/\nCMD ["node", "/app"]\n';
    const ws = tmpProject({ 'svc/Dockerfile': dockerfile });
    const cfg = { services: { web: { build: { context: path.join(ws, 'svc'), dockerfile: 'Dockerfile' } } } };
    assert.deepEqual(await healthcheckLocation(cfg, 'web', ws), { dockerfile: path.join(ws, 'svc', 'Dockerfile'), healthcheckLine: 7 });
    const builderOnly = tmpProject({ Dockerfile: 'FROM node:22 AS build\nHEALTHCHECK CMD true\nFROM node:22-slim\nCMD ["node"]\n' });
    assert.deepEqual(await healthcheckLocation({ services: { web: { build: builderOnly } } }, 'web', builderOnly),
      { dockerfile: path.join(builderOnly, 'Dockerfile'), healthcheckLine: undefined });
    assert.deepEqual(await healthcheckLocation({ services: { web: { build: 'https://github.com/acme/app.git' } } }, 'web', ws), {});
  });
});
