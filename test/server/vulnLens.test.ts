// The language server's code lenses on a Dockerfile for the CVEs of a workspace Trivy report built from it
// (trivy-reports/*.json, matched by history): the base image's share on the FROM, a layer's on its instruction.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CORPUS } from '../helpers';
import { TestClient } from './harness';

const DOCKERFILE = `FROM debian:buster
ARG DEBIAN_FRONTEND=noninteractive
COPY install.sh /tmp/install.sh
COPY Gemfile /Gemfile
RUN chmod +x /tmp/install.sh && /bin/bash -l -c /tmp/install.sh && rm /tmp/*
COPY fluent.conf /etc/fluent/fluent.conf
COPY run.sh /run.sh
EXPOSE 80
ENV LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
CMD ["/run.sh"]
`;

test('code lenses name the CVEs each layer of the built image brought, honouring the ignore file', async (t) => {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-vulnlens-'));
  fs.mkdirSync(path.join(ws, 'trivy-reports'));
  fs.copyFileSync(path.join(CORPUS, 'trivy', 'reports', 'fluentd-gems.json'), path.join(ws, 'trivy-reports', 'fluentd.json'));
  fs.writeFileSync(path.join(ws, '.trivyignore'), 'CVE-2020-8165 # reviewed: the Rails app is not exposed\n');
  fs.writeFileSync(path.join(ws, 'Dockerfile'), DOCKERFILE);
  const c = new TestClient();
  t.after(async () => { await c.conn.sendRequest('shutdown').catch(() => undefined); c.dispose(); });
  await c.initialize([ws], { workspaceTrusted: false });
  const uri = pathToFileURL(path.join(ws, 'Dockerfile')).toString();
  await c.open(uri, DOCKERFILE);
  const lenses0 = await c.conn.sendRequest('textDocument/codeLens', { textDocument: { uri } });
  const lenses = lenses0 as { range: { start: { line: number } }; command: { title: string; command: string } }[];
  assert.deepEqual(lenses.map((l) => [l.range.start.line, l.command.title, l.command.command]), [
    [0, 'base image debian:buster: 1 critical, 1 fixable (testdata/fixtures/images/fluentd-multiple-lockfiles.tar.gz)', 'hullcheck.vulnerabilities.focus'],
  ]);
});

test('code lenses leave out what a VEX document of hullcheck.trivy.vex says does not affect the image', async (t) => {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-vulnlens-'));
  fs.mkdirSync(path.join(ws, 'trivy-reports'));
  fs.copyFileSync(path.join(CORPUS, 'trivy', 'reports', 'fluentd-gems.json'), path.join(ws, 'trivy-reports', 'fluentd.json'));
  fs.writeFileSync(path.join(ws, 'Dockerfile'), DOCKERFILE);
  fs.writeFileSync(path.join(ws, 'vex.json'), JSON.stringify({
    '@context': 'https://openvex.dev/ns/v0.2.0', '@id': 'urn:x:1', author: 'a', timestamp: '2026-01-01T00:00:00Z', version: 1,
    statements: [{
      vulnerability: { name: 'CVE-2019-18224' }, status: 'not_affected', justification: 'vulnerable_code_not_in_execute_path',
      products: [{ '@id': 'pkg:oci/trivy-test-images?repository_url=ghcr.io/aquasecurity/trivy-test-images' }],
    }],
  }));
  const c = new TestClient();
  c.settings = { trivy: { vex: ['vex.json'] } };
  t.after(async () => { await c.conn.sendRequest('shutdown').catch(() => undefined); c.dispose(); });
  await c.initialize([ws], { workspaceTrusted: false });
  const uri = pathToFileURL(path.join(ws, 'Dockerfile')).toString();
  await c.open(uri, DOCKERFILE);
  type Lens = { range: { start: { line: number } }; command: { title: string } };
  const titles = async () => ((await c.conn.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as Lens[]).map((l) => [l.range.start.line, l.command.title]);
  // the base image's CRITICAL libidn2 finding (the FROM lens of the test above) is not affected: only the gem's is left
  assert.deepEqual(await titles(), [[4, '1 high from this layer, 1 fixable (testdata/fixtures/images/fluentd-multiple-lockfiles.tar.gz)']]);
});
