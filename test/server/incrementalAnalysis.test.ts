// What the editor publishes while a Dockerfile is edited is exactly what a fresh analysis of the same text publishes:
// over corpus Dockerfiles in their own folders and sequences of random single-character edits, one server follows
// the edits (reusing what it kept from earlier versions) and another opens each version as a new document.
// Also: the editor reads the folders around a Dockerfile as the CLI does (labels a Makefile or GoReleaser supplies).

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { TestClient, fileUri } from './harness';
import { corpusDockerfiles, CORPUS } from '../bench/corpus';
import { lintFile } from '../../server/src/engine/lintFile';
import { nodeHost } from '../../server/src/core/fileHost';

const SETTINGS = { shellcheck: { enable: false } };

/** A small deterministic generator (the same edits on every run). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
}

/** Characters that change how a Dockerfile parses: line ends, continuations, quotes, heredocs, JSON, variables. */
const CHARS = [' ', '\n', '\\', '"', "'", '$', '{', '}', '[', ']', '#', '<', '-', '=', '&', '|', ';', 'a', 'R', 'E', '0', '\t', ':', '/'];

function edit(text: string, next: () => number): string {
  const at = Math.floor(next() * (text.length + 1));
  if (next() < 0.4 && text.length > 0) return text.slice(0, Math.max(0, at - 1)) + text.slice(at);
  return text.slice(0, at) + CHARS[Math.floor(next() * CHARS.length)] + text.slice(at);
}

/** A publish as the user sees it: the version stamp in each diagnostic's data is the only thing allowed to differ. */
function shown(diagnostics: Diagnostic[]): unknown[] {
  return diagnostics.map((d) => ({ ...d, data: d.data && { ...(d.data as Record<string, unknown>), version: undefined } }));
}

async function session(t: { after(fn: () => void): void }, folders: string[]): Promise<TestClient> {
  const c = new TestClient();
  c.settings = SETTINGS;
  t.after(() => c.dispose());
  await c.initialize(folders);
  return c;
}

test('random edits of corpus Dockerfiles publish what a fresh analysis of each version publishes', async (t) => {
  const all = corpusDockerfiles().sort((a, b) => a.file.localeCompare(b.file));
  assert.ok(all.length > 400, 'the corpus is there');
  const largest = all.reduce((a, b) => (b.text.length > a.text.length ? b : a));
  const picked = [largest, ...all.filter((_, i) => i % 16 === 0)];
  const folders = [...new Set(picked.map((f) => path.join(CORPUS, 'dockerfiles', path.relative(path.join(CORPUS, 'dockerfiles'), f.file).split(path.sep)[0])))];
  const editing = await session(t, folders);
  const fresh = await session(t, folders);
  const next = random(17);
  let versions = 0;
  for (const { file, text: original } of picked) {
    const uri = fileUri(file);
    await editing.open(uri, original);
    let text = original;
    for (let i = 0; i < 12; i++) {
      text = edit(text, next);
      const followed = await editing.change(uri, text);
      const opened = await fresh.open(uri, text);
      await fresh.close(uri);
      assert.deepEqual(shown(followed.diagnostics), shown(opened.diagnostics), `${path.relative(CORPUS, file)} after edit ${i + 1}`);
      versions++;
    }
    await editing.close(uri);
  }
  assert.ok(versions >= 300, `${versions} versions compared`);
});

test('the editor finds the labels a Makefile, GoReleaser or compose file supplies, as the CLI does', async (t) => {
  const root = path.join(__dirname, '..', 'fixtures', 'rules', 'oci-labels');
  const dirs = fs.readdirSync(root).filter((d) => fs.existsSync(path.join(root, d, 'Dockerfile')));
  assert.ok(dirs.length >= 3, dirs.join());
  for (const d of dirs) {
    const file = path.join(root, d, 'Dockerfile');
    const text = fs.readFileSync(file, 'utf8');
    const c = await session(t, [path.join(root, d)]);
    const published = await c.open(fileUri(file), text);
    const cli = await lintFile(file, text, { host: nodeHost, workspaceFolder: path.join(root, d), overrides: { shellcheck: { enable: false } } as never });
    const ofOci = (codes: unknown[]) => codes.filter((x) => x === 'oci-labels').length;
    assert.equal(ofOci(published.diagnostics.map((x) => x.code)), ofOci(cli.findings.map((f) => f.rule)), d);
  }
});
