// The model's own argument splitting must give exactly what dockerfile-ast's getArguments gives (values and
// ranges), on the corpus and on escape/continuation edge cases, in both escape characters and line endings.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDockerfile, heredocsOf, type Instr } from '../../server/src/parse/dockerfile';

const CORPUS = path.resolve(__dirname, '..', '..', '..', 'shared', 'corpus', 'dockerfiles');

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]);
}

const EDGE = [
  'RUN a\\\n\\\nb', 'RUN a \\\n', 'RUN a \\', 'RUN a\\ \n b', 'RUN \\ \\\n# c\n x', 'RUN a\\\r\n\\\r\nb\r\n',
  'COPY --from=x \\\n a b', 'RUN a\\', 'FROM \\ x', 'RUN "a \\ b" \\$x \\', 'ONBUILD RUN --mount=x a\\\n b',
  'RUN a \\  \n  # x\n  b \\\t\n', 'RUN\\\n a', 'R\\\nUN a b', 'HEALTHCHECK --interval=5s CMD a', 'RUN <<EOF\nx\nEOF\n',
  'COPY <<A <<B /x\na\nA\nb\nB\n', 'FROM --platform=$P img AS b', 'ENV C a\\\\\nENV D b', 'RUN dir C:\\\\\\ \nRUN b',
];

function variants(text: string): string[] {
  return [text, '# escape=`\n' + text.replace(/\\/g, '`'), text.replace(/\n/g, '\r'), text.replace(/\n/g, '\r\n')];
}

function check(text: string): number {
  let n = 0;
  const p = parseDockerfile(text);
  for (const outer of p.instructions) {
    for (const instr of [outer, outer.onbuild].filter((i): i is Instr => i !== undefined)) {
      const want = instr.node.getArguments().map((a) => ({ value: a.getValue(), range: a.getRange() }));
      assert.deepEqual(instr.args, want, JSON.stringify(text.slice(instr.startOffset, instr.endOffset)));
      const node = instr.node as unknown as { getHeredocs(): unknown[] };
      assert.deepEqual(heredocsOf(instr), node.getHeredocs());
      n++;
    }
  }
  return n;
}

describe('argument splitting', () => {
  it('matches dockerfile-ast on escape and continuation edge cases', () => {
    let n = 0;
    for (const t of EDGE) for (const v of variants(t)) n += check('FROM a\n' + v);
    assert.ok(n > EDGE.length * 4);
  });
  it('ends an instruction at a line whose last escape character is escaped itself, as BuildKit does', () => {
    const lines = (text: string) => parseDockerfile(text).instructions.map((i) => [i.keyword, i.range.start.line, i.range.end.line]);
    assert.deepEqual(lines('FROM a\nENV C trailing\\\\backslash\\\\\nENV D x\nRUN echo C:\\\\\\ \nRUN b\nRUN c \\\n  d\n'),
      [['FROM', 0, 0], ['ENV', 1, 1], ['ENV', 2, 2], ['RUN', 3, 3], ['RUN', 4, 4], ['RUN', 5, 6]]);
    assert.deepEqual(lines('# escape=`\nFROM a\nRUN dir C:``\r\nRUN b `\r\n  c\r\n'), [['FROM', 1, 1], ['RUN', 2, 2], ['RUN', 3, 4]]);
  });
  it('matches dockerfile-ast on every corpus Dockerfile', (t) => {
    const files = walk(CORPUS);
    if (files.length === 0) { t.skip('corpus not found'); return; }
    let n = 0;
    for (const f of files) n += check(fs.readFileSync(f, 'utf8'));
    assert.ok(n > files.length);
  });
});
