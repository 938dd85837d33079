// Guards for the classes of defects around processes and the engine, by a scan of server/src so that new code
// cannot slip past: every program is found through the one resolver (never a bare name through PATH), every spawn
// listens for `error` before it touches a stream and never uses a shell, and in the language server no engine
// connection is made except through the workspace-trust gate.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const SRC = path.resolve(__dirname, '../../server/src');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

const files = sources(SRC).map((file) => ({ file: path.relative(SRC, file), text: fs.readFileSync(file, 'utf8') }));
// type-only imports start nothing
const spawning = files.filter((f) => /^import (?!type\b).*from '(node:)?child_process'|require\('(node:)?child_process'\)/m.test(f.text));

describe('processes', () => {
  it('the scan finds the places that start programs', () => {
    assert.ok(spawning.length >= 4, spawning.map((f) => f.file).join(', '));
  });

  it('every file that starts programs finds them through core/executables', () => {
    for (const f of spawning) {
      if (f.file === path.join('core', 'executables.ts')) continue;
      assert.match(f.text, /from '(\.\.?\/)+(core\/)?executables'/, `${f.file} starts programs without the trusted resolver`);
    }
  });

  it('only spawn, with an error listener before any stream is used, and never a shell', () => {
    for (const f of spawning) {
      assert.doesNotMatch(f.text, /(?<![.\w])(exec|execSync|execFileSync|spawnSync)\(/, `${f.file}: blocking or shell-based process call`);
      assert.doesNotMatch(f.text, /shell:\s*true/, `${f.file}: spawns through a shell`);
      const calls = [...f.text.matchAll(/\bspawn\(/g)].map((m) => m.index!);
      assert.ok(calls.length > 0 || /execFile\(/.test(f.text), `${f.file} imports child_process but starts nothing`);
      for (const at of calls) {
        const rest = f.text.slice(at);
        const onError = rest.search(/\.on\('error'/);
        const stream = rest.search(/\.(stdout|stderr|stdin)[?!]?\.(on|setEncoding|end|write|pipe)\(/);
        assert.ok(onError >= 0, `${f.file}: a spawn without an error listener`);
        assert.ok(stream < 0 || onError < stream, `${f.file}: a stream is used before the error listener (offset ${at})`);
      }
    }
  });
});

describe('engine contact in the language server', () => {
  it('no engine is created in the server features except through the trust gate', () => {
    const server = files.filter((f) => f.file.startsWith('features') || f.file === 'lsp.ts');
    for (const f of server) {
      if (f.file === path.join('features', 'trust.ts')) continue;
      assert.doesNotMatch(f.text, /new DockerEngine\(/, `${f.file} creates an engine without asking WorkspaceTrust`);
    }
  });

  it('every server feature that runs a program or reaches the engine holds the trust gate', () => {
    const reach = /\b(scanImage|findCompose|runSmoke|ShellcheckRunner|DockerEngine)\b/;
    const features = files.filter((f) => f.file.startsWith('features') && f.file !== path.join('features', 'trust.ts') && reach.test(f.text));
    assert.ok(features.length >= 4, features.map((f) => f.file).join(', '));
    for (const f of features) assert.match(f.text, /\btrust\b/, `${f.file} runs programs or reaches the engine without the trust gate`);
  });
});
