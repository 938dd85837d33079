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
