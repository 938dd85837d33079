// Structural checks of the files in syntaxes/: valid JSON, expected scope names, every repository
// include resolves, regexes compile under oniguruma, language configurations declare `#` comments.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import { GRAMMAR_FILES, SYNTAXES, loadGrammar } from './tokenize';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function readJson(file: string): Json {
  return JSON.parse(fs.readFileSync(path.join(SYNTAXES, file), 'utf8')) as Json;
}

/** Visit every object in a JSON tree with its path. */
function walk(v: Json, visit: (o: { [k: string]: Json }, at: string) => void, at = '$'): void {
  if (Array.isArray(v)) v.forEach((x, i) => walk(x, visit, `${at}[${i}]`));
  else if (v && typeof v === 'object') {
    visit(v, at);
    for (const [k, x] of Object.entries(v)) walk(x, visit, `${at}.${k}`);
  }
}

for (const [lang, { file, scopeName }] of Object.entries(GRAMMAR_FILES)) {
  test(`${file}: valid JSON, scopeName ${scopeName}, includes resolve, regexes compile`, async () => {
    // loading through vscode-textmate also initialises oniguruma for the regex checks below
    const grammar = await loadGrammar(lang as keyof typeof GRAMMAR_FILES);
    assert.ok(grammar.tokenizeLine('x', null).tokens.length > 0);
    const g = readJson(file) as { [k: string]: Json };
    assert.equal(g.scopeName, scopeName);
    assert.ok(Array.isArray(g.patterns) && g.patterns.length > 0, 'top-level patterns');
    const repo = (g.repository ?? {}) as { [k: string]: Json };
    const includes: string[] = [];
    const regexes: { re: string; at: string }[] = [];
    walk(g, (o, at) => {
      if (typeof o.include === 'string') includes.push(o.include);
      for (const k of ['match', 'begin', 'end', 'while']) {
        if (typeof o[k] === 'string') regexes.push({ re: o[k] as string, at: `${at}.${k}` });
      }
    });
    for (const inc of includes) {
      if (inc.startsWith('#')) assert.ok(inc.slice(1) in repo, `${file}: include ${inc} has no repository entry`);
      else assert.ok(inc === '$self' || inc === '$base' || inc === 'source.shell', `${file}: unexpected external include ${inc}`);
    }
    // every repository entry is used (a dead rule is usually a typo in an include)
    for (const key of Object.keys(repo)) {
      assert.ok(includes.includes(`#${key}`), `${file}: repository entry ${key} is never included`);
    }
    assert.ok(regexes.length > 0);
    for (const { re, at } of regexes) {
      // back-references to begin captures (\1..\9 in end/while) are resolved at runtime; compile a stand-in
      const compiled = /\.(end|while)$/.test(at) ? re.replace(/\\([1-9])/g, 'X') : re;
      assert.doesNotThrow(() => new oniguruma.OnigScanner([compiled]).dispose(), `${file} ${at}: ${re}`);
    }
  });
}

for (const file of ['dockerignore.language-configuration.json', 'trivyignore.language-configuration.json']) {
  test(`${file}: line comments are #`, () => {
    const c = readJson(file) as { comments?: { lineComment?: string } };
    assert.equal(c.comments?.lineComment, '#');
  });
}

test('the Dockerfile grammar embeds shell under the scopes VS Code maps to shellscript', () => {
  const text = fs.readFileSync(path.join(SYNTAXES, GRAMMAR_FILES.dockerfile.file), 'utf8');
  assert.match(text, /"meta\.embedded\.block\.shellscript"/);
  assert.match(text, /"meta\.embedded\.line\.shellscript"/);
  assert.match(text, /"include":\s*"source\.shell"/);
});
