// Vulnerabilities traced to layers and Dockerfile lines on the corpus image reports (real diff ids and history):
// the history/diff-id zip, base image versus own instructions, and `hullcheck scan` text, JSON and SARIF.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scanMain } from '../../server/src/cli/scan';
import { parseDockerfile } from '../../server/src/parse/dockerfile';
import { countsSummary, groupByOrigin, layerOrigins } from '../../server/src/trivy/layers';
import { vulnLensesFor } from '../../server/src/features/vulnLens';
import { loadReport, type TrivyReport } from '../../server/src/trivy/report';
import { CORPUS } from '../helpers';

const REPORTS = path.join(CORPUS, 'trivy', 'reports');

async function load(name: string): Promise<TrivyReport> {
  const r = await loadReport(path.join(REPORTS, name));
  assert.ok(r.ok);
  return r.report;
}

// Written for the test from the report's created_by entries (ghcr.io/aquasecurity/trivy-test-images:fluentd-multiple-lockfiles).
const FLUENTD = `FROM debian:buster
ARG DEBIAN_FRONTEND=noninteractive
COPY install.sh /tmp/install.sh
COPY Gemfile /Gemfile
RUN chmod +x /tmp/install.sh && \\
    /bin/bash -l -c /tmp/install.sh && \\
    rm /tmp/*
COPY fluent.conf /etc/fluent/fluent.conf
COPY run.sh /run.sh
EXPOSE 80
ENV LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
CMD ["/run.sh"]
`;

const SPRING_LAYER = 'sha256:192960b65b1579403b36581de471fd2bd75a043b4743552f27ba16623f02c68f';

describe('vulnerabilities traced to layers', () => {
  it('zips history with diff ids, skipping empty_layer entries', async () => {
    const report = await load('spring4shell-jre11.json');
    const origins = layerOrigins(report);
    assert.equal(origins.size, 9);
    const last = origins.get(SPRING_LAYER)!;
    assert.equal(last.layerIndex, 8);
    assert.match(last.short, /^COPY file:4a1136b54136 in \/usr\/local\/tom/);
    // the second layer is the first RUN, not the CMD that precedes it in the history
    const second = [...origins.values()].find((o) => o.layerIndex === 1)!;
    assert.match(second.short, /^RUN set -eux; apt-get update;/);
    assert.equal(last.base, false, 'without a Dockerfile nothing is called base');
    assert.equal(last.instr, undefined);
  });

  it('attributes a layer to the base image (FROM) or to the instruction that made it', async () => {
    const report = await load('fluentd-gems.json');
    const origins = layerOrigins(report, parseDockerfile(FLUENTD));
    const groups = groupByOrigin(report.vulnerabilities, report.layers, origins, 'Dockerfile');
    assert.deepEqual(groups.map((g) => [g.key, g.label, countsSummary(g.counts, g.fixable)]), [
      ['base', 'base image debian:buster (Dockerfile:1 FROM)', '1 critical, 1 fixable'],
      ['line:4', 'Dockerfile:5 RUN chmod +x /tmp/install.sh && /bin/bash -l -c /tmp/install.sh && rm /…', '1 high, 1 fixable'],
    ]);
    assert.equal(groups[0].vulnerabilities[0].id, 'CVE-2019-18224');
    assert.equal(groups[1].vulnerabilities[0].id, 'CVE-2020-8165');
  });

  it('says nothing about lines when the Dockerfile does not match the history', async () => {
    const report = await load('fluentd-gems.json');
    const origins = layerOrigins(report, parseDockerfile('FROM alpine:3.19\nWORKDIR /srv\nUSER app\n'));
    assert.ok([...origins.values()].every((o) => !o.instr && !o.base));
  });

  it('leaves layers unattributed when the history and diff ids disagree', async () => {
    const report = await load('fluentd-gems.json');
    const broken: TrivyReport = { ...report, image: { ...report.image!, diffIds: report.image!.diffIds.slice(1) } };
    assert.equal(layerOrigins(broken).size, 0);
    const groups = groupByOrigin(broken.vulnerabilities, broken.layers, new Map());
    assert.deepEqual(groups.map((g) => g.key), ['unknown']);
  });
});

describe('hullcheck scan --dockerfile', () => {
  async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-trace-'));
    fs.writeFileSync(path.join(dir, 'Dockerfile'), FLUENTD);
    fs.copyFileSync(path.join(REPORTS, 'fluentd-gems.json'), path.join(dir, 'fluentd.json'));
    let stdout = '', stderr = '';
    const code = await scanMain(args, { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; } }, { cwd: dir, env: { ...process.env }, version: '9.9.9' });
    return { code, stdout, stderr };
  }

  it('prints the attribution in text', async () => {
    const r = await run(['fluentd.json', '--dockerfile', 'Dockerfile']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /introduced by base image debian:buster \(Dockerfile:1 FROM\): 1 critical, 1 fixable\n {4}CRITICAL CVE-2019-18224/);
    assert.match(r.stdout, /introduced by Dockerfile:5 RUN chmod \+x \/tmp\/install\.sh[^\n]*: 1 high, 1 fixable\n {4}HIGH {5}CVE-2020-8165/);
  });

  it('prints the attribution in JSON', async () => {
    const r = await run(['fluentd.json', '--dockerfile', 'Dockerfile', '--format', 'json']);
    const vulns = JSON.parse(r.stdout).reports[0].vulnerabilities;
    assert.deepEqual(vulns.map((v: { introducedBy: unknown }) => v.introducedBy), [
      { layer: 'sha256:831c5620387fb9efec59fc82a42b948546c6be601e3ab34a87108ecf852aa15f', layerIndex: 0, createdBy: 'ADD file:bc8179c87c8d in /', base: true, baseImage: 'debian:buster', file: 'Dockerfile', line: 1 },
      { layer: 'sha256:75e43d55939745950bc3f8fad56c5834617c4339f0f54755e69a0dd5372624e9', layerIndex: 3, createdBy: 'RUN chmod +x /tmp/install.sh && /bin/bash -l -c /tmp/install.sh && rm /…', base: false, file: 'Dockerfile', line: 5 },
    ]);
  });

  it('prints the layer in text without a Dockerfile, and points SARIF at the Dockerfile line with one', async () => {
    const plain = await run(['fluentd.json']);
    assert.match(plain.stdout, /introduced by layer 4: RUN chmod \+x [^\n]*: 1 high, 1 fixable\n/);
    assert.match(plain.stdout, /introduced by layer 1: ADD file:bc8179c87c8d in \/: 1 critical, 1 fixable\n/);
    const sarif = JSON.parse((await run(['fluentd.json', '--dockerfile', 'Dockerfile', '--format', 'sarif'])).stdout);
    const locs = sarif.runs[0].results.map((x: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }) =>
      [x.ruleId, x.locations[0].physicalLocation.artifactLocation.uri, x.locations[0].physicalLocation.region.startLine]);
    assert.deepEqual(locs, [['CVE-2019-18224', 'Dockerfile', 1], ['CVE-2020-8165', 'Dockerfile', 5]]);
    assert.match(sarif.runs[0].results[0].message.text, /Introduced by base image debian:buster \(Dockerfile:1 FROM\)\.$/);
  });

  it('rejects a missing Dockerfile with a usage error', async () => {
    const r = await run(['fluentd.json', '--dockerfile', 'nope/Dockerfile']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /nope\/Dockerfile: no such Dockerfile/);
  });
});

describe('Dockerfile lenses for vulnerabilities', () => {
  it('puts the base image share on the FROM and a layer count on the instruction that brought CVEs', async () => {
    const report = await load('fluentd-gems.json');
    const lenses = vulnLensesFor(parseDockerfile(FLUENTD), [{ report, kept: report.vulnerabilities }]);
    const name = 'testdata/fixtures/images/fluentd-multiple-lockfiles.tar.gz';
    assert.deepEqual(lenses, [
      { line: 0, title: `base image debian:buster: 1 critical, 1 fixable (${name})` },
      { line: 4, title: `1 high from this layer, 1 fixable (${name})` },
    ]);
    // what the ignore file hides is not counted
    assert.deepEqual(vulnLensesFor(parseDockerfile(FLUENTD), [{ report, kept: report.vulnerabilities.slice(1) }]).map((l) => l.line), [4]);
  });

  it('shows nothing for a Dockerfile the report was not built from', async () => {
    const others = [await load('fluentd-gems.json'), await load('spring4shell-jre11.json'), await load('ubuntu-1804.json')];
    const reports = others.map((report) => ({ report, kept: report.vulnerabilities }));
    assert.deepEqual(vulnLensesFor(parseDockerfile('FROM debian:buster\nRUN apt-get update && apt-get install -y curl\nCMD ["bash"]\n'), reports), []);
    // same shape (COPY, CMD) but no RUN to compare: not enough to claim the image
    const busybox = await load('busybox-with-lockfile.json');
    assert.deepEqual(vulnLensesFor(parseDockerfile('FROM busybox\nCOPY Cargo.lock .\n'), [{ report: busybox, kept: busybox.vulnerabilities }]), []);
  });
});
