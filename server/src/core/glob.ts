// The one glob matcher behind every pattern a user writes: .dockerignore lines (Docker's patternmatcher meaning),
// path globs (`*`, `?`, `**`; trivyignore `paths:`, extra compose globs, allowRoot, report globs) and image
// reference globs (budgets, allowRoot). A pattern compiles to a small automaton that is run over the text once,
// keeping the set of live states, so matching costs at most pattern size × text size and never backtracks.

/**
 * - `docker`: moby/patternmatcher. `*` and `?` stay within a folder, `**` spans folders (`**` alone or at the
 *   end: anything; elsewhere: any number of leading folders, also none), `[...]` classes with `^` negation, `\`
 *   escapes the next character.
 * - `path`: `*` and `?` stay within a folder, `**​/` is any number of folders (also none), any other `**` is
 *   anything; `[...]` classes (with `!` or `^` negation) only with `classes: true`, otherwise `[` is literal.
 * - `ref`: `*` is any text (slashes and colons included); everything else is literal.
 */
export type GlobSyntax = 'docker' | 'path' | 'ref';

export interface GlobOptions {
  syntax?: GlobSyntax;
  /** `path` syntax: understand `[...]` character classes. */
  classes?: boolean;
  /** Compare ignoring case. */
  nocase?: boolean;
}

export interface Glob {
  readonly pattern: string;
  /** Whether the whole text matches. */
  test(text: string): boolean;
  /** Whether the path or one of its parent folders (a prefix that ends before a `/`) matches. */
  testOrParent(path: string): boolean;
  /** Set when the pattern is plain text (matches exactly itself), so callers can look it up instead of testing it. */
  literal?: string;
}

/** Longest text a glob is run on: a longer path cannot name a file (PATH_MAX), so it matches nothing. */
export const MAX_GLOB_TEXT = 4096;
/** Most wildcards a pattern may hold (after merging repeats such as `**​/**​/`); a pattern with more matches nothing. */
export const MAX_GLOB_WILDCARDS = 32;

const SLASH = 0x2f;

// Automaton states. Consuming: LIT (one code point), ONE (anything but `/`), CLASS. Optional (may be skipped):
// STAR (loops on anything but `/`), ANY (loops on anything), DIRS (`(.*/)?`: loops on anything, leaves after a `/`,
// with DIRS_LOOP as its inside, which cannot be skipped).
const enum Op { LIT, ONE, CLASS, STAR, ANY, DIRS, DIRS_LOOP }

interface CharClass { negated: boolean; ranges: number[] }

interface Token { op: Op; cp?: number; cls?: CharClass }

function classHas(cls: CharClass, cp: number, nocase: boolean): boolean {
  let hit = inRanges(cls.ranges, cp);
  if (!hit && nocase) {
    const ch = String.fromCodePoint(cp);
    const lo = ch.toLowerCase().codePointAt(0)!, up = ch.toUpperCase().codePointAt(0)!;
    hit = inRanges(cls.ranges, lo) || inRanges(cls.ranges, up);
  }
  return hit !== cls.negated;
}

function inRanges(ranges: number[], cp: number): boolean {
  for (let i = 0; i < ranges.length; i += 2) if (cp >= ranges[i] && cp <= ranges[i + 1]) return true;
  return false;
}

/** Code points of a string (a surrogate pair is one character, as Go's scanner reads runes). */
function codePoints(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length;) {
    const cp = s.codePointAt(i)!;
    out.push(cp);
    i += cp > 0xffff ? 2 : 1;
  }
  return out;
}

/**
 * A `[...]` class starting at `cps[i]` (the `[`): its tokens and the index after the `]`, or undefined when
 * the class is not closed. `escapes`: `\` quotes the next character (Docker); otherwise it is literal.
 */
function readClass(cps: number[], i: number, negators: string, escapes: boolean): { cls: CharClass; next: number } | undefined {
  let j = i + 1;
  let negated = false;
  if (j < cps.length && negators.includes(String.fromCodePoint(cps[j]))) { negated = true; j++; }
  const ranges: number[] = [];
  let first = true;
  while (j < cps.length) {
    let cp = cps[j];
    if (cp === 0x5d /* ] */ && !first) return { cls: { negated, ranges }, next: j + 1 };
    first = false;
    if (escapes && cp === 0x5c /* \ */ && j + 1 < cps.length) cp = cps[++j];
    let hi = cp;
    if (cps[j + 1] === 0x2d /* - */ && j + 2 < cps.length && cps[j + 2] !== 0x5d) {
      j += 2;
      hi = cps[j];
      if (escapes && hi === 0x5c && j + 1 < cps.length) hi = cps[++j];
    }
    ranges.push(Math.min(cp, hi), Math.max(cp, hi));
    j++;
  }
  return undefined;
}

/** Tokens of a Docker pattern, following patternmatcher's compile step (and its exact/prefix/suffix kinds). */
function dockerTokens(cps: number[]): Token[] | undefined {
  const out: Token[] = [];
  let kind: 'exact' | 'prefix' | 'suffix' | 'regexp' = 'exact';
  let leadingBareStars = false;
  for (let i = 0, step = 0; i < cps.length; i++, step++) {
    const cp = cps[i];
    if (cp === 0x2a /* * */) {
      if (cps[i + 1] === 0x2a) {
        i++;
        const slash = cps[i + 1] === SLASH;
        if (slash) i++; // `**/` behaves like `**`
        if (i + 1 >= cps.length) {
          // a trailing `**` accepts everything below
          if (kind === 'exact') kind = 'prefix'; else kind = 'regexp';
          out.push({ op: Op.ANY });
        } else {
          out.push({ op: Op.DIRS });
          kind = 'regexp';
        }
        if (step === 0) { kind = 'suffix'; leadingBareStars = !slash; }
      } else {
        out.push({ op: Op.STAR });
        kind = 'regexp';
      }
    } else if (cp === 0x3f /* ? */) {
      out.push({ op: Op.ONE });
      kind = 'regexp';
    } else if (cp === 0x5c /* \ */ && i + 1 < cps.length) {
      out.push({ op: Op.LIT, cp: cps[++i] });
      kind = 'regexp';
    } else if (cp === 0x5b /* [ */) {
      const c = readClass(cps, i, '^', true);
      if (!c) return undefined; // Docker rejects the pattern; it matches nothing
      out.push({ op: Op.CLASS, cls: c.cls });
      i = c.next - 1;
      kind = 'regexp';
    } else {
      out.push({ op: Op.LIT, cp });
    }
  }
  // `**foo` with nothing else to match is a plain suffix test in Docker: `xfoo` matches too
  if (kind === 'suffix' && leadingBareStars && out[0]?.op === Op.DIRS) out[0] = { op: Op.ANY };
  return out;
}

function pathTokens(cps: number[], classes: boolean): Token[] | undefined {
  const out: Token[] = [];
  for (let i = 0; i < cps.length; i++) {
    const cp = cps[i];
    if (cp === 0x2a && cps[i + 1] === 0x2a) {
      i++;
      if (cps[i + 1] === SLASH) { i++; out.push({ op: Op.DIRS }); } else out.push({ op: Op.ANY });
    } else if (cp === 0x2a) out.push({ op: Op.STAR });
    else if (cp === 0x3f) out.push({ op: Op.ONE });
    else if (cp === 0x5b && classes) {
      const c = readClass(cps, i, '!^', false);
      if (c) { out.push({ op: Op.CLASS, cls: c.cls }); i = c.next - 1; } else out.push({ op: Op.LIT, cp });
    } else out.push({ op: Op.LIT, cp });
  }
  return out;
}

function refTokens(cps: number[]): Token[] {
  return cps.map((cp) => (cp === 0x2a ? { op: Op.ANY } : { op: Op.LIT, cp }));
}

const optional = (op: Op) => op === Op.STAR || op === Op.ANY || op === Op.DIRS;

/**
 * Merge runs of skippable tokens that mean the same as one of them (`**​/**​/` is `**​/`, `**` next to `*` is
 * `**`), so a pattern made of repeated wildcards stays small.
 */
function simplify(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length;) {
    if (!optional(tokens[i].op)) { out.push(tokens[i++]); continue; }
    const run: Op[] = [];
    while (i < tokens.length && optional(tokens[i].op)) run.push(tokens[i++].op);
    if (run.includes(Op.ANY)) { out.push({ op: Op.ANY }); continue; }
    for (const op of run) if (out.length === 0 || out[out.length - 1].op !== op || !optional(op)) out.push({ op });
  }
  return out;
}

/**
 * The compiled automaton: one entry per state (DIRS takes two: itself and its loop), and for each loop state the
 * states below it that it dominates (see Runner.prune): `bound[s]` is the highest state below `s` that is NOT
 * dominated by `s`, or `s` itself when `s` dominates nothing.
 */
interface Program { ops: Op[]; cps: number[]; classes: (CharClass | undefined)[]; bound: Int32Array }

function canReadSlash(op: Op, cp: number, cls: CharClass | undefined): boolean {
  if (op === Op.LIT) return cp === SLASH;
  if (op === Op.CLASS) return classHas(cls!, SLASH, false);
  return op === Op.ANY || op === Op.DIRS || op === Op.DIRS_LOOP;
}

function program(tokens: Token[], nocase: boolean): Program {
  const ops: Op[] = [], cps: number[] = [], classes: (CharClass | undefined)[] = [];
  for (const t of tokens) {
    ops.push(t.op);
    cps.push(t.cp !== undefined && nocase ? String.fromCodePoint(t.cp).toLowerCase().codePointAt(0)! : t.cp ?? -1);
    classes.push(t.cls);
    if (t.op === Op.DIRS) { ops.push(Op.DIRS_LOOP); cps.push(-1); classes.push(undefined); }
  }
  const bound = new Int32Array(ops.length);
  let lastSlash = -1;
  for (let s = 0; s < ops.length; s++) {
    const op = ops[s];
    // ANY reads whatever the states below it could read, and may stop anywhere
    if (op === Op.ANY) bound[s] = -1;
    // STAR does the same as long as the states in between cannot read a `/`
    else if (op === Op.STAR) bound[s] = lastSlash;
    // a DIRS loop may only stop after a `/`: it covers the states below when a `/` is read right before it
    else if (op === Op.DIRS_LOOP && s >= 2 && ops[s - 2] === Op.LIT && cps[s - 2] === SLASH) bound[s] = -1;
    else bound[s] = s;
    if (canReadSlash(op, cps[s], classes[s])) lastSlash = s;
  }
  return { ops, cps, classes, bound };
}

/**
 * A matcher running a program over a text while keeping the set of live states (Thompson's construction: each
 * character is read once, no backtracking). Returns whether the text, or with `parents` a prefix of it ending
 * before a `/`, is accepted.
 */
function runner(prog: Program, nocase: boolean): (text: string, parents: boolean) => boolean {
  const { ops, cps, classes, bound } = prog;
  const accept = ops.length;
  let cur = new Int32Array(accept + 1);
  let next = new Int32Array(accept + 1);
  const mark = new Int32Array(accept + 1);
  let stamp = 0, nextLen = 0;
  /** Whether a state that dominates others was added to `next` (otherwise there is nothing to prune). */
  let dominated = false;

  // add a state and the chain of states reachable from it without reading (each state has at most one such edge)
  const add = (state: number): void => {
    for (let s = state; mark[s] !== stamp;) {
      mark[s] = stamp;
      next[nextLen++] = s;
      if (s === accept) return;
      if (bound[s] < s) dominated = true;
      const op = ops[s];
      if (op === Op.STAR || op === Op.ANY) s++;
      else if (op === Op.DIRS) s += 2;
      else return;
    }
  };

  // Drop the live states that a live loop state above them dominates: a loop that can read everything the states
  // in between could read, and stop wherever they could, reaches every configuration they reach. So `*a*a*a…`
  // keeps a couple of live states instead of one per `*`.
  const prune = (): void => {
    const live = next.subarray(0, nextLen).sort();
    let low = Number.POSITIVE_INFINITY, kept = 0;
    // walk down from the highest state, compacting `live` towards its top end
    for (let k = live.length - 1; k >= 0; k--) {
      const s = live[k];
      const inside = s > low;
      if (s < accept && bound[s] < s) low = inside ? Math.min(low, bound[s]) : bound[s];
      if (!inside) live[live.length - 1 - kept++] = s;
    }
    if (kept < live.length) next.copyWithin(0, live.length - kept, live.length);
    nextLen = kept;
  };

  return (text, parents) => {
    if (stamp > 0x3fffffff) { mark.fill(0); stamp = 0; }
    stamp++;
    nextLen = 0;
    dominated = false;
    add(0);
    const subject = nocase ? text.toLowerCase() : text;
    let curLen = 0;
    for (let i = 0; i <= subject.length;) {
      if (dominated && nextLen > 1) prune();
      dominated = false;
      const t = cur; cur = next; next = t;
      curLen = nextLen;
      nextLen = 0;
      stamp++;
      if (curLen === 0) return false;
      if (i === subject.length) break;
      const cp = subject.codePointAt(i)!;
      i += cp > 0xffff ? 2 : 1;
      for (let k = 0; k < curLen; k++) {
        const s = cur[k];
        switch (ops[s]) {
          case Op.LIT: if (cps[s] === cp) add(s + 1); break;
          case Op.ONE: if (cp !== SLASH) add(s + 1); break;
          case Op.CLASS: if (classHas(classes[s]!, cp, nocase)) add(s + 1); break;
          case Op.STAR: if (cp !== SLASH) add(s); break;
          case Op.ANY: add(s); break;
          case Op.DIRS: add(s + 1); if (cp === SLASH) add(s + 2); break;
          case Op.DIRS_LOOP: add(s); if (cp === SLASH) add(s + 1); break;
          default: if (parents && cp === SLASH) return true; // the accepting state: a parent folder matched
        }
      }
    }
    for (let k = 0; k < curLen; k++) if (cur[k] === accept) return true;
    return false;
  };
}

/** Compile a glob. A malformed Docker pattern (an unclosed `[`) matches nothing, as Docker refuses it. */
export function compileGlob(pattern: string, opts: GlobOptions = {}): Glob {
  const syntax = opts.syntax ?? 'path';
  const nocase = opts.nocase ?? false;
  const classes = syntax === 'docker' || (syntax === 'path' && (opts.classes ?? false));
  const required = requiredText(pattern, syntax, classes);
  if (!nocase && required.length === pattern.length && !(syntax === 'docker' && pattern.endsWith('\\'))) {
    // plain text: an exact comparison
    return {
      pattern,
      literal: pattern,
      test: (text) => text === pattern,
      testOrParent: (path) => path === pattern || (path.length > pattern.length && path.startsWith(pattern) && path.charCodeAt(pattern.length) === SLASH),
    };
  }
  // the automaton is built on the first text that holds the pattern's plain text: a long ignore file costs little
  // until its patterns are needed, and most texts are rejected by a substring search
  const needle = nocase ? required.toLowerCase() : required;
  let run: ((text: string, parents: boolean) => boolean) | undefined;
  const matches = (text: string, parents: boolean): boolean => {
    if (text.length > MAX_GLOB_TEXT) return false;
    if (needle && !(nocase ? text.toLowerCase() : text).includes(needle)) return false;
    run ??= build(pattern, syntax, opts.classes ?? false, nocase);
    return run(text, parents);
  };
  return { pattern, test: (text) => matches(text, false), testOrParent: (path) => matches(path, true) };
}

const never = (): boolean => false;

function build(pattern: string, syntax: GlobSyntax, classes: boolean, nocase: boolean): (text: string, parents: boolean) => boolean {
  const cps = codePoints(pattern);
  const raw = syntax === 'docker' ? dockerTokens(cps) : syntax === 'ref' ? refTokens(cps) : pathTokens(cps, classes);
  if (!raw) return never;
  const tokens = simplify(raw);
  // more characters to read than the longest text could hold, or more wildcards than any real pattern: the
  // automaton's size bounds the work per character, so such a pattern is refused rather than run
  const wildcards = tokens.filter((t) => optional(t.op)).length;
  if (tokens.length - wildcards > MAX_GLOB_TEXT || wildcards > MAX_GLOB_WILDCARDS) return never;
  return runner(program(tokens, nocase), nocase);
}

/**
 * The longest piece of plain text that every match contains: a run of the pattern outside wildcards and escapes,
 * taken before the first class (whose end is left to the tokenizer). Used to reject most texts with a substring search.
 */
function requiredText(pattern: string, syntax: GlobSyntax, classes: boolean): string {
  let best = '', cur = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    const wildcard = c === '*' || (c === '?' && syntax !== 'ref') || (c === '\\' && syntax === 'docker');
    if (c === '[' && classes) break;
    if (wildcard) {
      if (cur.length > best.length) best = cur;
      cur = '';
      if (c === '\\') i++; // the escaped character is left out too
      // the `/` of `**​/` belongs to the wildcard (any folders, also none)
      else if (c === '*' && pattern[i + 1] === '*' && syntax !== 'ref') { i++; if (pattern[i + 1] === '/') i++; }
    } else cur += c;
  }
  return cur.length > best.length ? cur : best;
}

const cache = new Map<string, Glob>();
const CACHE_SIZE = 256;

/** compileGlob with a small cache, for callers that test the same few globs against many texts. */
export function glob(pattern: string, opts: GlobOptions = {}): Glob {
  const key = `${opts.syntax ?? 'path'}${opts.classes ? 'c' : ''}${opts.nocase ? 'i' : ''}:${pattern}`;
  let g = cache.get(key);
  if (!g) {
    g = compileGlob(pattern, opts);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(key, g);
  }
  return g;
}
