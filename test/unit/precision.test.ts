// Precision guarantees that fixture snapshots (which record messages, not severities) cannot show: findings
// the linter cannot be sure of are worded as unknown at a lower severity.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { FIXTURES, lint } from '../helpers';
import { RULES } from '../../server/src/rules';
import { renderRulePage } from '../../server/src/engine/meta';

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

describe('errors are certain', () => {
  it('every rule that is an error by default records why, and its page shows the reason', () => {
    const errors = RULES.filter((r) => r.meta.severity === 'error');
    assert.ok(errors.length >= 10, 'the certain-breakage rules stay errors');
    for (const r of errors) {
      assert.ok((r.meta.errorReason ?? '').length > 20, `${r.meta.id} is an error by default with no errorReason`);
      assert.ok(renderRulePage(r.meta).includes(`| Why an error | ${r.meta.errorReason} |`), `${r.meta.id}: the page lacks the reason`);
    }
  });
  it('taste and builder-dependent rules are not errors by default', () => {
    for (const id of ['no-sudo', 'copy-over-add', 'env-self-reference', 'trusted-registries', 'copy-dest-trailing-slash', 'image-healthcheck']) {
      assert.equal(RULES.find((r) => r.meta.id === id)?.meta.severity, 'warning', id);
    }
  });
  it('copy-from-unknown-stage is an error only where the reference certainly names nothing', async () => {
    const found = await lint(fixture('copy-from-unknown-stage', 'typo.invalid.Dockerfile'), { only: ['copy-from-unknown-stage'] });
    assert.deepEqual(found.map((f) => [f.message.slice(0, 16), f.severity]), [['`--from=biuld` d', 'error'], ['`--from=7` does ', 'error'], ['`--from=busybox`', 'warning']]);
  });
});
