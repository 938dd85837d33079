// Aliases in compose files are followed through a table made in one pass over the document: it must name the same
// node as yaml's own (walking) resolution for every alias, including reused anchor names, aliases before any anchor
// of their name, and the corpus's real files.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isAlias, parseAllDocuments, visit, type Alias, type Document } from 'yaml';
import { deref } from '../../server/src/parse/compose';
import { CORPUS } from '../helpers';

function aliases(doc: Document): Alias[] {
  const out: Alias[] = [];
  visit(doc, { Alias: (_k, node) => { out.push(node); } });
  return out;
}

function sameAsYaml(text: string): number {
  let n = 0;
  for (const doc of parseAllDocuments(text, { merge: true, uniqueKeys: false, logLevel: 'silent' }) as unknown as Document[]) {
    for (const a of aliases(doc)) {
      const theirs = a.resolve(doc);
      assert.equal(deref(doc, a), theirs && !isAlias(theirs) ? theirs : undefined, `*${a.source} in:\n${text.slice(0, 200)}`);
      n++;
    }
  }
  return n;
}

test('an alias names the last node anchored with its name before it', () => {
  const text = [
    'x-early: *late', // before any anchor of its name: unresolved
    'x-a: &a { image: one }',
    'services:',
    '  web:',
    '    <<: *a',
    '  db: &a',
    '    image: two',
    '  cache:',
    '    <<: [*a]',
    '    labels: &l [x]',
    '  worker: { labels: *l, extra: *a }',
    'x-late: &late {}',
    '',
  ].join('\n');
  assert.equal(sameAsYaml(text), 5);
  const doc = parseAllDocuments(text, { merge: true, uniqueKeys: false, logLevel: 'silent' })[0] as unknown as Document;
  const [early, web, cache] = aliases(doc);
  assert.equal(deref(doc, early), undefined);
  assert.equal((deref(doc, web) as unknown as { toJSON(): { image: string } }).toJSON().image, 'one');
  assert.equal((deref(doc, cache) as unknown as { toJSON(): { image: string } }).toJSON().image, 'two');
  // a node that is not an alias is itself
  assert.equal(deref(doc, doc.contents), doc.contents);
});

test('the corpus compose files: every alias resolves as yaml resolves it', () => {
  const dir = path.join(CORPUS, 'compose');
  let files = 0, total = 0;
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const f = path.join(d, e.name);
      if (e.isDirectory()) walk(f);
      else if (/\.ya?ml$/.test(e.name)) { total += sameAsYaml(fs.readFileSync(f, 'utf8')); files++; }
    }
  };
  walk(dir);
  assert.ok(files > 100, `${files} corpus compose files`);
  assert.ok(total > 50, `only ${total} aliases in the corpus`);
});
