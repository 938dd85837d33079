// Precision guarantees that fixture snapshots (which record messages, not severities) cannot show: findings
// the linter cannot be sure of are worded as unknown at a lower severity.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { FIXTURES, lint } from '../helpers';

const fixture = (rule: string, name: string) => path.join(FIXTURES, 'rules', rule, name);

describe('findings that depend on an unknown base image', () => {
  for (const rule of ['healthcheck-missing', 'user-non-root']) {
    it(`${rule} is info, not a warning, on a third-party base`, async () => {
      const found = await lint(fixture(rule, 'third-party-base.invalid.Dockerfile'), { only: [rule] });
      assert.deepEqual(found.map((f) => [f.rule, f.severity]), [[rule, 'info']]);
      assert.match(found[0].message, /unknown/);
    });
  }
  it('healthcheck-missing and user-non-root stay warnings on an official base', async () => {
    const text = 'FROM python:3.12-slim\nEXPOSE 8000\nCMD ["python", "-m", "http.server"]\n';
    const found = await lint(fixture('healthcheck-missing', 'x.Dockerfile'), { text, only: ['healthcheck-missing', 'user-non-root'] });
    assert.deepEqual(found.map((f) => [f.rule, f.severity]).sort(), [['healthcheck-missing', 'warning'], ['user-non-root', 'warning']]);
  });
  it('undefined-var is info on an unknown base and a warning where the environment is known', async () => {
    const unknown = await lint(fixture('undefined-var', 'global-not-redeclared.invalid.Dockerfile'), { only: ['undefined-var'] });
    assert.deepEqual(unknown.map((f) => f.severity), ['info']);
    const known = await lint(fixture('undefined-var', 'scratch-unknown.invalid.Dockerfile'), { only: ['undefined-var'] });
    assert.deepEqual(known.map((f) => f.severity), ['warning', 'warning', 'warning']);
  });
});

describe('secrets-copied judges credential files by their content', () => {
  it('is an error where the file in the context holds a credential', async () => {
    const found = await lint(fixture('secrets-copied', 'content-token.invalid/Dockerfile'), { only: ['secrets-copied'] });
    assert.deepEqual(found.map((f) => f.severity), ['error', 'error', 'error', 'error']);
  });
  it('is a warning for a credentials or environment file whose content is unknown, an error for a key', async () => {
    const found = await lint(fixture('secrets-copied', 'basic.invalid.Dockerfile'), { only: ['secrets-copied'] });
    const by = (name: string) => found.find((f) => f.message.includes(`\`${name}\``))?.severity;
    assert.equal(by('.npmrc'), 'warning');
    assert.equal(by('.env'), 'warning');
    assert.equal(by('certs/server.key'), 'error');
    assert.equal(by('deploy/id_ed25519'), 'error');
  });
});
