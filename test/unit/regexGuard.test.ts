// The guard against catastrophic backtracking: every regular expression in server/src (found by parsing the
// sources, so a new one cannot be missed) runs against adversarial strings up to 64 kB built from its own shape,
// and fails when one run takes over 50 ms (of an idle core). Globs never become regular expressions; the glob
// matcher is run on adversarial patterns against deep paths with the same limit.

import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import ts from 'typescript';
import { attacks } from '../fuzz/attacks';
import { compileGlob, type GlobSyntax } from '../../server/src/core/glob';
import { IgnoreMatcher } from '../../server/src/parse/ignoreMatch';

const ROOT = path.join(__dirname, '..', '..');
const SRC = path.join(ROOT, 'server', 'src');
const LIMIT_MS = 50;
/**
 * The limit on this machine right now: 50 ms of an idle core, stretched by the load average over the core count
 * (as the fuzz campaign's budget is), so a shared machine's other work is not blamed on an expression.
 * Backtracking misses it by orders of magnitude, not by a factor of a few.
 */
const limit = (): number => LIMIT_MS * Math.max(1, os.loadavg()[0] / Math.max(1, os.cpus().length));
const MAX_BYTES = 64 * 1024;
/** Repetitions of the pumped part: small steps first, so an exponential blow-up is caught before it hangs. */
const LADDER = [8, 12, 16, 20, 24, 28, 64, 256, 512, 1024, 4096, 16384, 65536];

interface Found { file: string; line: number; text: string; source?: string; flags?: string }

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Every regular expression literal and every `RegExp(...)` construction in server/src. */
function scan(): { literals: Found[]; dynamic: Found[] } {
  const literals: Found[] = [], dynamic: Found[] = [];
  for (const file of sourceFiles(SRC)) {
    const rel = path.relative(ROOT, file).split(path.sep).join('/');
    const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (n: ts.Node): void => {
      const line = sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
      if (n.kind === ts.SyntaxKind.RegularExpressionLiteral) {
        const text = n.getText(sf);
        const end = text.lastIndexOf('/');
        literals.push({ file: rel, line, text, source: text.slice(1, end), flags: text.slice(end + 1) });
      } else if ((ts.isNewExpression(n) || ts.isCallExpression(n)) && ts.isIdentifier(n.expression) && n.expression.text === 'RegExp') {
        dynamic.push({ file: rel, line, text: n.getText(sf) });
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return { literals, dynamic };
}

/**
 * Regular expressions built at run time, each reviewed: where its parts come from and which instances stand for
 * it here. A new `RegExp(...)` in server/src fails the test until it is added with a reason.
 */
const DYNAMIC: { file: string; contains: string; reason: string; instances: RegExp[] }[] = [
  {
    file: 'server/src/parse/args.ts', contains: 'escapeChar}[ \\\\t]*\\\\r?\\\\n',
    reason: 'a line continuation for the parser directive escape character, which is `\\` or a backtick',
    instances: ['\\', '`'].map((c) => new RegExp(`\\${c}[ \\t]*\\r?\\n`, 'g')),
  },
  {
    file: 'server/src/rules/dockerfile/maintainer-deprecated.ts', contains: 'escapeChar}[ \\\\t]*\\\\r?\\\\n[ \\\\t]*',
    reason: 'a line continuation and the next line\'s indentation, for the escape character `\\` or a backtick',
    instances: ['\\', '`'].map((c) => new RegExp(`\\${c}[ \\t]*\\r?\\n[ \\t]*`, 'g')),
  },
  {
    file: 'server/src/rules/image/image-secret-env.ts', contains: '(^|\\\\s)${escapeRe(key)}(=|\\\\s)',
    reason: 'an environment variable name from the image config, with every metacharacter escaped: no quantifier of its own',
    instances: ['API_KEY', 'a.b*c', 'x'.repeat(200)].map((k) => new RegExp(`(^|\\s)${k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(=|\\s)`)),
  },
  {
    file: 'server/src/features/composeHover.ts', contains: 'new RegExp(re)',
    reason: 'the patternProperties keys of the bundled compose-spec.json, tested below with the schema\'s other patterns',
    instances: [],
  },
];

/**
 * Literals that never see text from a file, with the reason. Keep this short: anything that reads a document, a
 * configuration, a report or an engine answer is user text.
 */
const ALLOW: { file: string; source: string; reason: string }[] = [];

/** The patterns of the bundled compose schema (patternProperties keys and `pattern` values, compiled by ajv with `u`). */
function schemaPatterns(): RegExp[] {
  const schema: unknown = JSON.parse(fs.readFileSync(path.join(SRC, 'model', 'compose-spec.json'), 'utf8'));
  const out = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) { v.forEach(walk); return; }
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      if (k === 'patternProperties' && x && typeof x === 'object') Object.keys(x).forEach((p) => out.add(p));
      if (k === 'pattern' && typeof x === 'string') out.add(x);
      walk(x);
    }
  };
  walk(schema);
  return [...out].map((p) => new RegExp(p, 'u'));
}

/**
 * Milliseconds for one run, as the product uses a regex: global ones through replace (every match), sticky ones at
 * one position (their callers step through the text), others searched with exec.
 */
function runMs(re: RegExp, s: string): number {
  const fresh = new RegExp(re.source, re.flags);
  const t = performance.now();
  if (fresh.global && !fresh.sticky) s.replace(fresh, '');
  else fresh.exec(s);
  return performance.now() - t;
}

/** The slowest attack on a regular expression: escalate each plan until it is slow or reaches 64 kB. */
function worst(re: RegExp): { ms: number; describe: string; bytes: number } {
  let result = { ms: 0, describe: '', bytes: 0 };
  for (const plan of attacks(re.source, re.flags)) {
    for (const n of LADDER) {
      const s = plan.build(n);
      if (s.length > MAX_BYTES && n > LADDER[0]) break;
      let ms = runMs(re, s);
      // a busy machine can stall one run; backtracking is slow every time
      if (ms > limit()) ms = Math.min(ms, runMs(re, s), runMs(re, s));
      if (ms > result.ms) result = { ms, describe: plan.describe, bytes: s.length };
      if (ms > limit()) return result;
      // at most quadratic from here on (anything steeper is slow by 4096): 16 kB under 3 ms keeps 64 kB under 50 ms
      if (n === 16384 && ms < 3) break;
    }
  }
  return result;
}

describe('regular expressions in server/src stay fast on adversarial text', () => {
  const { literals, dynamic } = scan();

  it('finds the regular expressions (the scan itself works)', () => {
    assert.ok(literals.length > 100, `only ${literals.length} literals found`);
    assert.ok(literals.some((l) => l.file === 'server/src/parse/ignoreMatch.ts'));
  });

  it('every RegExp built at run time is reviewed', () => {
    const unknown = dynamic.filter((d) => !DYNAMIC.some((k) => k.file === d.file && d.text.includes(k.contains)));
    assert.deepEqual(unknown.map((d) => `${d.file}:${d.line} ${d.text}`), []);
    const stale = DYNAMIC.filter((k) => !dynamic.some((d) => k.file === d.file && d.text.includes(k.contains)));
    assert.deepEqual(stale.map((k) => k.file), [], 'entries whose RegExp is gone');
  });

  it('the allow-list names only literals that still exist', () => {
    const stale = ALLOW.filter((a) => !literals.some((l) => l.file === a.file && l.source === a.source));
    assert.deepEqual(stale, []);
  });

  it(`no literal takes over ${LIMIT_MS} ms on adversarial strings up to 64 kB`, () => {
    const slow: string[] = [];
    for (const l of literals) {
      if (ALLOW.some((a) => a.file === l.file && a.source === l.source)) continue;
      const w = worst(new RegExp(l.source!, l.flags));
      if (w.ms > limit()) slow.push(`${l.file}:${l.line} ${l.text}: ${w.ms.toFixed(0)} ms on ${w.bytes} bytes of ${w.describe}`);
    }
    assert.deepEqual(slow, []);
  });

  it(`no run-time RegExp or compose schema pattern takes over ${LIMIT_MS} ms`, () => {
    const slow: string[] = [];
    for (const re of [...DYNAMIC.flatMap((d) => d.instances), ...schemaPatterns()]) {
      const w = worst(re);
      if (w.ms > limit()) slow.push(`${re}: ${w.ms.toFixed(0)} ms on ${w.bytes} bytes of ${w.describe}`);
    }
    assert.deepEqual(slow, []);
  });
});

describe('regular expression literals in server/src are written in Latin-1', () => {
  // The bundler escapes characters beyond Latin-1 in strings but keeps them in regular expression literals as written,
  // and a single such character makes V8 hold the whole bundled server's source at two bytes per character.
  it('a character beyond U+00FF is spelled as an escape (\\u03bc, not the character)', () => {
    const raw = scan().literals.filter((l) => [...l.text].some((ch) => ch.codePointAt(0)! > 0xff));
    assert.deepEqual(raw.map((l) => `${l.file}:${l.line} ${l.text}`), []);
  });
});

describe('globs from user files stay fast against deep paths', () => {
  const deep = (segments: number, name = 'd') => Array.from({ length: segments }, (_, i) => `${name}${i}`).join('/');
  const PATTERNS = [
    '**/'.repeat(12) + 'x', '**/'.repeat(200) + 'x', '**/'.repeat(3000) + 'x', '**/a/'.repeat(31) + 'x',
    'a**/'.repeat(31) + 'x', '*a'.repeat(31) + 'b', '?*'.repeat(32), '*/'.repeat(31) + 'x', '*[^a]'.repeat(31),
    '[^/]*'.repeat(31) + 'x', '**' + '*'.repeat(5000), '\\*'.repeat(2000), '[a-z]*'.repeat(31) + '!', '?'.repeat(4000),
    // past the wildcard limit: refused at once
    'a**/'.repeat(500) + 'x', '*a'.repeat(5000),
  ];
  const PATHS = [deep(28), deep(200), deep(28) + '/x', 'a/'.repeat(2000), 'a'.repeat(4096), `${'a/'.repeat(100)}${'a'.repeat(3800)}`];
  for (const syntax of ['docker', 'path', 'ref'] as GlobSyntax[]) {
    it(`${syntax} syntax: every adversarial pattern × deep path takes under ${LIMIT_MS} ms`, () => {
      const slow: string[] = [];
      compileGlob('**/a*b', { syntax }).testOrParent(deep(50)); // compile the matcher's code before timing it
      for (const p of PATTERNS) {
        for (const text of PATHS) {
          // a busy machine can stall one run; a slow matcher is slow every time
          let ms = Infinity;
          for (let attempt = 0; attempt < 3 && ms > limit(); attempt++) {
            const g = compileGlob(p, { syntax });
            const t = performance.now();
            g.test(text);
            const t2 = performance.now();
            g.testOrParent(text);
            ms = Math.min(ms, Math.max(t2 - t, performance.now() - t2));
          }
          if (ms > limit()) slow.push(`${p.slice(0, 40)}… × ${text.length} chars: ${ms.toFixed(0)} ms`);
        }
      }
      assert.deepEqual(slow, []);
    });
  }

  it('the .dockerignore reproducer (12 × `**/` then x) answers for a 28-segment path, also when it matches', () => {
    const m = IgnoreMatcher.fromText(`${'**/'.repeat(12)}x\n`);
    assert.equal(m.excludes(deep(28)), false);
    assert.equal(m.excludes(`${deep(28)}/x`), true);
    assert.equal(m.excludes(`x/${deep(200)}`), true, 'a matching parent folder excludes what is below it');
  });
});
