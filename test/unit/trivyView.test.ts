// The Vulnerabilities view's tree model (client/src/views/trivyModel.ts), fed with real corpus reports grouped by
// the server exactly as hullcheck/trivyResults sends them, and checked against counts taken from the raw JSON.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CORPUS } from '../helpers';
import { groupReport } from '../../server/src/features/trivy';
import { loadReport } from '../../server/src/trivy/report';
import type { TrivyImageGroup, TrivySeverityName } from '../../server/src/protocol/trivyMessages';
import {
  addDays, budgetedRefs, buildImage, buildTree, countsDescription, filterDescription, findingLabel, ignoreSection,
  normalizeSeverities, reportRefs, SEVERITY_ORDER, validateExpiry, type TrivyNode,
} from '../../client/src/views/trivyModel';

const DIR = path.join(CORPUS, 'trivy', 'reports');
const FILES = fs.readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

interface RawVuln { VulnerabilityID: string; Severity?: string; FixedVersion?: string }
interface RawReport { ArtifactName: string; Results?: { Vulnerabilities?: RawVuln[]; Secrets?: unknown[]; Misconfigurations?: { Status?: string }[] }[] }

function raw(file: string): RawReport {
  return JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8')) as RawReport;
}

async function group(file: string, ignore?: { file: string; text: string }): Promise<TrivyImageGroup> {
  const r = await loadReport(path.join(DIR, file));
  assert.ok(r.ok, `${file} loads`);
  return groupReport(r.report, 'file', [], ignore);
}

function walk(nodes: TrivyNode[], out: TrivyNode[] = []): TrivyNode[] {
  for (const n of nodes) { out.push(n); walk(n.children, out); }
  return out;
}

const ALL = [...SEVERITY_ORDER];

describe('Vulnerabilities tree from corpus reports', () => {
  for (const file of FILES) {
    it(`${file}: severity nodes hold every vulnerability of the raw report, most severe first`, async () => {
      const r = raw(file);
      const vulns = (r.Results ?? []).flatMap((x) => x.Vulnerabilities ?? []);
      const image = buildImage(await group(file), ALL);
      const sevNodes = image.children.filter((n): n is TrivyNode & { kind: 'severity' } => n.kind === 'severity');
      assert.deepEqual(sevNodes.map((n) => n.severity), SEVERITY_ORDER.filter((s) => sevNodes.some((n) => n.severity === s)), 'order');
      for (const s of SEVERITY_ORDER) {
        const expected = vulns.filter((v) => (v.Severity ?? 'UNKNOWN') === s);
        const node = sevNodes.find((n) => n.severity === s);
        assert.equal(node?.children.length ?? 0, expected.length, `${s} count`);
        assert.equal(node?.fixable ?? 0, expected.filter((v) => !!v.FixedVersion).length, `${s} fixable`);
      }
      const secrets = (r.Results ?? []).flatMap((x) => x.Secrets ?? []).length;
      assert.equal(image.children.find((n) => n.kind === 'group' && n.group === 'secrets')?.children.length ?? 0, secrets, 'secrets');
      const failed = (r.Results ?? []).flatMap((x) => x.Misconfigurations ?? []).filter((m) => m.Status !== 'PASS').length;
      assert.equal(image.children.find((n) => n.kind === 'group' && n.group === 'misconfigurations')?.children.length ?? 0, failed, 'misconfigurations');
      // tree item ids must be unique, or VS Code refuses to render the tree
      const keys = walk([image]).map((n) => n.key);
      assert.equal(new Set(keys).size, keys.length, 'unique keys');
    });
  }

  it('the severity filter leaves out other severities, and says so when nothing is left', async () => {
    const image = await group('debian-buster.json');
    const onlyLow = buildImage(image, ['LOW']);
    assert.deepEqual(onlyLow.children.map((n) => (n.kind === 'severity' ? n.severity : n.kind)), ['LOW']);
    assert.equal(onlyLow.shown, raw('debian-buster.json').Results!.flatMap((x) => x.Vulnerabilities ?? []).filter((v) => v.Severity === 'LOW').length);
    const none = buildImage(image, ['MEDIUM']);
    assert.equal(none.shown, 0);
    assert.deepEqual(none.children.map((n) => n.kind), ['message']);
    assert.match((none.children[0] as { text: string }).text, /selected severities/);
  });

  it('findings hidden by the ignore file stay listed, marked ignored', async () => {
    const r = raw('debian-buster.json');
    const id = r.Results!.flatMap((x) => x.Vulnerabilities ?? [])[0].VulnerabilityID;
    const image = await group('debian-buster.json', { file: '/ws/.trivyignore', text: `${id}\n` });
    const findings = walk(buildTree([image], ALL)).filter((n): n is TrivyNode & { kind: 'finding' } => n.kind === 'finding');
    assert.ok(findings.some((f) => f.finding.id === id && f.finding.ignored));
    assert.ok(findings.filter((f) => f.finding.id !== id).every((f) => !f.finding.ignored));
    assert.match(findingLabel(findings.find((f) => f.finding.id === id)!.finding).description, /^ignored · /);
  });

  it('the image description counts the whole report', async () => {
    const image = await group('debian-buster.json');
    const vulns = raw('debian-buster.json').Results!.flatMap((x) => x.Vulnerabilities ?? []);
    const crit = vulns.filter((v) => v.Severity === 'CRITICAL').length;
    assert.ok(countsDescription(image).includes(`${crit} critical`), countsDescription(image));
    assert.ok(!countsDescription(image).includes('medium'));
  });
});

describe('Vulnerabilities view helpers', () => {
  const vuln = { kind: 'vulnerability', id: 'CVE-2024-1', title: 'Overflow', severity: 'HIGH', pkg: 'openssl', installed: '1.1', target: 't', ignored: false } as const;

  it('finding rows show package, installed -> fixed and title', () => {
    assert.deepEqual(findingLabel({ ...vuln, fixed: '1.2' }), { label: 'CVE-2024-1', description: 'openssl 1.1 → 1.2 · Overflow' });
    assert.equal(findingLabel(vuln).description, 'openssl 1.1 (no fix yet) · Overflow');
    assert.equal(findingLabel({ kind: 'secret', id: 'aws-access-key-id', title: 'AWS', severity: 'CRITICAL', target: '/app/.env', ignored: false }).description, 'Critical · /app/.env · AWS');
  });

  it('stored filters are normalized', () => {
    assert.deepEqual(normalizeSeverities(['low', 'CRITICAL', 'nope', 3]), ['CRITICAL', 'LOW']);
    assert.deepEqual(normalizeSeverities(undefined), ALL);
    assert.deepEqual(normalizeSeverities([]), ALL);
    assert.equal(filterDescription(ALL), '');
    assert.equal(filterDescription(['HIGH', 'CRITICAL'] as TrivySeverityName[]), 'Showing Critical, High');
  });

  it('expiry dates are real, well-formed and not past', () => {
    assert.equal(addDays('2024-12-15', 90), '2025-03-15');
    assert.equal(addDays('2024-02-28', 1), '2024-02-29');
    assert.equal(validateExpiry('2025-03-15', '2024-12-15'), undefined);
    assert.equal(validateExpiry('2024-12-15', '2024-12-15'), undefined);
    assert.match(validateExpiry('2025-02-30', '2024-12-15')!, /calendar/);
    assert.match(validateExpiry('15/03/2025', '2024-12-15')!, /YYYY-MM-DD/);
    assert.match(validateExpiry('2024-12-14', '2024-12-15')!, /past/);
  });

  it('ignore entries go to the section of their kind', () => {
    assert.equal(ignoreSection(vuln), 'vulnerabilities');
    assert.equal(ignoreSection({ ...vuln, kind: 'secret' }), 'secrets');
    assert.equal(ignoreSection({ ...vuln, kind: 'misconfiguration' }), 'misconfigurations');
  });

  it('images to scan: budgeted images once each, or container images of loaded reports', async () => {
    const item = (ref: string, tags: string[]) => ({ id: ref, ref, tags, size: 1, created: 0, layers: [] });
    assert.deepEqual(budgetedRefs({ budgeted: [item('app:1', ['app:1']), item('sha256:abc', []), item('x', ['app:1']), item('db:2', [])] }), ['app:1', 'db:2']);
    const images = [await group('debian-buster.json'), await group('debian-buster.json'), await group('dockerfile.json')];
    assert.deepEqual(reportRefs(images), [raw('debian-buster.json').ArtifactName]);
  });
});
