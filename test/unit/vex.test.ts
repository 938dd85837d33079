// OpenVEX: `hullcheck scan --write-vex` exports the reviewed ignore entries of corpus reports as documents that
// validate against the official OpenVEX schema, and `--vex` reads them back: the same findings are listed as not
// affected and stop gating, in text, JSON and SARIF, until the entry's expiry date.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import AjvDraft04 from 'ajv-draft-04';
import { scanMain } from '../../server/src/cli/scan';
import { parseReport, type TrivyReport } from '../../server/src/trivy/report';
import { applyVex, parseVex } from '../../server/src/trivy/vex';
import { justificationIn } from '../../server/src/trivy/vexExport';
import { normalizeRepository, parsePurl, purlCovers } from '../../server/src/trivy/purl';
import { CORPUS, FIXTURES } from '../helpers';

const REPORTS = path.join(CORPUS, 'trivy', 'reports');
const SCHEMA = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'openvex', 'openvex_json_schema.json'), 'utf8'));

/** The official schema, with its formats checked (`iri`: an absolute IRI, scheme first). */
function openvexValidator() {
  // strict, except that the schema's if/then names properties in `required` that the branch does not declare
  const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat('iri', /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]+$/);
  return ajv.compile(SCHEMA);
}
const validate = openvexValidator();

type Result = { code: number; stdout: string; stderr: string };
async function scan(args: string[], cwd: string, env: Record<string, string> = {}): Promise<Result> {
  let stdout = '', stderr = '';
  const code = await scanMain(args, { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; } },
    { cwd, env: { ...process.env, HULLCHECK_TODAY: '2026-01-15', ...env }, version: '9.9.9' });
  return { code, stdout, stderr };
}

function project(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-vex-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  return root;
}
const report = (name: string) => fs.readFileSync(path.join(REPORTS, name), 'utf8');
const corpusReport = (name: string): TrivyReport => {
  const r = parseReport(report(name), name);
  assert.ok(r.ok);
  return r.report;
};
const ids = (list: { id: string; pkg?: string }[]) => list.map((v) => `${v.id} ${v.pkg}`).sort();

function assertValid(doc: unknown): void {
  assert.ok(validate(doc), JSON.stringify(validate.errors?.slice(0, 3)));
}

describe('OpenVEX export (hullcheck scan --write-vex)', () => {
  it('exports reviewed plain entries as not_affected statements for the scanned image repository, valid against the schema', async () => {
    const root = project({
      'debian.json': report('debian-buster.json'),
      'alpine.json': report('alpine-310.json'),
      '.trivyignore': [
        '# libidn2 is only used by wget, which the image never runs: vulnerable code not in execute path',
        'CVE-2019-18224 exp:2026-06-30',
        '',
        'CVE-2019-1549',
        'CVE-2019-18276 exp:2025-01-01 # bash: expired review',
        'CVE-2019-1551 # OpenSSL, no TLS server in this image',
        '',
      ].join('\n'),
    });
    const r = await scan(['debian.json', 'alpine.json', '--write-vex', 'vex.openvex.json', '--vex-author', 'Platform team', '--fail-on', 'none'], root);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /\.trivyignore:4: CVE-2019-1549 is not exported: it has no reason/);
    assert.match(r.stderr, /wrote 2 VEX statements to vex\.openvex\.json/);
    const doc = JSON.parse(fs.readFileSync(path.join(root, 'vex.openvex.json'), 'utf8'));
    assertValid(doc);
    // the validator does reject what the schema forbids: not_affected without a reason, a product that is no IRI
    assert.equal(validate({ ...doc, statements: [{ vulnerability: { name: 'CVE-1' }, status: 'not_affected' }] }), false);
    assert.equal(validate({ ...doc, statements: [{ ...doc.statements[0], products: [{ '@id': 'trivy test images' }] }] }), false);
    assert.equal(doc['@context'], 'https://openvex.dev/ns/v0.2.0');
    assert.equal(doc.author, 'Platform team');
    assert.equal(doc.version, 1);
    assert.equal(doc.tooling, 'Hullcheck 9.9.9');
    const product = { '@id': 'pkg:oci/trivy-test-images?repository_url=ghcr.io%2Faquasecurity%2Ftrivy-test-images' };
    assert.deepEqual(doc.statements, [
      {
        vulnerability: { name: 'CVE-2019-18224' }, products: [product], status: 'not_affected',
        justification: 'vulnerable_code_not_in_execute_path',
        impact_statement: 'libidn2 is only used by wget, which the image never runs: vulnerable code not in execute path',
        status_notes: 'Accepted in .trivyignore (line 2); expires 2026-06-30.',
      },
      {
        vulnerability: { name: 'CVE-2019-1551' }, products: [product], status: 'not_affected',
        impact_statement: 'OpenSSL, no TLS server in this image', status_notes: 'Accepted in .trivyignore (line 6).',
      },
    ]);
  });

  it('narrows YAML entries with purls or paths to the packages, and exports package products for filesystem reports', async () => {
    const root = project({
      'fluentd.json': report('fluentd-gems.json'),
      'npm.json': report('npm-with-suppressed.json'),
      'ignore.yaml': [
        'vulnerabilities:',
        '  - id: CVE-2020-8165',
        '    paths: ["var/lib/gems/**"]',
        '    statement: Rails caches are disabled (inline_mitigations_already_exist)',
        '  - id: CVE-2019-18224',
        '    purls: ["pkg:deb/debian/libidn2-0"]',
        '    statement: Only the build stage resolves IDNs',
        '  - id: CVE-2017-20165',
        '    statement: debug is a dev dependency',
        'misconfigurations:',
        '  - id: AVD-DS-0002',
        '    statement: root is needed',
        '',
      ].join('\n'),
    });
    const r = await scan(['fluentd.json', 'npm.json', '--ignorefile', 'ignore.yaml', '--write-vex', 'vex.json', '--fail-on', 'none'], root);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(fs.readFileSync(path.join(root, 'vex.json'), 'utf8'));
    assertValid(doc);
    const image = 'pkg:oci/trivy-test-images?repository_url=ghcr.io%2Faquasecurity%2Ftrivy-test-images';
    assert.deepEqual(doc.statements.map((s: { vulnerability: { name: string }; products: unknown[]; justification?: string }) => [s.vulnerability.name, s.products, s.justification]), [
      ['CVE-2020-8165', [{ '@id': image, subcomponents: [{ '@id': 'pkg:gem/activesupport@6.0.2.1' }] }], 'inline_mitigations_already_exist'],
      ['CVE-2019-18224', [{ '@id': image, subcomponents: [{ '@id': 'pkg:deb/debian/libidn2-0' }] }], undefined],
      ['CVE-2017-20165', [{ '@id': 'pkg:npm/debug@3.0.1' }], undefined],
    ]);
  });

  it('never widens an entry: one with paths and purls keeps the packages it hid; a purl that names nothing exports nothing', async () => {
    const root = project({
      'fluentd.json': report('fluentd-gems.json'),
      'ignore.yaml': [
        'vulnerabilities:',
        '  - id: CVE-2019-18224',
        '    paths: ["testdata/**"]',
        '    purls: ["pkg:deb/debian/libidn2-0"]',
        '    statement: reviewed',
        '  - id: CVE-2020-8165',
        '    purls: ["activesupport"]',
        '    statement: reviewed',
        '',
      ].join('\n'),
    });
    const r = await scan(['fluentd.json', '--ignorefile', 'ignore.yaml', '--write-vex', 'vex.json', '--fail-on', 'none'], root);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /ignore\.yaml:6: CVE-2020-8165 is not exported: it hides no vulnerability of the scanned reports/);
    const doc = JSON.parse(fs.readFileSync(path.join(root, 'vex.json'), 'utf8'));
    assertValid(doc);
    assert.deepEqual(doc.statements.map((s: { products: { subcomponents: unknown }[] }) => s.products[0].subcomponents), [
      [{ '@id': 'pkg:deb/debian/libidn2-0@2.0.5-1?arch=amd64&distro=debian-10.2' }],
    ]);
  });

  it('writes nothing and exits 2 when no reviewed entry hides a vulnerability', async () => {
    const root = project({ 'debian.json': report('debian-buster.json'), '.trivyignore': 'CVE-2019-18224\nCVE-2000-0001 # gone\n' });
    const r = await scan(['debian.json', '--write-vex', 'vex.json', '--fail-on', 'none'], root);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /CVE-2019-18224 is not exported: it has no reason/);
    assert.match(r.stderr, /CVE-2000-0001 is not exported: it hides no vulnerability of the scanned reports/);
    assert.equal(fs.existsSync(path.join(root, 'vex.json')), false);
  });
});

describe('OpenVEX import (hullcheck scan --vex)', () => {
  const IGNORE = [
    '# not reachable: vulnerable_code_not_in_execute_path',
    'CVE-2019-18224 exp:2026-06-30',
    'CVE-2019-1551 # no TLS server',
    '',
  ].join('\n');

  it('round-trips: the exported statements hide the same findings the ignore file hid, and stop at the expiry', async () => {
    const root = project({ 'debian.json': report('debian-buster.json'), 'alpine.json': report('alpine-310.json'), 'ignore': IGNORE, 'empty': '' });
    const files = ['debian.json', 'alpine.json'];
    const withIgnore = await scan([...files, '--ignorefile', 'ignore', '--write-vex', 'vex.json', '--format', 'json', '--fail-on', 'none'], root);
    assert.equal(withIgnore.code, 0, withIgnore.stderr);
    const withVex = await scan([...files, '--ignorefile', 'empty', '--vex', 'vex.json', '--format', 'json', '--fail-on', 'none'], root);
    assert.equal(withVex.code, 0, withVex.stderr);
    const a = JSON.parse(withIgnore.stdout).reports, b = JSON.parse(withVex.stdout).reports;
    for (let i = 0; i < files.length; i++) assert.deepEqual(ids(b[i].vulnerabilities), ids(a[i].vulnerabilities), files[i]);
    assert.deepEqual(ids(b[0].notAffected), ['CVE-2019-18224 libidn2-0']);
    assert.deepEqual(ids(b[1].notAffected), ['CVE-2019-1551 libcrypto1.1', 'CVE-2019-1551 libssl1.1']);
    assert.deepEqual(b[0].notAffected[0].vex, {
      status: 'not_affected', justification: 'vulnerable_code_not_in_execute_path',
      impactStatement: 'not reachable: vulnerable_code_not_in_execute_path', expires: '2026-06-30', source: 'vex.json',
    });
    // the CRITICAL libidn2 finding gates again once the statement expired
    assert.equal((await scan(['debian.json', '--ignorefile', 'empty', '--vex', 'vex.json', '--fail-on', 'CRITICAL'], root)).code, 0);
    const expired = await scan(['debian.json', '--ignorefile', 'empty', '--vex', 'vex.json', '--format', 'json', '--fail-on', 'CRITICAL'], root, { HULLCHECK_TODAY: '2026-06-30' });
    assert.equal(expired.code, 1);
    assert.deepEqual(ids(JSON.parse(expired.stdout).reports[0].vulnerabilities), ['CVE-2019-18224 libidn2-0', 'CVE-2019-18276 bash']);
  });

  it('shows suppressed findings in text and as external SARIF suppressions that validate', async () => {
    const root = project({ 'debian.json': report('debian-buster.json'), 'ignore': IGNORE, 'empty': '' });
    await scan(['debian.json', '--ignorefile', 'ignore', '--write-vex', 'vex.json', '--fail-on', 'none'], root);
    const text = await scan(['debian.json', '--ignorefile', 'empty', '--vex', 'vex.json', '--fail-on', 'CRITICAL'], root);
    assert.equal(text.code, 0);
    assert.match(text.stdout, /CRITICAL CVE-2019-18224 {2}libidn2-0 2\.0\.5-1 {2}not affected \(vulnerable_code_not_in_execute_path\): not reachable: vulnerable_code_not_in_execute_path \(VEX: vex\.json\)/);
    assert.match(text.stdout, /1 finding, 1 not affected or fixed by VEX\./);
    const sarif = JSON.parse((await scan(['debian.json', '--ignorefile', 'empty', '--vex', 'vex.json', '--format', 'sarif'], root)).stdout);
    const results = sarif.runs[0].results as { ruleId: string; suppressions?: { kind: string; status: string; justification: string }[] }[];
    assert.deepEqual(results.map((x) => [x.ruleId, x.suppressions?.[0].kind ?? null]), [['CVE-2019-18276', null], ['CVE-2019-18224', 'external']]);
    assert.match(results[1].suppressions![0].justification, /^VEX not affected \(vulnerable_code_not_in_execute_path\)/);
    const schema = JSON.parse(fs.readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
    const ajv = new AjvDraft04({ strict: false, allErrors: true, validateFormats: false, unicodeRegExp: false });
    assert.ok(ajv.validate(schema, sarif), JSON.stringify(ajv.errors?.slice(0, 3)));
  });

  it('keeps the attribution of suppressed findings: JSON introducedBy and the SARIF location at the Dockerfile line', async () => {
    const dockerfile = 'FROM debian:buster\nARG DEBIAN_FRONTEND=noninteractive\nCOPY install.sh /tmp/install.sh\nCOPY Gemfile /Gemfile\n' +
      'RUN chmod +x /tmp/install.sh && /bin/bash -l -c /tmp/install.sh && rm /tmp/*\nCOPY fluent.conf /etc/fluent/fluent.conf\n' +
      'COPY run.sh /run.sh\nEXPOSE 80\nENV LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2\nCMD ["/run.sh"]\n';
    const root = project({ 'fluentd.json': report('fluentd-gems.json'), 'Dockerfile': dockerfile, 'ignore': 'CVE-2020-8165 # the Rails app is not exposed\n', 'empty': '' });
    await scan(['fluentd.json', '--ignorefile', 'ignore', '--write-vex', 'vex.json', '--fail-on', 'none'], root);
    const args = ['fluentd.json', '--ignorefile', 'empty', '--vex', 'vex.json', '--dockerfile', 'Dockerfile'];
    const json = JSON.parse((await scan([...args, '--format', 'json'], root)).stdout).reports[0];
    assert.deepEqual(json.notAffected.map((v: { id: string; introducedBy: { line: number } }) => [v.id, v.introducedBy.line]), [['CVE-2020-8165', 5]]);
    const sarif = JSON.parse((await scan([...args, '--format', 'sarif'], root)).stdout);
    const suppressed = sarif.runs[0].results.find((x: { suppressions?: unknown[] }) => x.suppressions);
    assert.equal(suppressed.ruleId, 'CVE-2020-8165');
    assert.deepEqual(suppressed.locations[0].physicalLocation.region, { startLine: 5 });
  });

  it('refuses a file that is not OpenVEX with exit 2', async () => {
    const root = project({ 'debian.json': report('debian-buster.json'), 'cdx.json': '{"bomFormat":"CycloneDX","vulnerabilities":[]}' });
    const r = await scan(['debian.json', '--vex', 'cdx.json'], root);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cdx\.json is not an OpenVEX document/);
    assert.match((await scan(['debian.json', '--vex', 'nope.json'], root)).stderr, /nope\.json: no such VEX document/);
  });
});

describe('VEX statements and products', () => {
  const debian = corpusReport('debian-buster.json');
  const doc = (statements: unknown[], timestamp = '2026-01-01T00:00:00Z') => {
    const r = parseVex(JSON.stringify({ '@context': 'https://openvex.dev/ns/v0.2.0', '@id': 'urn:x:1', author: 'a', timestamp, version: 1, statements }), 'v.json');
    assert.ok(r.ok);
    return r.doc.statements;
  };
  // written unencoded here, as people write them by hand
  const image = (extra: Record<string, unknown> = {}) => ({ '@id': 'pkg:oci/trivy-test-images?repository_url=ghcr.io/aquasecurity/trivy-test-images', ...extra });
  const suppressedIds = (statements: ReturnType<typeof doc>) => applyVex(debian, debian.vulnerabilities, statements, '2026-01-15').suppressed.map((s) => s.vulnerability.id);

  it('applies to the image repository only, narrowed by subcomponents', () => {
    assert.deepEqual(suppressedIds(doc([{ vulnerability: { name: 'CVE-2019-18224' }, products: [image()], status: 'not_affected', justification: 'component_not_present' }])), ['CVE-2019-18224']);
    const other = { '@id': 'pkg:oci/api?repository_url=ghcr.io/acme/api' };
    assert.deepEqual(suppressedIds(doc([{ vulnerability: { name: 'CVE-2019-18224' }, products: [other], status: 'not_affected', justification: 'component_not_present' }])), []);
    // a subcomponent that is not the vulnerable package leaves the finding alone
    assert.deepEqual(suppressedIds(doc([{ vulnerability: { name: 'CVE-2019-18224' }, products: [image({ subcomponents: [{ '@id': 'pkg:deb/debian/bash' }] })], status: 'not_affected', justification: 'component_not_present' }])), []);
    assert.deepEqual(suppressedIds(doc([{ vulnerability: { name: 'CVE-2019-18224' }, products: [image({ subcomponents: [{ '@id': 'pkg:deb/debian/libidn2-0@2.0.5-1' }] })], status: 'fixed' }])), ['CVE-2019-18224']);
    // an image digest that is not this image's
    assert.deepEqual(suppressedIds(doc([{ vulnerability: { name: 'CVE-2019-18224' }, products: [{ '@id': 'pkg:oci/trivy-test-images@sha256:00ff?repository_url=ghcr.io/aquasecurity/trivy-test-images' }], status: 'fixed' }])), []);
  });

  it('lets the newest matching statement decide, and an alias name the finding', () => {
    const older = { vulnerability: { name: 'CVE-2019-18224' }, products: [image()], status: 'not_affected', impact_statement: 'x', timestamp: '2026-01-02T00:00:00Z' };
    const newer = { vulnerability: { name: 'GHSA-none', aliases: ['CVE-2019-18224'] }, products: [image()], status: 'affected', action_statement: 'upgrade', timestamp: '2026-01-03T00:00:00Z' };
    assert.deepEqual(suppressedIds(doc([older, newer])), []);
    assert.deepEqual(suppressedIds(doc([{ ...older, timestamp: '2026-01-04T00:00:00Z' }, newer])), ['CVE-2019-18224']);
    assert.deepEqual(suppressedIds(doc([{ ...older, status: 'under_investigation' }])), []);
  });

  it('warns about statements that name no product by purl', () => {
    const r = parseVex(JSON.stringify({ '@context': 'https://openvex.dev/ns/v0.2.0', '@id': 'urn:x:1', author: 'a', timestamp: '2026-01-01T00:00:00Z', version: 1,
      statements: [{ vulnerability: { name: 'CVE-1' }, products: [{ '@id': 'https://example.com/product' }], status: 'not_affected', justification: 'component_not_present' }] }), 'v.json');
    assert.ok(r.ok);
    assert.match(r.warnings.join('\n'), /1 statement names no product by purl and applies to nothing/);
  });

  it('parses and compares purls and repositories as Trivy writes them', () => {
    assert.equal(normalizeRepository('alpine:3.20'), 'index.docker.io/library/alpine');
    assert.equal(normalizeRepository('docker.io/acme/api@sha256:0a1b'), 'index.docker.io/acme/api');
    assert.equal(normalizeRepository('localhost:5000/api:1'), 'localhost:5000/api');
    const have = parsePurl('pkg:deb/debian/libidn2-0@2.0.5-1?arch=amd64&distro=debian-10.1')!;
    assert.ok(purlCovers(parsePurl('pkg:deb/debian/libidn2-0')!, have));
    assert.ok(purlCovers(parsePurl('pkg:deb/debian/libidn2-0@2.0.5-1?arch=amd64')!, have));
    assert.ok(!purlCovers(parsePurl('pkg:deb/debian/libidn2-0@2.0.5-2')!, have));
    assert.ok(!purlCovers(parsePurl('pkg:deb/debian/libidn2-0?arch=arm64')!, have));
    assert.equal(parsePurl('pkg:npm/%40scope/name@1.0.0')?.namespace, '@scope');
    assert.equal(justificationIn('Vulnerable code not present in our build'), 'vulnerable_code_not_present');
    assert.equal(justificationIn('not reachable'), undefined);
  });
});
