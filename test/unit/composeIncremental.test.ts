// The compose parse built from the previous version (parse/composeIncremental.ts) against a parse from scratch, over
// every corpus compose file and a 2,000-line file made of the corpus's services, under sequences of random
// single-character edits (spaces, line breaks, indentation, comments, anchors, aliases, merge keys, flow brackets,
// deletions): the same findings with every rule on, the same values, problems, key extents and node tree.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import { lintParsed } from '../../server/src/engine/linter';
import { lintFile } from '../../server/src/engine/lintFile';
import { nodeHost } from '../../server/src/core/fileHost';
import { emptyConfig } from '../../server/src/config/hullcheckConfig';
import { parseCompose, type ParsedCompose } from '../../server/src/parse/compose';
import { parseComposeFrom } from '../../server/src/parse/composeIncremental';
import { bigCompose, CORPUS, walk } from '../bench/corpus';
import { rng as random } from '../fuzz/mutate';

const CHARS = [' ', ' ', ' ', '\n', '\n', 'x', 'x', 'e', '1', '#', ':', '-', '&', '*', '<', '\t', '"', '{', '}', '[', ',', '!', '|', '\r', '$'];

/**
 * One single-character edit: an insertion (mostly at a line end or in the indentation) or a deletion. Two in five
 * fall on the lines where reuse is most delicate: anchors, aliases and merge keys, a service's key, the line before it.
 */
function edit(text: string, rnd: () => number): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const lines = text.split('\n');
  const delicate: number[] = [];
  lines.forEach((l, i) => {
    if (/[&*]\w|<</.test(l) || /^ {1,4}[\w.-]+:\s*$/.test(l)) delicate.push(i);
    if (i > 0 && /^ {1,4}[\w.-]+:\s*$/.test(l)) delicate.push(i - 1);
  });
  const line = delicate.length && rnd() < 0.4 ? delicate[Math.floor(rnd() * delicate.length)] : Math.floor(rnd() * lineStarts.length);
  const start = lineStarts[line];
  const end = line + 1 < lineStarts.length ? lineStarts[line + 1] - 1 : text.length;
  const where = rnd();
  let at = where < 0.45 ? end : where < 0.7 ? start + Math.floor(rnd() * (end - start + 1)) : start + Math.floor(rnd() * Math.min(6, end - start + 1));
  if (rnd() < 0.2 && text.length > 0) {
    at = Math.min(at, text.length - 1);
    return text.slice(0, at) + text.slice(at + 1);
  }
  return text.slice(0, at) + CHARS[Math.floor(rnd() * CHARS.length)] + text.slice(at);
}

/** The node tree with everything a rule can read: kinds, offsets, values, tags, anchors, flow style, comments. */
function dump(n: unknown): unknown {
  if (n === null || n === undefined || typeof n !== 'object') return n;
  if (isPair(n)) return [dump(n.key), dump(n.value)];
  const base = { range: (n as { range?: unknown }).range, comment: (n as { comment?: unknown }).comment, commentBefore: (n as { commentBefore?: unknown }).commentBefore, spaceBefore: (n as { spaceBefore?: unknown }).spaceBefore };
  if (isAlias(n)) return { ...base, alias: n.source };
  // a merge key's value is a new Symbol('<<') in every parse
  if (isScalar(n)) return { ...base, value: typeof n.value === 'symbol' ? String(n.value) : n.value, type: n.type, tag: n.tag, anchor: n.anchor, source: (n as { source?: unknown }).source };
  if (isMap(n) || isSeq(n)) return { ...base, kind: isMap(n) ? 'map' : 'seq', flow: n.flow, tag: n.tag, anchor: n.anchor, items: n.items.map(dump) };
  return { unknown: String(n) };
}

function shape(p: ParsedCompose): unknown {
  return {
    documents: p.documents.map((d) => ({ range: d.range, contents: dump(d.contents), errors: d.errors.length, warnings: d.warnings.length, comment: d.comment, commentBefore: d.commentBefore })),
    values: p.values,
    problems: p.problems,
    keyExtents: [...p.keyExtents].sort((a, b) => a[0] - b[0]),
    services: p.services.map((s) => ({ name: s.name, keyRange: s.keyRange, value: s.value, node: dump(s.node), pair: dump(s.pair), sameDoc: s.doc === p.documents[p.documents.indexOf(s.doc)] })),
  };
}

const config = { ...emptyConfig(), enableAll: true };
const findings = (file: string, p: ParsedCompose) => JSON.stringify(lintParsed('compose', file, p, { config, facts: {} }));

interface Tally { edits: number; reused: number }

/** `sequences` random walks of `steps` edits from `text`, each version parsed both ways and compared. */
function check(file: string, text: string, seed: number, sequences: number, steps: number, tally: Tally): void {
  const rnd = random(seed);
  for (let s = 0; s < sequences; s++) {
    let current = text;
    const undo: string[] = [];
    let previous: ParsedCompose = parseCompose(current);
    for (let k = 0; k < steps; k++) {
      // typing, and taking characters back (which mends the YAML the typing broke)
      if (undo.length && rnd() < 0.5) current = undo.pop()!; else { undo.push(current); current = edit(current, rnd); }
      const incremental = parseComposeFrom(previous, current);
      tally.edits++;
      if (previous.retired) tally.reused++;
      const fresh = parseCompose(current);
      const where = `${path.relative(CORPUS, file)} (seed ${seed}, sequence ${s}, edit ${k + 1})`;
      assert.equal(findings(file, incremental), findings(file, fresh), `findings differ on ${where}`);
      assert.deepStrictEqual(shape(incremental), shape(fresh), `parse differs on ${where}`);
      previous = incremental;
    }
  }
}

describe('compose parse of the next version from the previous one', () => {
  it('equals a parse from scratch over random edits of every corpus compose file', () => {
    const files = walk(path.join(CORPUS, 'compose'), (n) => /\.ya?ml$/.test(n));
    assert.ok(files.length >= 150, 'the corpus compose files are next to the project');
    const tally: Tally = { edits: 0, reused: 0 };
    files.forEach((file, i) => check(file, fs.readFileSync(file, 'utf8'), 1000 + i, 2, 6, tally));
    // the comparison is only worth something if the reuse really happens on many of the edits
    assert.ok(tally.reused >= 100, `reused on ${tally.reused} of ${tally.edits} edits`);
  });

  it('equals a parse from scratch over random edits of a 2,000-line file', () => {
    const tally: Tally = { edits: 0, reused: 0 };
    check(path.join(CORPUS, 'compose', 'big.yaml'), bigCompose(2000), 7, 3, 20, tally);
    assert.ok(tally.reused >= 10, `reused on ${tally.reused} of ${tally.edits} edits`);
  });

  it('equals a parse from scratch on every single-character edit around the boundaries between services', () => {
    const text = bigCompose(250);
    const file = path.join(CORPUS, 'compose', 'big.yaml');
    const keyLines = [...text.matchAll(/\n(?= {2}[\w.-]+:)/g)].map((m) => m.index! + 1);
    let reused = 0;
    let n = 0;
    for (const keyLine of keyLines.slice(1, 12)) {
      const lastEnd = keyLine - 1;
      const lastStart = text.lastIndexOf('\n', lastEnd - 1) + 1;
      const lastContent = lastStart + (text.slice(lastStart).length - text.slice(lastStart).trimStart().length);
      const spots = [lastEnd, lastEnd - 1, lastStart, lastContent, keyLine, keyLine + 1, keyLine + 2];
      for (const at of spots) {
        for (const next of [...[' ', '\n', '#', 'x', ':', '-', '&', '*'].map((c) => text.slice(0, at) + c + text.slice(at)), text.slice(0, at) + text.slice(at + 1)]) {
          const base = parseCompose(text);
          const p = parseComposeFrom(base, next);
          if (base.retired) reused++;
          const fresh = parseCompose(next);
          assert.deepStrictEqual(shape(p), shape(fresh), `parse differs after an edit at offset ${at}`);
          if (n++ % 20 === 0) assert.equal(findings(file, p), findings(file, fresh), `findings differ after an edit at offset ${at}`);
        }
      }
    }
    assert.ok(reused >= 50, `reused on ${reused} edits`);
  });

  it('reuses the parse on the edits of a typing pause: a space at a line end, taken back', () => {
    const text = bigCompose(2000);
    const lines = text.split('\n');
    let previous = parseCompose(text);
    let reused = 0;
    for (let i = 0; i < 40; i++) {
      const line = (i * 7919) % (lines.length - 1);
      const at = lines.slice(0, line + 1).join('\n').length;
      const next = i % 2 === 0 ? `${text.slice(0, at)} ${text.slice(at)}` : text;
      const p = parseComposeFrom(previous, next);
      if (previous.retired) reused++;
      assert.deepStrictEqual(shape(p), shape(parseCompose(next)));
      previous = p;
    }
    assert.ok(reused >= 30, `reused on ${reused} of 40 edits`);
  });

  it('does not reuse a parse that a later version already took over', () => {
    const text = bigCompose(300);
    const at = text.indexOf('\n', text.length / 3);
    const first = parseCompose(text);
    const second = parseComposeFrom(first, `${text.slice(0, at)} ${text.slice(at)}`);
    assert.equal(first.retired, true);
    const third = parseComposeFrom(first, `${text.slice(0, at)}  ${text.slice(at)}`);
    assert.notEqual(third, second);
    assert.deepStrictEqual(shape(third), shape(parseCompose(`${text.slice(0, at)}  ${text.slice(at)}`)));
  });

  it('lints a parse that a later version took over from a new parse of its text', async () => {
    const file = path.join(CORPUS, 'compose', 'big.yaml');
    const text = bigCompose(300);
    const at = text.indexOf('\n', text.length / 3);
    const first = parseCompose(text);
    parseComposeFrom(first, `${text.slice(0, at)}x${text.slice(at)}`);
    assert.equal(first.retired, true);
    const opts = { host: nodeHost, language: 'compose' as const, facts: {}, enableAll: true };
    const late = await lintFile(file, text, { ...opts, parsed: first });
    const fresh = await lintFile(file, text, { ...opts, parsed: parseCompose(text) });
    assert.deepStrictEqual(late.findings, fresh.findings);
  });
});
