// Secret detection shared by rules: variable names, file names and wildcard sources, plus the
// error/warning split of secrets-in-env-arg (severities are not part of the fixture snapshots).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isLiteralValue, isSecretName, maskSecret, secretFileReason, secretGlobReason } from '../../server/src/rules/secrets';
import { lint } from '../helpers';

describe('isSecretName', () => {
  it('flags names with a secret part', () => {
    for (const n of ['PASSWORD', 'DB_PASSWORD', 'NPM_TOKEN', 'github-token', 'npmAuthToken', 'API_KEY', 'APIKEY', 'OPENAI_API_KEY',
      'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'SSH_PRIVATE_KEY', 'STRIPE_KEY', 'KEY', 'CLIENT_SECRET', 'BASIC_AUTH',
      'GOOGLE_CREDENTIALS', 'MYSQL_PWORD', 'GPG_PASSPHRASE', 'secret_MESSAGE']) {
      assert.equal(isSecretName(n), true, n);
    }
  });
  it('leaves alone names that only describe or point to a secret', () => {
    for (const n of ['POSTGRES_PASSWORD_FILE', 'TOKEN_URL', 'AUTH_ENABLED', 'NEXT_PUBLIC_API_KEY', 'GPG_KEY', 'PUBLIC_KEY',
      'SECRET_NAME', 'SECRETS_DIR', 'AUTHOR', 'TOKENIZERS_PARALLELISM', 'KEYCLOAK_REALM', 'CACHE_KEY', 'PWD', 'KEY_VERSION',
      'PASSWORDLESS', 'OAUTH_CLIENT_ID', 'API_KEY_PATH']) {
      assert.equal(isSecretName(n), false, n);
    }
  });
});

describe('isLiteralValue and maskSecret', () => {
  it('treats a bare variable reference as no literal', () => {
    assert.equal(isLiteralValue('${TOKEN}'), false);
    assert.equal(isLiteralValue('$TOKEN'), false);
    assert.equal(isLiteralValue('"${TOKEN:-}"'), false);
    assert.equal(isLiteralValue(''), false);
    assert.equal(isLiteralValue(null), false);
    assert.equal(isLiteralValue('sk-123'), true);
    assert.equal(isLiteralValue('Bearer ${TOKEN}'), true);
  });
  it('never shows more than a short prefix', () => {
    assert.equal(maskSecret('sk-live-1234567890'), 'sk-***');
    assert.equal(maskSecret('hunter2'), '***');
  });
});

describe('secret files', () => {
  it('recognises secret file names in any folder', () => {
    for (const p of ['.env', 'config/.env.production', '.envrc', 'id_rsa', 'keys/id_ed25519', '.ssh/', 'server.key', 'privkey.pem',
      'store.p12', '.npmrc', '.pypirc', '.netrc', '.aws/credentials', 'gcp/credentials.json', 'home/.docker/config.json']) {
      assert.ok(secretFileReason(p), p);
    }
  });
  it('leaves templates, public keys and certificates alone', () => {
    for (const p of ['.env.example', '.env.sample', '.env.template', 'id_rsa.pub', 'ca.pem', 'certs/fullchain.pem', 'ca-bundle.pem',
      'cert.pem', 'ffdhe4096.pem', 'dhparams.pem', 'config.json', 'environment.ts', 'keys.txt']) {
      assert.equal(secretFileReason(p), undefined, p);
    }
  });
  it('flags wildcards only when they obviously name secrets', () => {
    for (const g of ['.env*', '*.pem', 'keys/*.key', 'id_rsa*', '.env.*']) assert.ok(secretGlobReason(g), g);
    for (const g of ['*', '*.json', '*.txt', '.env.example*', 'src/**/*.ts']) assert.equal(secretGlobReason(g), undefined, g);
  });
});

describe('secrets-in-env-arg severity', () => {
  function dockerfile(text: string, config?: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-secrets-'));
    fs.writeFileSync(path.join(dir, 'Dockerfile'), text);
    if (config) fs.writeFileSync(path.join(dir, '.hullcheck.yaml'), config);
    return path.join(dir, 'Dockerfile');
  }
  const TEXT = 'FROM alpine:3.20\nARG NPM_TOKEN\nENV API_KEY=sk-live-1234567890\nENV TOKEN=${NPM_TOKEN}\n';

  it('is an error for a literal value and a warning for a name alone', async () => {
    const found = await lint(dockerfile(TEXT), { only: ['secrets-in-env-arg'] });
    assert.deepEqual(found.map((f) => [f.range.start.line, f.severity]), [[1, 'warning'], [2, 'error'], [3, 'warning']]);
    assert.ok(found.every((f) => !f.message.includes('sk-live')), 'a message leaked the value');
  });

  it('is info for an ENV sentinel or empty value (a runtime setting), a warning for an ARG sentinel; a weak default such as changeme stays an error', async () => {
    const text = 'FROM alpine:3.20\nENV OPENVPN_PASSWORD=**None** \\\n    DB_PASSWORD=changeme \\\n    API_TOKEN="<token>" \\\n    RPC_PASSWORD=\nARG SESSION_SECRET=__CHANGE_ME__\nENV ADMIN_PASSWORD=hunter2\nARG DEPLOY_TOKEN=<token>\n';
    const found = await lint(dockerfile(text), { only: ['secrets-in-env-arg'] });
    assert.deepEqual(found.map((f) => [f.range.start.line, f.severity]), [[1, 'info'], [2, 'error'], [3, 'info'], [4, 'info'], [5, 'error'], [6, 'error'], [7, 'warning']]);
  });

  it('uses the configured severity for every finding', async () => {
    const found = await lint(dockerfile(TEXT, 'rules:\n  secrets-in-env-arg: info\n'), { only: ['secrets-in-env-arg'] });
    assert.deepEqual(found.map((f) => f.severity), ['info', 'info', 'info']);
  });
});
