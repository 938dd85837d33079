// The Vulnerabilities view grouped by "introduced by": corpus reports grouped by the server as hullcheck/trivyResults
// sends them, then built into origin nodes; every vulnerability lands under the layer its DiffID names.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CORPUS } from '../helpers';
import { groupReport } from '../../server/src/features/trivy';
import { loadReport } from '../../server/src/trivy/report';
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
