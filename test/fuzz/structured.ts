// Structured adversarial inputs for the fuzz campaign: generated globs (.dockerignore lines against deep COPY
// sources, .trivyignore.yaml `paths:`, extra compose globs), generated pragmas (ignore lists, runs of blanks, `#`,
// commas) and nested YAML (deep mappings and sequences, anchors, aliases, merge keys). Each property lints or
// matches within the time budget without an internal error, and on short inputs the glob matcher and the pragma
// reader agree with the regular expressions they replaced (safe to run there: the inputs are small).

import fc from 'fast-check';
import { checkEngine, type FuzzCase } from './props';
import { effectiveBudgetMs } from './campaign';
import { compileGlob } from '../../server/src/core/glob';
import { IgnoreMatcher, makePattern, normalizePattern } from '../../server/src/parse/ignoreMatch';
import { parsePragma } from '../../server/src/parse/pragma';
import { matchesComposeGlob } from '../../server/src/features/composeGlobs';

// ---- globs -------------------------------------------------------------------------------------------------------

const GLOB_TOKENS = ['**', '**/', '*', '?', '/', 'a', 'b', 'x', '.', '[a-c]', '[^a]', '\\*', '-', '_'];
const globOf = (max: number) => fc.array(fc.constantFrom(...GLOB_TOKENS), { minLength: 1, maxLength: max }).map((t) => t.join(''));
/** A glob with a long run of one wildcard token, the shape that made backtracking matchers hang. */
const pumpedGlob = fc.tuple(fc.constantFrom('**/', '*', '?*', 'a**/', '*a', '[^/]*', '**'), fc.integer({ min: 2, max: 400 }), fc.constantFrom('x', '', 'a/b', '*.go'))
  .map(([unit, n, tail]) => unit.repeat(n) + tail);
const segment = fc.constantFrom('a', 'b', 'x', 'ab', 'a.b', 'x.go', '.git', 'd0', 'node_modules');
const pathOf = (max: number) => fc.array(segment, { minLength: 1, maxLength: max }).map((s) => s.join('/'));
const deepPath = fc.tuple(fc.integer({ min: 1, max: 200 }), segment).map(([n, s]) => Array.from({ length: n }, (_, i) => `${s}${i}`).join('/'));

/** Docker's own compile step (moby/patternmatcher) as a regular expression: the reference for short inputs. */
function dockerReference(pattern: string): (path: string) => boolean {
  let re = '^';
  let kind: 'exact' | 'prefix' | 'suffix' | 'regexp' = 'exact';
  const cs = [...pattern];
  for (let i = 0, step = 0; i < cs.length; i++, step++) {
    const c = cs[i];
    if (c === '*' && cs[i + 1] === '*') {
      i++;
      if (cs[i + 1] === '/') i++;
      if (i + 1 >= cs.length) { if (kind === 'exact') kind = 'prefix'; else { re += '.*'; kind = 'regexp'; } } else { re += '(.*/)?'; kind = 'regexp'; }
      if (step === 0) kind = 'suffix';
    } else if (c === '*') { re += '[^/]*'; kind = 'regexp'; }
    else if (c === '?') { re += '[^/]'; kind = 'regexp'; }
    else if ('.+(){}|$'.includes(c)) re += `\\${c}`;
    else if (c === '\\') { if (i + 1 < cs.length) { re += `\\${cs[++i]}`; kind = 'regexp'; } else re += '\\\\'; }
    else if (c === '[' || c === ']') { re += c; kind = 'regexp'; }
    else re += c;
  }
  if (kind === 'exact') return (p) => p === pattern;
  if (kind === 'prefix') return (p) => p.startsWith(pattern.slice(0, -2));
  if (kind === 'suffix') { const s = pattern.slice(2); return (p) => p.endsWith(s) || (s.startsWith('/') && p === s.slice(1)); }
  let rx: RegExp | undefined;
  try { rx = new RegExp(`${re}$`); } catch { rx = undefined; }
  return (p) => rx?.test(p) ?? false;
}

/** The path glob syntax (`**​/`, `**`, `*`, `?`, the rest literal) as a regular expression, for short inputs. */
function pathReference(glob: string, nocase: boolean): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') { i++; if (glob[i + 1] === '/') { re += '(?:.*/)?'; i++; } else re += '.*'; }
    else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, nocase ? 'i' : '');
}

// ---- pragmas -----------------------------------------------------------------------------------------------------

const blanks = fc.tuple(fc.constantFrom(' ', '\t', ' \t'), fc.integer({ min: 0, max: 4 })).map(([b, n]) => b.repeat(n));
const longBlanks = fc.tuple(fc.constantFrom(' ', '\t', '\u00a0'), fc.integer({ min: 0, max: 6000 })).map(([b, n]) => b.repeat(n));
const idList = fc.array(fc.oneof(fc.constantFrom('apk-no-cache', 'DL3008', 'SC2086', 'x', 'a_b', 'bad!', 'all', ''), blanks), { maxLength: 6 }).map((xs) => xs.join(','));
/** A pragma line: tool, optional scope, key, `=`, a list, blanks of any length, and what may follow. */
export const pragmaLine = fc.tuple(
  blanks, fc.constantFrom('#', '#', '# ', '#\t'), fc.constantFrom('hullcheck', 'hullcheck', 'hadolint', 'hadolint', 'HullCheck', 'hullcheckx', 'check'), blanks,
  fc.constantFrom('', '', '', 'global ', 'stage ', 'GLOBAL\t', 'globalx '), fc.constantFrom('ignore', 'ignore', 'shell', 'ignored', 'IGNORE'), blanks, fc.constantFrom('=', '=', '=', '', ':'),
  fc.oneof(idList, longBlanks), fc.oneof(longBlanks, blanks), fc.constantFrom('', '#', '# note', '#\u2028', ',', ',,,', '\u2028'),
).map((parts) => parts.join(''));

/** The Dockerfile pragma regular expression before the scanner replaced it (cubic on long blank runs). */
const OLD_PRAGMA = /^#\s*(hullcheck|hadolint)\s+((?:global|stage)\s+)?(ignore|shell)\s*=\s*([^#]*?)\s*(#.*)?$/i;

// ---- nested YAML -------------------------------------------------------------------------------------------------

/** A YAML block value nested `depth` deep, with anchors, aliases and merge keys among its entries. */
function yamlBlock(depth: number, width: number, anchors: string[]): fc.Arbitrary<string[]> {
  const scalar = fc.constantFrom('x', '1', 'true', 'null', '"q"', '*a0', '*a1', '[1, {b: *a0}]', '{}', '~');
  if (depth === 0) return scalar.map((s) => [s]);
  const child = yamlBlock(depth - 1, width, anchors);
  const key = fc.constantFrom('image', 'build', 'environment', 'ports', 'x-k', '<<', 'services', 'k', 'volumes');
  const entry = fc.tuple(fc.boolean(), key, fc.constantFrom('', '', ...anchors.map((a) => `&${a} `)), child, fc.integer({ min: 0, max: 5 }).map((n) => n === 0)).map(([seq, k, anchor, value, alias]) => {
    const head = seq ? '- ' : `${k}: `;
    if (alias && anchors.length) return [`${head}${k === '<<' ? '*' : `${anchor}*`}${anchors[0]}`];
    if (value.length === 1) return [`${head}${anchor}${value[0]}`];
    return [`${head}${anchor}`.trimEnd(), ...value.map((l) => `  ${l}`)];
  });
  return fc.array(entry, { minLength: 1, maxLength: width }).map((es) => es.flat());
}

export const nestedYaml = fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 3 }))
  .chain(([depth, width]) => yamlBlock(depth, width, ['a0', 'a1']))
  .map((lines) => `x-base: &a0\n  image: nginx:1.27\nx-more: &a1 {user: root}\nservices:\n  web:\n    <<: *a0\n${lines.map((l) => `    ${l}`).join('\n')}\n`);

/** A very deep but narrow YAML document: mappings or flow sequences hundreds of levels down. */
export const deepYaml = fc.tuple(fc.integer({ min: 50, max: 400 }), fc.constantFrom('map', 'flow', 'seq')).map(([n, shape]) => {
  if (shape === 'flow') return `services:\n  web:\n    image: ${'['.repeat(n)}1${']'.repeat(n)}\n`;
  if (shape === 'seq') return `services:\n  web:\n    command:\n${Array.from({ length: n }, (_, i) => `${'  '.repeat(i + 3)}- `).join('\n')}x\n`;
  return `services:\n  web:\n${Array.from({ length: n }, (_, i) => `${'  '.repeat(i + 2)}k${i}:`).join('\n')} v\n`;
});

// ---- the properties ----------------------------------------------------------------------------------------------

export interface StructuredProperty { name: string; property: fc.IAsyncPropertyWithHooks<unknown[]> | fc.IAsyncProperty<unknown[]> }

async function lintWithin(c: FuzzCase): Promise<void> {
  let r = await checkEngine(c);
  if (r.failures.length) throw new Error(`${c.describe}: ${r.failures.slice(0, 3).join('; ')}`);
  // re-measure before blaming the input: a GC pause or a busy machine is not a hang
  for (let i = 0; i < 2 && r.ms > effectiveBudgetMs(); i++) r = await checkEngine(c);
  if (r.ms > effectiveBudgetMs()) throw new Error(`${c.describe}: ${r.ms.toFixed(0)} ms`);
}

function within(ms: () => void, what: string): void {
  let best = Infinity;
  for (let i = 0; i < 3 && best > effectiveBudgetMs(); i++) {
    const t = performance.now();
    ms();
    best = Math.min(best, performance.now() - t);
  }
  if (best > effectiveBudgetMs()) throw new Error(`${what}: ${best.toFixed(0)} ms`);
}

export function structuredProperties(): StructuredProperty[] {
  return [
    {
      name: '.dockerignore globs agree with Docker\'s regular expression on short paths',
      property: fc.asyncProperty(globOf(6), pathOf(5), async (glob, path) => {
        const n = normalizePattern(glob);
        if (!n) return;
        const ours = makePattern(n.pattern, false);
        const ref = dockerReference(n.pattern);
        if (ours.test(path) !== ref(path)) throw new Error(`${JSON.stringify(n.pattern)} on ${path}: ${ours.test(path)}, Docker ${ref(path)}`);
      }),
    },
    {
      name: 'generated .dockerignore files against deep COPY sources lint within budget',
      property: fc.asyncProperty(fc.array(fc.oneof(globOf(10), pumpedGlob, globOf(3).map((g) => `!${g}`)), { minLength: 1, maxLength: 8 }), fc.array(deepPath, { minLength: 1, maxLength: 4 }),
        async (lines, sources) => {
          const text = `FROM alpine:3.20\n${sources.map((s, i) => `COPY ${s} /dst${i}/`).join('\n')}\n`;
          await lintWithin({ language: 'dockerfile', name: 'Dockerfile', text, dockerignore: lines.join('\n'), describe: `dockerignore ${JSON.stringify(lines).slice(0, 200)}` });
          within(() => { const m = IgnoreMatcher.fromText(lines.join('\n')); for (const s of sources) { m.excludes(s); m.mayReincludeBelow(s); } }, 'IgnoreMatcher');
        }),
    },
    {
      name: 'path globs (trivyignore paths, extra compose globs) agree with their regular expression and stay fast',
      property: fc.asyncProperty(fc.oneof(globOf(6).filter((g) => !/[[\\]/.test(g)), pumpedGlob), fc.oneof(pathOf(5), deepPath), fc.boolean(), async (glob, path, nocase) => {
        if (glob.length <= 12 && path.length <= 40) {
          const want = pathReference(glob, nocase).test(path);
          if (compileGlob(glob, { nocase }).test(path) !== want) throw new Error(`${glob} on ${path}: want ${want}`);
        }
        within(() => { compileGlob(glob, { nocase }).test(path); matchesComposeGlob(`/w/${path}`, [glob]); }, `${glob} × ${path.length} chars`);
      }),
    },
    {
      name: 'generated .trivyignore.yaml path globs lint within budget',
      property: fc.asyncProperty(fc.array(fc.oneof(globOf(8), pumpedGlob), { minLength: 1, maxLength: 5 }), async (paths) => {
        const text = `vulnerabilities:\n  - id: CVE-2023-1234\n    paths:\n${paths.map((p) => `      - ${JSON.stringify(p)}`).join('\n')}\n`;
        await lintWithin({ language: 'trivyignore', name: '.trivyignore.yaml', text, describe: `trivyignore paths ${JSON.stringify(paths).slice(0, 200)}` });
      }),
    },
    {
      name: 'generated pragmas read like the old regular expression on short lines and lint within budget everywhere',
      property: fc.asyncProperty(pragmaLine, async (line) => {
        const text = line.trim();
        if (text.length <= 60 && !/[\u2028\u00a0]/.test(text)) {
          const m = OLD_PRAGMA.exec(text);
          const p = parsePragma(text);
          const same = m ? p !== undefined && p.tool === m[1].toLowerCase() && p.key === m[3].toLowerCase() && p.value === m[4] && (p.scope ?? '') === (m[2]?.trim().toLowerCase() ?? '')
            : p === undefined;
          if (!same) throw new Error(`${JSON.stringify(text)}: ${JSON.stringify(p)} vs ${JSON.stringify(m)}`);
        }
        await lintWithin({ language: 'dockerfile', name: 'Dockerfile', text: `FROM alpine:3.20\n${line}\nRUN apk add curl\n`, describe: `pragma ${JSON.stringify(line).slice(0, 120)}` });
        await lintWithin({ language: 'compose', name: 'compose.yaml', text: `services:\n  web:\n    ${line}\n    image: nginx:latest\n`, describe: `compose pragma ${JSON.stringify(line).slice(0, 120)}` });
      }),
    },
    {
      name: 'nested compose YAML (anchors, aliases, merge keys, deep nesting) lints within budget',
      property: fc.asyncProperty(fc.oneof(nestedYaml, deepYaml), async (text) => {
        await lintWithin({ language: 'compose', name: 'compose.yaml', text, describe: `yaml ${JSON.stringify(text).slice(0, 160)}` });
      }),
    },
  ];
}

/** Run every structured property `runs` times (the test runs a few hundred; `npm run fuzz` many more). */
export async function runStructured(runs: number, seed: number): Promise<string[]> {
  const failures: string[] = [];
  for (const { name, property } of structuredProperties()) {
    const r = await fc.check(property, { numRuns: runs, seed });
    if (r.failed) failures.push(`${name}: ${String(r.errorInstance ?? '').slice(0, 400)} (counterexample ${JSON.stringify(r.counterexample).slice(0, 300)}, seed ${seed}, path ${r.counterexamplePath})`);
  }
  return failures;
}
