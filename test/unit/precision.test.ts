// Precision guarantees that fixture snapshots (which record messages, not severities) cannot show: findings
// the linter cannot be sure of are worded as unknown at a lower severity.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CORPUS, FIXTURES, lint } from '../helpers';
import { walk } from '../bench/corpus';
import { lintFile } from '../../server/src/engine/lintFile';
import { nodeHost } from '../../server/src/core/fileHost';
import type { Finding } from '../../server/src/core/findings';
import { RULES } from '../../server/src/rules';
import { renderRulePage } from '../../server/src/rules/ruleDocs';

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

/**
 * Pairs of rules that could describe the same missing thing, with what makes two of their findings one fact:
 * the squash rule names the config it drops; the other rule must not report the same label, HEALTHCHECK or USER.
 */
const SAME_FACT: { rule: string; other: string; same: (squash: Finding, other: Finding) => boolean }[] = [
  { rule: 'squash-stage-drops-config', other: 'oci-labels', same: (a, b) => [...b.message.matchAll(/`(org\.opencontainers\.[^`]+)`/g)].some((m) => a.message.includes(m[1])) },
  { rule: 'squash-stage-drops-config', other: 'healthcheck-missing', same: (a) => /\bHEALTHCHECK\b/.test(a.message.split(': ')[1] ?? '') },
  { rule: 'squash-stage-drops-config', other: 'user-non-root', same: (a) => /\bUSER \S+/.test(a.message.split(': ')[1] ?? '') },
];

describe('one finding per fact', () => {
  it('no two rules report the same dropped or missing config in any corpus or fixture Dockerfile', async () => {
    const files = [
      ...walk(path.join(CORPUS, 'dockerfiles'), () => true),
      ...walk(path.join(CORPUS, 'tale'), (f) => /Dockerfile/.test(path.basename(f))),
      ...walk(path.join(FIXTURES, 'rules'), (f) => /\.Dockerfile$|\/Dockerfile$/.test(f)),
    ];
    assert.ok(files.length > 500, `expected the corpus at ${CORPUS}`);
    const doubles: string[] = [];
    let pairsSeen = 0;
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      // only a FROM scratch squash drops config: lint just the files that have one
      if (!/scratch/i.test(text) || !/COPY\s+--from/i.test(text)) continue;
      const r = await lintFile(file, text, { host: nodeHost, language: 'dockerfile' });
      for (const pair of SAME_FACT) {
        const squash = r.findings.find((f) => f.rule === pair.rule);
        if (!squash) continue;
        pairsSeen++;
        for (const f of r.findings.filter((x) => x.rule === pair.other && pair.same(squash, x))) {
          doubles.push(`${path.relative(CORPUS, file)}:${f.range.start.line + 1}: ${pair.other} repeats ${pair.rule}`);
        }
      }
    }
    assert.ok(pairsSeen > 0, 'some files squash their config away');
    assert.deepEqual(doubles, []);
  });
});
