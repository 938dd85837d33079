// Safe fixes are safe on real files: for every corpus file (and every rule fixture Dockerfile), applying all safe
// fixes until stable keeps the file parsing, removes every fixable finding, is idempotent, and changes no line that
// no applied edit touched.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixUntilStable, safeFixesOf } from '../../server/src/core/fixes';
import { lintFile } from '../../server/src/engine/lintFile';
import { LineIndex } from '../../server/src/core/text';
import type { Finding, Fix, Language } from '../../server/src/core/findings';
import { CORPUS, FIXTURES } from '../helpers';
import { walk } from '../bench/corpus';
import { emptyHost, FUZZ_DIR } from '../fuzz/props';
import { supported } from '../fuzz/seeds';

/** Findings that mean "this no longer parses", per language. */
const SYNTAX: Record<Language, (f: Finding) => boolean> = {
  dockerfile: (f) => f.rule === 'syntax-error',
  compose: (f) => f.rule === 'compose-schema' && /yaml/i.test(f.message),
  dockerignore: () => false,
  trivyignore: (f) => /yaml/i.test(f.message),
};

const NAME: Record<Language, string> = { dockerfile: 'Dockerfile', compose: 'compose.yaml', dockerignore: '.dockerignore', trivyignore: '.trivyignore' };

async function lintText(language: Language, text: string): Promise<Finding[]> {
  const facts = language === 'dockerfile' ? { dockerignore: null, contextDir: FUZZ_DIR } : undefined;
  const r = await lintFile(`${FUZZ_DIR}/${NAME[language]}`, text, { host: emptyHost, enableAll: true, language, facts });
  return r.findings;
}

/** Safe fixes that change this text (a create-file fix without edits is applied by whoever creates files). */
const textFixes = (findings: Finding[]): Fix[] => safeFixesOf(findings).filter((f) => f.edits.length > 0);

function linesOf(text: string): string[] {
  const idx = new LineIndex(text);
  return Array.from({ length: idx.lineCount }, (_, i) => idx.lineText(i));
}

/** Line diff (LCS): old lines removed or changed, and the old-line positions where new lines were inserted. */
export function lineDiff(a: string[], b: string[]): { removed: number[]; addedAt: number[] } {
  let p = 0;
  while (p < a.length && p < b.length && a[p] === b[p]) p++;
  let s = 0;
  while (s < a.length - p && s < b.length - p && a[a.length - 1 - s] === b[b.length - 1 - s]) s++;
  const A = a.slice(p, a.length - s), B = b.slice(p, b.length - s);
  const n = A.length, m = B.length;
  const dp = new Uint32Array((n + 1) * (m + 1));
  const at = (i: number, j: number) => i * (m + 1) + j;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) dp[at(i, j)] = A[i] === B[j] ? dp[at(i + 1, j + 1)] + 1 : Math.max(dp[at(i + 1, j)], dp[at(i, j + 1)]);
  }
  const removed: number[] = [], addedAt: number[] = [];
  let i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && A[i] === B[j]) { i++; j++; } else if (j >= m || (i < n && dp[at(i + 1, j)] >= dp[at(i, j + 1)])) removed.push(p + i++);
    else { addedAt.push(p + i); j++; }
  }
  return { removed, addedAt };
}

/** Lines changed by a pass that no applied edit touched (empty when the pass kept to its edits). */
function untouched(pass: { before: string; after: string; applied: Fix[] }): string[] {
  const spans = pass.applied.flatMap((f) => f.edits.map((e) => [e.range.start.line, e.range.end.line] as const));
  const old = linesOf(pass.before);
  const { removed, addedAt } = lineDiff(old, linesOf(pass.after));
  const inSpan = (k: number, slack: number) => spans.some(([s, e]) => s <= k && k <= e + slack);
  // identical lines make a diff ambiguous: a removed line equal to a line inside an edited span is that line
  const editedText = new Set(spans.flatMap(([s, e]) => old.slice(s, e + 1)));
  return [
    ...removed.filter((k) => !inSpan(k, 0) && !editedText.has(old[k])).map((k) => `line ${k + 1} changed: ${JSON.stringify(old[k])}`),
    ...addedAt.filter((k) => !inSpan(k, 1)).map((k) => `a line was inserted before line ${k + 1}`),
  ];
}

async function checkFile(language: Language, text: string): Promise<{ problems: string[]; hadFixes: boolean }> {
  const problems: string[] = [];
  const before = await lintText(language, text);
  const lint = (t: string) => lintText(language, t);
  const result = await fixUntilStable(text, lint, textFixes, 10, (pass) => {
    for (const p of untouched(pass)) problems.push(`pass changed more than its edits: ${p}`);
  });
  if (result.passes === 10) problems.push('fixes did not settle within 10 passes');
  const after = await lintText(language, result.text);
  const syntaxBefore = before.filter(SYNTAX[language]).length;
  const syntaxAfter = after.filter(SYNTAX[language]);
  if (syntaxAfter.length > syntaxBefore) problems.push(`fixes broke parsing: ${syntaxAfter.map((f) => `${f.range.start.line + 1}: ${f.message}`).join('; ')}`);
  for (const f of after) {
    if (textFixes([f]).length) problems.push(`still fixable after fixing: ${f.rule} at ${f.range.start.line + 1}:${f.range.start.character + 1} ${f.message}`);
  }
  const again = await fixUntilStable(result.text, lint, textFixes);
  if (again.text !== result.text) problems.push(`a second application changed the text (${again.passes} more passes)`);
  return { problems, hadFixes: before.some((f) => textFixes([f]).length > 0) };
}

/**
 * Known defects, each still failing today (the test fails when one is fixed, so the entry gets removed). Keyed by
 * the path under the corpus or under test/fixtures/rules.
 */
const KNOWN: Record<string, string> = {};

function knownKey(file: string): string {
  const rules = path.join(FIXTURES, 'rules');
  return file.startsWith(rules) ? path.relative(rules, file) : path.relative(CORPUS, file);
}

interface Input { language: Language; file: string }

function inputs(): Input[] {
  const out: Input[] = [];
  const add = (language: Language, files: string[]) => { if (supported(language)) out.push(...files.map((file) => ({ language, file }))); };
  add('dockerfile', walk(path.join(CORPUS, 'dockerfiles'), () => true));
  add('dockerfile', walk(path.join(CORPUS, 'tale'), (n) => /dockerfile/i.test(n)));
  add('compose', walk(path.join(CORPUS, 'compose'), (n) => /\.ya?ml$/i.test(n)));
  add('dockerignore', walk(path.join(CORPUS, 'dockerignore'), () => true));
  // every rule fixture Dockerfile: deliberately odd inputs (heredocs, CRLF, ONBUILD, broken syntax)
  add('dockerfile', walk(path.join(FIXTURES, 'rules'), (n) => n === 'Dockerfile' || (n.endsWith('.Dockerfile') && !n.endsWith('.fixed.Dockerfile'))));
  return out;
}

test('applying every safe fix keeps files parsing, removes the fixable findings, is idempotent and stays in its lines', { timeout: 20 * 60_000 }, async () => {
  const all = inputs();
  assert.ok(all.length > 400, `expected the corpus next to the project, found ${all.length} files`);
  const failures: string[] = [];
  const stillKnown = new Set<string>();
  let fixed = 0;
  for (const { language, file } of all) {
    const text = fs.readFileSync(file, 'utf8');
    const { problems, hadFixes } = await checkFile(language, text);
    if (hadFixes) fixed++;
    const key = knownKey(file);
    if (problems.length && KNOWN[key]) stillKnown.add(key);
    else if (problems.length) failures.push(`${key}\n    ${problems.slice(0, 5).join('\n    ')}`);
  }
  const resolved = Object.keys(KNOWN).filter((k) => !stillKnown.has(k));
  assert.deepEqual(resolved, [], 'these known defects no longer reproduce: remove them from KNOWN');
  assert.ok(fixed > 100, `only ${fixed} files had safe fixes: the check would prove little`);
  assert.equal(failures.length, 0, `${failures.length} of ${all.length} files:\n${failures.slice(0, 25).join('\n')}`);
});

test('the line diff reports changed and inserted lines', () => {
  assert.deepEqual(lineDiff(['a', 'b', 'c'], ['a', 'B', 'c']), { removed: [1], addedAt: [2] });
  assert.deepEqual(lineDiff(['a', 'c'], ['a', 'b', 'c']), { removed: [], addedAt: [1] });
  assert.deepEqual(lineDiff(['a', 'b', 'c', 'd'], ['a', 'd']), { removed: [1, 2], addedAt: [] });
});
