// The Vulnerabilities view grouped by "introduced by": corpus reports grouped by the server as hullcheck/trivyResults
// sends them, then built into origin nodes; every vulnerability lands under the layer its DiffID names.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CORPUS } from '../helpers';
import { groupReport } from '../../server/src/features/trivy';
import { loadReport } from '../../server/src/trivy/report';
import { scanMain } from '../../server/src/cli/scan';
import { buildImage, originDescription, SEVERITY_ORDER, type TrivyNode } from '../../client/src/views/trivyModel';

const DIR = path.join(CORPUS, 'trivy', 'reports');

async function image(file: string) {
  const r = await loadReport(path.join(DIR, file));
  assert.ok(r.ok);
  return groupReport(r.report, 'file', []);
}

describe('Vulnerabilities view grouped by introducing layer', () => {
  it('puts each vulnerability under its layer, in build order, with counts and fixable', async () => {
    const node = buildImage(await image('fluentd-gems.json'), [...SEVERITY_ORDER], 'introducedBy');
    const origins = node.children.filter((n): n is TrivyNode & { kind: 'origin' } => n.kind === 'origin');
    assert.deepEqual(origins.map((o) => [o.label, originDescription(o), o.children.map((c) => c.kind === 'finding' && c.finding.id)]), [
      ['layer 1: ADD file:bc8179c87c8d in /', '1 critical · 1 fixable', ['CVE-2019-18224']],
      ['layer 4: RUN chmod +x /tmp/install.sh && /bin/bash -l -c /tmp/install.sh && rm /…', '1 high · 1 fixable', ['CVE-2020-8165']],
    ]);
  });

  it('keeps every vulnerability of every corpus report, and the severity grouping stays the default', async () => {
    for (const file of fs.readdirSync(DIR).filter((f) => f.endsWith('.json'))) {
      const img = await image(file);
      const total = img.severities.flatMap((g) => g.findings).filter((f) => f.kind === 'vulnerability').length;
      const byOrigin = buildImage(img, [...SEVERITY_ORDER], 'introducedBy').children.filter((n) => n.kind === 'origin');
      assert.equal(byOrigin.reduce((n, o) => n + o.children.length, 0), total, file);
      assert.ok(buildImage(img, [...SEVERITY_ORDER]).children.every((n) => n.kind !== 'origin'), file);
    }
  });

  it('groups findings of a report without layer information under one unknown-layer node', async () => {
    const node = buildImage(await image('npm-with-suppressed.json'), [...SEVERITY_ORDER], 'introducedBy');
    assert.deepEqual(node.children.filter((n) => n.kind === 'origin').map((n) => n.kind === 'origin' && n.label), ['Layer not known']);
  });
});

describe('fixable-only', () => {
  it('the view leaves out vulnerabilities without a fixed version', async () => {
    const img = await image('ubuntu-1804.json');
    const ids = (n: TrivyNode): string[] => n.kind === 'finding' ? [n.finding.id] : n.children.flatMap(ids);
    assert.ok(ids(buildImage(img, [...SEVERITY_ORDER])).includes('CVE-2019-18276'));
    assert.deepEqual([...new Set(ids(buildImage(img, [...SEVERITY_ORDER], 'severity', true)))], ['CVE-2019-5094']);
  });

  it('hullcheck scan --fixable-only lists and gates only fixable vulnerabilities', async () => {
    const run = async (args: string[]) => {
      let stdout = '', stderr = '';
      const code = await scanMain(args, { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; } }, { cwd: DIR, env: { ...process.env }, version: '9.9.9' });
      return { code, stdout, stderr };
    };
    const all = JSON.parse((await run(['ubuntu-1804.json', '--format', 'json', '--fail-on', 'LOW'])).stdout).reports[0];
    assert.ok(all.vulnerabilities.some((v: { id: string }) => v.id === 'CVE-2019-18276'));
    const fixable = await run(['ubuntu-1804.json', '--format', 'json', '--fail-on', 'LOW', '--fixable-only']);
    const rep = JSON.parse(fixable.stdout).reports[0];
    assert.deepEqual([...new Set(rep.vulnerabilities.map((v: { id: string }) => v.id))], ['CVE-2019-5094']);
    assert.deepEqual(rep.counts, all.counts, 'counts stay the report\'s own');
    assert.equal((await run(['ubuntu-1804.json', '--fail-on', 'MEDIUM', '--fixable-only'])).code, 1, 'MEDIUM CVE-2019-5094 has a fix and still gates');
    // distroless-base: its MEDIUM findings have no fix, so a MEDIUM gate passes with --fixable-only
    assert.equal((await run(['distroless-base.json', '--fail-on', 'MEDIUM'])).code, 1);
    assert.equal((await run(['distroless-base.json', '--fail-on', 'MEDIUM', '--fixable-only'])).code, 0);
  });
});
