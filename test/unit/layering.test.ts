// The floors of server/src and client/src (docs/architecture.md): no import goes to a higher floor, the client
// imports only protocol/ and core's pure helpers, and no file reaches itself through its imports. The checker is
// first shown to report each kind of violation on a planted graph, so a passing run means something.

import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import * as path from 'node:path';
import { checkTree, floorOf, importEdges, judge, specifiersOf } from '../layering';

const ROOT = path.resolve(__dirname, '..', '..');

/** Judge a synthetic tree: file → its text. */
function judgeFiles(tree: Record<string, string>) {
  const files = new Map(Object.entries(tree));
  const { edges, unresolved } = importEdges(files, (p) => files.has(p));
  return judge(files.keys(), edges, unresolved);
}

describe('the layering checker', () => {
  it('reads every form of import: static, type-only, re-export, dynamic, import types and require', () => {
    const specs = specifiersOf([
      "import { a } from './a';",
      "import type { B } from './b';",
      "import './c';",
      "export { d } from './d';",
      "export * from './e';",
      "const f = await import('./f');",
      "type G = import('./g').G;",
      "const h = require('./h');",
      "import i = require('./i');",
      "// import { no } from './comment';",
      "const s = \"from './string'\";",
    ].join('\n'));
    assert.deepEqual(specs, ['./a', './b', './c', './d', './e', './f', './g', './h', './i']);
  });

  it('gives every top-level folder of server/src its floor and fails on an unknown one', () => {
    assert.equal(floorOf('server/src/core/text.ts'), 0);
    assert.equal(floorOf('server/src/rules/context.ts'), 4);
    assert.equal(floorOf('server/src/engine/linter.ts'), 5);
    assert.equal(floorOf('server/src/lsp.ts'), 8);
    const r = judgeFiles({ 'server/src/misc/thing.ts': '' });
    assert.deepEqual(r.unknown, ['server/src/misc/thing.ts: its top-level folder has no floor']);
  });

  it('reports an upward import, a type-only one included', () => {
    const r = judgeFiles({
      'server/src/parse/dockerfile.ts': "import type { RuleContext } from '../rules/context';",
      'server/src/rules/context.ts': "import type { Range } from '../core/findings';",
      'server/src/core/findings.ts': '',
    });
    assert.deepEqual(r.upward, ['server/src/parse/dockerfile.ts (floor 1) → server/src/rules/context.ts (floor 4)']);
    assert.deepEqual(r.cycles, []);
  });

  it('reports a client import outside protocol/ and the allowed core helpers', () => {
    const r = judgeFiles({
      'client/src/views/a.ts': "import { x } from '../../../server/src/docker/images';\nimport { y } from '../../../server/src/protocol/messages';\nimport { z } from '../../../server/src/core/size';",
      'server/src/docker/images.ts': '',
      'server/src/protocol/messages.ts': '',
      'server/src/core/size.ts': '',
    });
    assert.deepEqual(r.client, ['client/src/views/a.ts → server/src/docker/images.ts']);
  });

  it('reports a circle among files on one floor, printing it', () => {
    const r = judgeFiles({
      'server/src/model/a.ts': "import { b } from './b';",
      'server/src/model/b.ts': "import type { C } from './c';",
      'server/src/model/c.ts': "export { a } from './a';",
      'server/src/model/d.ts': "import { a } from './a';",
    });
    assert.deepEqual(r.cycles, ['3 files: server/src/model/a.ts → server/src/model/b.ts → server/src/model/c.ts → server/src/model/a.ts']);
    assert.deepEqual(r.upward, []);
  });

  it('reports an import that resolves to no file', () => {
    const r = judgeFiles({ 'server/src/core/a.ts': "import { gone } from './gone';" });
    assert.deepEqual(r.unknown, ["server/src/core/a.ts: './gone' resolves to no file"]);
  });
});

describe('the source tree', () => {
  const report = checkTree(ROOT);

  it('has a floor for every file and resolves every import', () => {
    assert.ok(report.files > 200 && report.edges > 1000, `read ${report.files} files and ${report.edges} imports`);
    assert.deepEqual(report.unknown, [], `\n${report.unknown.join('\n')}`);
  });

  it('imports only downward (same floor or lower)', () => {
    assert.deepEqual(report.upward, [], `upward imports:\n${report.upward.join('\n')}`);
  });

  it('lets the client import only protocol/ and pure core helpers', () => {
    assert.deepEqual(report.client, [], `client imports:\n${report.client.join('\n')}`);
  });

  it('has no circle among files', () => {
    assert.deepEqual(report.cycles, [], `circles:\n${report.cycles.join('\n')}`);
  });
});
