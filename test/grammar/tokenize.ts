// Test harness for the TextMate grammars in syntaxes/: tokenizes text with vscode-textmate + oniguruma
// (the engine VS Code uses) and offers scope assertions on substrings of a line.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as assert from 'node:assert/strict';
import * as vsctm from 'vscode-textmate';
import * as oniguruma from 'vscode-oniguruma';

export const REPO = path.resolve(__dirname, '..', '..');
export const SYNTAXES = path.join(REPO, 'syntaxes');
export const CORPUS = path.resolve(REPO, '..', 'shared', 'corpus');

export const GRAMMAR_FILES: Record<Lang, { file: string; scopeName: string }> = {
  dockerfile: { file: 'dockerfile.tmLanguage.json', scopeName: 'source.hullcheck.dockerfile' },
  dockerignore: { file: 'dockerignore.tmLanguage.json', scopeName: 'source.hullcheck.dockerignore' },
  trivyignore: { file: 'trivyignore.tmLanguage.json', scopeName: 'source.hullcheck.trivyignore' },
};
export type Lang = 'dockerfile' | 'dockerignore' | 'trivyignore';

/**
 * VS Code ships `source.shell`; tests do not. The stub stands in for it so that embedding is observable
 * (`$VAR` and a few keywords get `.shell` scopes) without pretending to be a real shell grammar.
 */
const SHELL_STUB = {
  scopeName: 'source.shell',
  patterns: [
    { match: '\\$[A-Za-z_][A-Za-z0-9_]*', name: 'variable.other.normal.shell' },
    { match: '\\b(?:if|then|else|fi|for|do|done)\\b', name: 'keyword.control.stub.shell' },
  ],
};

/** VS Code's own shell grammar, when a local VS Code build is around (the e2e setup installs one). */
export function realShellGrammarPath(): string | undefined {
  const candidates = [
    process.env.HULLCHECK_SHELL_GRAMMAR,
    path.join(os.homedir(), '.cache/hullcheck-e2e/code-server/node_modules/code-server/lib/vscode/extensions/shellscript/syntaxes/shell-unix-bash.tmLanguage.json'),
  ];
  return candidates.find((p): p is string => !!p && fs.existsSync(p));
}

let onigLib: Promise<vsctm.IOnigLib> | undefined;
function loadOnig(): Promise<vsctm.IOnigLib> {
  onigLib ??= (async () => {
    const wasm = fs.readFileSync(path.join(REPO, 'node_modules/vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
    return {
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    };
  })();
  return onigLib;
}

export type ShellMode = 'stub' | 'real' | 'none';
const grammars = new Map<string, Promise<vsctm.IGrammar>>();

export function loadGrammar(lang: Lang, shell: ShellMode = 'stub'): Promise<vsctm.IGrammar> {
  const key = `${lang}:${shell}`;
  let g = grammars.get(key);
  if (!g) {
    g = (async () => {
      const registry = new vsctm.Registry({
        onigLib: loadOnig(),
        loadGrammar: async (scopeName) => {
          const own = Object.values(GRAMMAR_FILES).find((x) => x.scopeName === scopeName);
          if (own) return vsctm.parseRawGrammar(fs.readFileSync(path.join(SYNTAXES, own.file), 'utf8'), own.file);
          if (scopeName === 'source.shell' && shell === 'stub') return SHELL_STUB as unknown as vsctm.IRawGrammar;
          if (scopeName === 'source.shell' && shell === 'real') {
            const p = realShellGrammarPath();
            if (p) return vsctm.parseRawGrammar(fs.readFileSync(p, 'utf8'), p);
          }
          return null; // unknown embedded languages stay unhighlighted, as in VS Code
        },
      });
      const grammar = await registry.loadGrammar(GRAMMAR_FILES[lang].scopeName);
      if (!grammar) throw new Error(`grammar ${lang} did not load`);
      return grammar;
    })();
    grammars.set(key, g);
  }
  return g;
}

export interface Token { text: string; start: number; end: number; scopes: string[] }

export class Tokenized {
  constructor(readonly lines: string[], readonly tokens: Token[][]) {}

  /** Scopes of the token covering `col` on 0-based `line`. */
  scopesAt(line: number, col: number): string[] {
    const t = this.tokens[line].find((x) => x.start <= col && col < x.end);
    return t ? t.scopes : [];
  }

  /** All scopes that occur anywhere on a 0-based line. */
  lineScopes(line: number): Set<string> {
    return new Set(this.tokens[line].flatMap((t) => t.scopes));
  }

  describeLine(line: number): string {
    return `line ${line + 1}: ${JSON.stringify(this.lines[line])}\n` +
      this.tokens[line].map((t) => `  ${JSON.stringify(t.text)} ${t.scopes.join(' ')}`).join('\n');
  }
}

export async function tokenize(lang: Lang, text: string, shell: ShellMode = 'stub'): Promise<Tokenized> {
  const grammar = await loadGrammar(lang, shell);
  const lines = text.split(/\r?\n/);
  const tokens: Token[][] = [];
  let state = vsctm.INITIAL;
  for (const line of lines) {
    const r = grammar.tokenizeLine(line, state);
    assert.equal(r.stoppedEarly, false, `tokenizing stopped early on ${JSON.stringify(line)}`);
    tokens.push(r.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), start: t.startIndex, end: t.endIndex, scopes: t.scopes })));
    state = r.ruleStack;
  }
  return new Tokenized(lines, tokens);
}

/** `scope` matches a token scope equal to it or extending it by dot-separated segments (TextMate prefix rule). */
export function hasScope(scopes: Iterable<string>, scope: string): boolean {
  for (const s of scopes) if (s === scope || s.startsWith(scope + '.')) return true;
  return false;
}

export interface Where {
  /** 1-based line number; without it the substring must occur on exactly one line. */
  line?: number;
  /** Which occurrence on that line (0-based). */
  nth?: number;
}

function locate(t: Tokenized, sub: string, where: Where): { line: number; col: number } {
  let line: number;
  if (where.line !== undefined) {
    line = where.line - 1;
    assert.ok(line >= 0 && line < t.lines.length, `no line ${where.line}`);
  } else {
    const hits = t.lines.map((l, i) => (l.includes(sub) ? i : -1)).filter((i) => i >= 0);
    assert.equal(hits.length, 1, `${JSON.stringify(sub)} occurs on ${hits.length} lines; pass {line}`);
    line = hits[0];
  }
  let col = -1;
  for (let k = 0, from = 0; k <= (where.nth ?? 0); k++, from = col + 1) {
    col = t.lines[line].indexOf(sub, from);
    assert.ok(col >= 0, `${JSON.stringify(sub)} (occurrence ${where.nth ?? 0}) not on line ${line + 1}: ${JSON.stringify(t.lines[line])}`);
  }
  return { line, col };
}

/** Every character of `sub` carries `scope` (or a more specific scope under it). */
export function expectScope(t: Tokenized, sub: string, scope: string, where: Where = {}): void {
  const { line, col } = locate(t, sub, where);
  for (let c = col; c < col + sub.length; c++) {
    if (!hasScope(t.scopesAt(line, c), scope)) {
      assert.fail(`${JSON.stringify(sub)} lacks ${scope} at column ${c + 1}\n${t.describeLine(line)}`);
    }
  }
}

/** No character of `sub` carries `scope`. */
export function expectNoScope(t: Tokenized, sub: string, scope: string, where: Where = {}): void {
  const { line, col } = locate(t, sub, where);
  for (let c = col; c < col + sub.length; c++) {
    if (hasScope(t.scopesAt(line, c), scope)) {
      assert.fail(`${JSON.stringify(sub)} unexpectedly has ${scope} at column ${c + 1}\n${t.describeLine(line)}`);
    }
  }
}

/** Join lines with \n: keeps test snippets readable without template-literal indentation problems. */
export function lines(...ls: string[]): string {
  return ls.join('\n');
}
