// The generated .hullcheck.yaml schema against the config loader: every sample config in test/fixtures and a config
// with every section validate; configs the loader rejects are rejected by the schema too.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { parseHullcheckConfig } from '../../server/src/config/hullcheckConfig';
import { RULES_BY_ID } from '../../server/src/engine/linter';
import { CONFIG_SCHEMA, ROOT } from '../../server/scripts/gen';

const schema = JSON.parse(fs.readFileSync(path.join(ROOT, CONFIG_SCHEMA), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
const known = new Set(RULES_BY_ID.keys());

function samples(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) samples(p, out);
    else if (e.name === '.hullcheck.yaml' || e.name === '.hullcheck.yml') out.push(p);
  }
  return out;
}

test('every sample config under test/fixtures validates against the schema', () => {
  const files = samples(path.join(ROOT, 'test', 'fixtures'));
  assert.ok(files.length >= 20, `found ${files.length}`);
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    // only samples the loader itself accepts without complaint are judged
    if (parseHullcheckConfig(f, text, known).problems.length) continue;
    assert.ok(validate(parse(text)), `${path.relative(ROOT, f)}: ${JSON.stringify(validate.errors)}`);
  }
});

const FULL = `
preset: Recommended@0.2.0
root: true
rules:
  apt-pin-versions: off
  user-non-root: { severity: warning }
  image-budget: error
requiredLabels: [org.opencontainers.image.source]
allowRoot: [proxy]
exclude: ["vendor/**"]
contexts: { docker/api.Dockerfile: . }
hadolintCompat: false
suppressions: { requireReason: true, requireExpiry: false, allowInline: true }
budgets:
  api: 600MB
  "myorg/*": { size: 1.2GB, dockerfile: docker/api.Dockerfile }
  worker: 300
composeProjects:
  - [compose.yml, compose.test.yml]
trivy: { reports: ["reports/*.json"] }
shellcheck: { enable: true, exclude: [SC2086, "2046"] }
smoke:
  files: [compose.yml, compose.test.yml]
  project: ci
  timeout: 90
  services:
    api:
      endpoints: ["http://127.0.0.1:8080/health", { url: "http://localhost:8080/", from: container }]
      markers: /tmp/ready
`;

test('a config with every section validates, and the loader accepts it too', () => {
  assert.deepEqual(parseHullcheckConfig('/w/.hullcheck.yaml', FULL, known).problems, []);
  assert.ok(validate(parse(FULL)), JSON.stringify(validate.errors));
  assert.ok(validate(null), 'an empty file is a valid config');
});

const WRONG: [string, string][] = [
  ['unknown preset', 'preset: lax'],
  ['unknown top-level key', 'budget: { api: 1GB }'],
  ['unknown rule', 'rules: { no-such-rule: off }'],
  ['bad severity', 'rules: { apt-pin-versions: loud }'],
  ['root not a boolean', 'root: yes please'],
  ['requiredLabels not a list', 'requiredLabels: org.label'],
  ['suppressions option not a boolean', 'suppressions: { requireReason: 1 }'],
  ['unknown suppressions option', 'suppressions: { requireTicket: true }'],
  ['budget not a size', 'budgets: { api: huge }'],
  ['smoke timeout not positive', 'smoke: { timeout: -1 }'],
  ['smoke marker not absolute', 'smoke: { services: { api: { markers: [tmp/ready] } } }'],
  ['unknown endpoint key', 'smoke: { services: { api: { endpoints: [{ url: "http://127.0.0.1/", via: host }] } } }'],
];

test('wrong configs are rejected, each where the loader or the section reader rejects it', () => {
  for (const [what, text] of WRONG) assert.equal(validate(parse(text)), false, what);
  // the loader agrees on the keys it checks itself
  for (const i of [0, 1, 2, 3, 4, 5, 6, 7]) assert.ok(parseHullcheckConfig('/w/.hullcheck.yaml', WRONG[i][1], known).problems.length > 0, WRONG[i][0]);
});
