// Fixture-driven rule tests. For every rule, test/fixtures/rules/<id>/ holds:
//   <case>.valid.<ext> (or a <case>.valid/ folder): the rule stays silent;
//   <case>.invalid.<ext> (or folder) plus <case>.invalid.findings: the exact findings (LINE:COL rule message);
//   <case>.fixed.<ext>: the exact text after applying the rule's fixes, for rules that have fixes.
// Set UPDATE_FIXTURES=1 to write missing .findings/.fixed files (then review them by hand).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RULES } from '../../server/src/rules';
import { FIXTURES, fixWith, formatFindings, lint } from '../helpers';

const UPDATE = process.env.UPDATE_FIXTURES === '1';
const MAIN_FILE: Record<string, string> = { dockerfile: 'Dockerfile', dockerignore: '.dockerignore', compose: 'compose.yaml', trivyignore: '.trivyignore' };

interface Case { name: string; kind: 'valid' | 'invalid'; file: string; dir: string }

function cases(ruleDir: string, language: string): Case[] {
  if (!fs.existsSync(ruleDir)) return [];
  const out: Case[] = [];
  for (const entry of fs.readdirSync(ruleDir).sort()) {
    const m = /^(.+)\.(valid|invalid)(\.[^.]+)?$/.exec(entry);
    if (!m || entry.endsWith('.findings')) continue;
    const full = path.join(ruleDir, entry);
    const file = fs.statSync(full).isDirectory() ? path.join(full, MAIN_FILE[language]) : full;
    out.push({ name: m[1], kind: m[2] as Case['kind'], file, dir: ruleDir });
  }
  return out;
}

/** Doc examples are written to a temp folder so they run through the same path as files on disk. */
function tempFile(language: string, text: string, files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-doc-'));
  const file = path.join(dir, MAIN_FILE[language]);
  fs.writeFileSync(file, text);
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
  return file;
}

for (const rule of RULES) {
  const { id, language, fix } = rule.meta;
  if (language === 'image') {
    // an image rule judges a built image, so its examples need a Docker engine to build them
    describe(`rule ${id}`, () => {
      it('fires on its invalid doc example and not on its valid one', { skip: 'image rules need a Docker engine: test/docker/images.test.ts builds their doc examples' }, () => undefined);
    });
    continue;
  }
  describe(`rule ${id}`, () => {
    const dir = path.join(FIXTURES, 'rules', id);
    const all = cases(dir, language);
    /** Invalid fixtures on which the rule offered a safe fix (a safe rule needs at least one). */
    let safeOffered = 0;

    it('has valid and invalid fixtures', () => {
      assert.ok(all.some((c) => c.kind === 'valid'), `no valid fixture in ${dir}`);
      assert.ok(all.some((c) => c.kind === 'invalid'), `no invalid fixture in ${dir}`);
    });

    it('fires on its invalid doc example and not on its valid one', async () => {
      const bad = await lint(tempFile(language, rule.meta.docs.invalid, rule.meta.docs.files), { only: [id] });
      assert.ok(bad.length > 0, 'invalid example did not fire');
      const good = await lint(tempFile(language, rule.meta.docs.valid, rule.meta.docs.files), { only: [id] });
      assert.deepEqual(formatFindings(good), '', 'valid example fired');
    });

    for (const c of all.filter((x) => x.kind === 'valid')) {
      it(`is silent on ${c.name}`, async () => {
        assert.equal(formatFindings(await lint(c.file, { only: [id] })), '');
      });
    }

    for (const c of all.filter((x) => x.kind === 'invalid')) {
      it(`reports ${c.name}`, async () => {
        const findings = await lint(c.file, { only: [id] });
        assert.ok(findings.length > 0, 'rule did not fire');
        const snap = path.join(c.dir, `${c.name}.invalid.findings`);
        const actual = formatFindings(findings);
        if (!fs.existsSync(snap) && UPDATE) fs.writeFileSync(snap, actual);
        assert.equal(actual, fs.readFileSync(snap, 'utf8'));

        // a safe rule may offer an unsafe fix where it cannot be sure (suppression-unused on a hadolint ignore,
        // healthcheck-missing guessing a port); its other fixtures show the safe one (a created file counts)
        if (findings.some((f) => f.fixes.some((x) => x.safety === 'safe'))) safeOffered++;
        // create-file fixes (no text edits) are tested by the rule's own test, not here
        const fixable = findings.filter((f) => f.fixes.some((x) => x.edits.length > 0));
        if (fix === 'none') {
          assert.equal(fixable.length, 0, 'rule declares no fix but offered one');
          return;
        }
        const ext = path.extname(c.file) || '';
        const fixedPath = path.join(c.dir, `${c.name}.fixed${ext === '.dockerignore' ? '' : ext}`);
        if (fixable.length === 0) {
          assert.ok(!fs.existsSync(fixedPath), 'a .fixed file exists but no fix was offered');
          return;
        }
        const original = fs.readFileSync(c.file, 'utf8');
        const fixed = await fixWith(c.file, original, id);
        if (!fs.existsSync(fixedPath) && UPDATE) fs.writeFileSync(fixedPath, fixed);
        assert.equal(fixed, fs.readFileSync(fixedPath, 'utf8'));
        assert.notEqual(fixed, original, 'fix changed nothing');
        const after = await lint(c.file, { text: fixed, only: [id] });
        assert.equal(after.filter((f) => f.fixes.length > 0).length, 0, `fixable findings remain:\n${formatFindings(after)}`);
      });
    }

    if (fix === 'safe') {
      it('offers a safe fix on some invalid fixture', () => {
        assert.ok(safeOffered > 0, 'a safe rule offered only unsafe fixes');
      });
    }
  });
}

describe('rule fixtures', () => {
  it('every fixture folder belongs to a rule', () => {
    const ids = new Set(RULES.map((r) => r.meta.id));
    const orphans = fs.readdirSync(path.join(FIXTURES, 'rules')).filter((d) => !ids.has(d));
    assert.deepEqual(orphans, []);
  });
});
