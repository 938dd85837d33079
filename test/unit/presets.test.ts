// Presets: the record of every rule is complete, each preset gives the severities it promises, pins keep the
// rule set of their version, and configuration still overrides a preset.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../../server/src/rules';
import { HADOLINT_SEVERITY, RULE_RECORDS, RULESET_VERSION } from '../../server/src/config/presetRecords';
import { changesSince, compareVersions, isVersion, parsePreset, presetSeverity } from '../../server/src/config/presets';
import { lintFile } from '../../server/src/engine/lintFile';
import { nodeHost } from '../../server/src/core/fileHost';
import { main } from '../../server/src/cli';
import { tempTree } from '../helpers';
import type { RuleMeta } from '../../server/src/core/ruleMeta';
import { version as packageVersion } from '../../package.json';

const meta = (id: string): RuleMeta => {
  const r = RULES.find((x) => x.meta.id === id);
  assert.ok(r, `no rule ${id}`);
  return r.meta;
};


const PINNED = 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n' +
  'USER 1000\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\nCMD ["sleep", "1"]\n';

async function lintIn(config: string | undefined, text = PINNED) {
  const dir = tempTree(config === undefined ? {} : { '.hullcheck.yaml': config });
  const file = path.join(dir, 'Dockerfile');
  fs.writeFileSync(file, text);
  return lintFile(file, text, { host: nodeHost });
}

describe('rule record', () => {
  it('has exactly one entry per registry rule, each with a valid since', () => {
    const ids = new Set(RULES.map((r) => r.meta.id));
    const missing = [...ids].filter((id) => !(id in RULE_RECORDS));
    assert.deepEqual(missing, [], 'rules without a preset record in server/src/config/presetRecords.ts');
    const stale = Object.keys(RULE_RECORDS).filter((id) => !ids.has(id));
    assert.deepEqual(stale, [], 'preset records that name no rule');
    for (const [id, rec] of Object.entries(RULE_RECORDS)) {
      assert.ok(isVersion(rec.since) && compareVersions(rec.since, RULESET_VERSION) <= 0, `${id}: since ${rec.since}`);
      for (const c of rec.changes ?? []) assert.ok(isVersion(c.version) && compareVersions(c.version, rec.since) >= 0, `${id}: change ${c.version}`);
    }
  });

  it('knows hadolint severity of every DL code a rule maps', () => {
    const codes = RULES.flatMap((r) => r.meta.hadolint ?? []).filter((c) => c.startsWith('DL'));
    assert.deepEqual(codes.filter((c) => !(c in HADOLINT_SEVERITY)), []);
  });

  it('is at least as new as the package version', () => {
    assert.ok(compareVersions(RULESET_VERSION, packageVersion) >= 0);
  });
});

describe('preset severities', () => {
  it('recommended quiets opinionated checks and keeps correctness and security', () => {
    const rec = { name: 'recommended' as const };
    for (const id of ['apt-pin-versions', 'pip-version-range', 'cd-use-workdir', 'npm-pin-versions']) assert.equal(presetSeverity(meta(id), rec), 'info', id);
    for (const id of ['prefer-uv', 'cache-mount-suggested', 'copy-from-link']) assert.equal(presetSeverity(meta(id), rec), 'hint', id);
    for (const id of ['healthcheck-missing', 'user-non-root', 'apt-no-install-recommends', 'cache-order-deps', 'squash-stage-drops-config', 'oci-labels', 'syntax-error']) {
      assert.equal(presetSeverity(meta(id), rec), meta(id).severity, id);
    }
  });

  it('strict turns every opinionated check on at warning or above', () => {
    for (const [id, rec] of Object.entries(RULE_RECORDS)) {
      if (!rec.opinion) continue;
      const sev = presetSeverity(meta(id), { name: 'strict' });
      assert.ok(sev === 'warning' || sev === 'error', `${id} is ${sev} in strict`);
    }
  });

  it('hadolint uses hadolint severities and turns off what hadolint does not have', () => {
    const h = { name: 'hadolint' as const };
    assert.equal(presetSeverity(meta('invalid-label-key'), h), 'hint'); // DL3048 is style
    assert.equal(presetSeverity(meta('healthcheck-missing'), h), 'off'); // DL3057 is ignored by default
    assert.equal(presetSeverity(meta('apt-lists-cleanup'), h), 'info'); // DL3009
    assert.equal(presetSeverity(meta('maintainer-deprecated'), h), 'error'); // DL4000
    assert.equal(presetSeverity(meta('cache-order-deps'), h), 'off');
    assert.equal(presetSeverity(meta('compose-port-conflict'), h), meta('compose-port-conflict').severity);
  });

  it('a pin keeps the defaults of its version', () => {
    assert.equal(presetSeverity(meta('apt-pin-versions'), { name: 'recommended', version: '0.1.0' }), meta('apt-pin-versions').severity);
    // a rule that arrived after the pin stays off
    const later: RuleMeta = { ...meta('apt-pin-versions'), id: 'x-later' };
    RULE_RECORDS['x-later'] = { since: RULESET_VERSION };
    try {
      assert.equal(presetSeverity(later, { name: 'recommended', version: '0.1.0' }), 'off');
      assert.equal(presetSeverity(later, { name: 'recommended' }), later.severity);
      const rows = changesSince([later], 'recommended', '0.1.0');
      assert.equal(rows.length, 1);
      assert.equal(rows[0].newRule, RULESET_VERSION);
    } finally {
      delete RULE_RECORDS['x-later'];
    }
  });

  it('rejects unknown presets and versions it cannot know', () => {
    assert.equal(typeof parsePreset('lenient'), 'string');
    assert.equal(typeof parsePreset('recommended@1.x'), 'string');
    assert.equal(typeof parsePreset('recommended@99.0.0'), 'string');
    assert.equal(typeof parsePreset('strict@0.1.0'), 'string');
    assert.deepEqual(parsePreset('Recommended@0.1.0'), { name: 'recommended', version: '0.1.0' });
  });
});

describe('preset in .hullcheck.yaml', () => {
  const sevOf = (r: Awaited<ReturnType<typeof lintFile>>, rule: string) => r.findings.filter((f) => f.rule === rule).map((f) => f.severity);

  it('defaults to recommended, and strict or a pin brings the warning back', async () => {
    assert.deepEqual(sevOf(await lintIn(undefined), 'apt-pin-versions'), ['info']);
    assert.deepEqual(sevOf(await lintIn('preset: strict\n'), 'apt-pin-versions'), ['warning']);
    assert.deepEqual(sevOf(await lintIn('preset: recommended@0.1.0\n'), 'apt-pin-versions'), ['warning']);
  });

  it('recommended requires the OCI version label, strict every OCI label an author sets', async () => {
    const msg = (await lintIn('preset: strict\n')).findings.find((f) => f.rule === 'oci-labels')?.message ?? '';
    assert.match(msg, /org\.opencontainers\.image\.licenses/);
    const rec = (await lintIn(undefined)).findings.find((f) => f.rule === 'oci-labels')?.message ?? '';
    assert.doesNotMatch(rec, /licenses/);
    // recommended asks the version label only; a 0.1.0 pin keeps the source label it required
    assert.match(rec, /image\.version/);
    assert.doesNotMatch(rec, /image\.source/);
    const pinned = (await lintIn('preset: recommended@0.1.0\n')).findings.find((f) => f.rule === 'oci-labels')?.message ?? '';
    assert.match(pinned, /image\.version`, `org\.opencontainers\.image\.source/);
    // an explicit list still wins over the preset's
    const own = (await lintIn('preset: strict\nrequiredLabels: [org.opencontainers.image.version]\n')).findings.find((f) => f.rule === 'oci-labels')?.message ?? '';
    assert.doesNotMatch(own, /licenses/);
  });

  it('rules: still override the preset, and hadolint turns on hadolint compatibility', async () => {
    assert.deepEqual(sevOf(await lintIn('preset: recommended\nrules:\n  apt-pin-versions: error\n'), 'apt-pin-versions'), ['error']);
    const h = await lintIn('preset: hadolint\n');
    assert.equal(h.config?.hadolintCompat, true);
    assert.deepEqual(sevOf(h, 'cache-order-deps'), []);
  });

  it('reports a bad preset as a config problem', async () => {
    const r = await lintIn('preset: lenient\n');
    assert.match(r.configProblems.map((p) => p.message).join('\n'), /Unknown preset `lenient`/);
  });
});

describe('hullcheck rules --changes-since', () => {
  async function run(args: string[]) {
    let stdout = '', stderr = '';
    const code = await main(args, { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; } }, async () => '');
    return { code, stdout, stderr };
  }

  it('lists what moving a pin to this release changes', async () => {
    const r = await run(['rules', '--changes-since', '0.1.0', '--format', 'json']);
    assert.equal(r.code, 0);
    const out = JSON.parse(r.stdout) as { changes: { id: string; from: string; to: string }[] };
    assert.ok(out.changes.some((c) => c.id === 'apt-pin-versions' && c.from === 'warning' && c.to === 'info'));
    const strict = JSON.parse((await run(['rules', '--preset', 'strict', '--changes-since', RULESET_VERSION, '--format', 'json'])).stdout);
    assert.deepEqual(strict.changes, []);
    assert.equal((await run(['rules', '--changes-since', 'soon'])).code, 2);
  });

  it('shows the severities of the chosen preset', async () => {
    const rows = JSON.parse((await run(['rules', '--preset', 'strict', '--format', 'json'])).stdout) as { id: string; severity: string }[];
    assert.equal(rows.find((x) => x.id === 'apt-pin-versions')?.severity, 'warning');
    const rec = JSON.parse((await run(['rules', '--format', 'json'])).stdout) as { id: string; severity: string }[];
    assert.equal(rec.find((x) => x.id === 'apt-pin-versions')?.severity, 'info');
  });
});
