// A fix that has to guess a value the file does not give (a port) is unsafe: offered in the editor, never applied
// by `--fix` or Fix All. The same fix with the value taken from the file stays safe.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixWith, lint, tmpProject } from '../helpers';
import { main } from '../../server/src/cli';

async function fixesOf(files: Record<string, string>, name: string, rule: string) {
  const file = path.join(tmpProject(files), name);
  const findings = await lint(file, { only: [rule] });
  assert.equal(findings.length, 1, rule);
  return { file, fixes: findings[0].fixes };
}

describe('healthcheck-missing', () => {
  it('a probe on the EXPOSEd port is a safe fix', async () => {
    const { file, fixes } = await fixesOf({ Dockerfile: 'FROM alpine:3.20\nEXPOSE 3000\nCMD ["app"]\n' }, 'Dockerfile', 'healthcheck-missing');
    assert.deepEqual(fixes.map((f) => f.safety), ['safe']);
    assert.match(await fixWith(file, fs.readFileSync(file, 'utf8'), 'healthcheck-missing', 'safe'), /CMD wget -q --spider http:\/\/localhost:3000\/ \|\| exit 1\n/);
  });

  it('a probe on a guessed port is unsafe, and --fix does not apply it', async () => {
    const text = 'FROM alpine:3.20\nCMD ["app"]\n';
    const { file, fixes } = await fixesOf({ Dockerfile: text }, 'Dockerfile', 'healthcheck-missing');
    assert.deepEqual(fixes.map((f) => f.safety), ['unsafe']);
    assert.match(fixes[0].title, /port 8080, a guess: nothing is EXPOSEd/);
    // the editor can still apply it: this is the text it produces
    assert.match(await fixWith(file, text, 'healthcheck-missing'), /CMD wget -q --spider http:\/\/localhost:8080\/ \|\| exit 1\n/);
    const r = await main(['lint', '--fix', '--no-shellcheck', file], { stdout: () => undefined, stderr: () => undefined }, async () => '');
    assert.equal(r, 1);
    // other rules' safe fixes apply (the OCI labels); the guessed probe does not
    const after = fs.readFileSync(file, 'utf8');
    assert.notEqual(after, text);
    assert.doesNotMatch(after, /HEALTHCHECK/);
  });
});

describe('compose-healthcheck-missing', () => {
  const compose = (extra: string) => `services:\n  cache:\n    image: redis:7-alpine\n${extra}  app:\n    image: example/app:1.0\n    depends_on: [cache]\n`;

  it('the native probe of a service that runs the image as it is is a safe fix', async () => {
    const { fixes } = await fixesOf({ 'compose.yaml': compose('') }, 'compose.yaml', 'compose-healthcheck-missing');
    assert.deepEqual(fixes.map((f) => f.safety), ['safe']);
  });

  for (const key of ['command: ["redis-server", "--port", "6380"]', 'entrypoint: ["/start.sh"]']) {
    it(`is unsafe when the service sets ${key.split(':')[0]}: (it may listen elsewhere)`, async () => {
      const { fixes } = await fixesOf({ 'compose.yaml': compose(`    ${key}\n`) }, 'compose.yaml', 'compose-healthcheck-missing');
      assert.deepEqual(fixes.map((f) => f.safety), ['unsafe']);
      assert.match(fixes[0].title, new RegExp(`assumes the image's default port; check it against the service's ${key.split(':')[0]}`));
    });
  }
});
