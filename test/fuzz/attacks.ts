// Adversarial inputs for a regular expression, derived from its own source: a few strings that match its start
// (one per choice of alternatives), with each repeatable part pumped to a long run and followed by a character
// that makes the match fail. That is where a backtracking engine spends exponential or polynomial time.

/** A shape of a regular expression, enough to build strings that follow it. */
type Node =
  | { t: 'seq'; items: Node[] }
  | { t: 'alt'; alts: Node[] }
  | { t: 'atom'; src: string }
  | { t: 'group'; body: Node; look: boolean }
  | { t: 'rep'; body: Node; min: number; max: number }
  | { t: 'empty' };

/** Characters tried for a one-character atom, in order of preference: what real text is made of. */
const POOL = [' ', 'a', '0', '#', '/', '\\', '"', "'", '*', '$', '{', '}', '-', '.', ',', '=', ':', '\t', 'A', '_', '@', '[', ']', '(', ')', '|', '!', '?', '+', ';', '<', '>', '~', '%', '&', '^', '`', '\n', '\r', '\u2028', '\u00a0', 'é', '\u0000'];

/** Characters that end a run badly: outside most classes, or a line break `.` does not cross. */
export const TAILS = ['\u0000', '\u2028', '#', '!', '#\u2028'];

/** Runs that reach every regular expression: blanks, comment and glob characters, quotes, variables. */
export const RUN_CHARS = [' ', '\t', '#', '*', '/', '\\', '"', "'", '$', '{', '=', ',', '-', '.', 'a', '0'];

class Parser {
  private i = 0;
  constructor(private readonly src: string) {}

  parse(): Node {
    const n = this.alt();
    return n;
  }

  private alt(): Node {
    const alts: Node[] = [this.seq()];
    while (this.src[this.i] === '|') { this.i++; alts.push(this.seq()); }
    return alts.length === 1 ? alts[0] : { t: 'alt', alts };
  }

  private seq(): Node {
    const items: Node[] = [];
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      let atom = this.atom();
      atom = this.quantified(atom);
      items.push(atom);
    }
    return { t: 'seq', items };
  }

  private quantified(atom: Node): Node {
    const c = this.src[this.i];
    let min = -1, max = -1;
    if (c === '*') { min = 0; max = Infinity; this.i++; }
    else if (c === '+') { min = 1; max = Infinity; this.i++; }
    else if (c === '?') { min = 0; max = 1; this.i++; }
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i, this.i + 24));
      if (m) { min = Number(m[1]); max = m[2] ? (m[3] ? Number(m[3]) : Infinity) : min; this.i += m[0].length; }
    }
    if (min < 0) return atom;
    if (this.src[this.i] === '?') this.i++; // lazy: same strings
    return { t: 'rep', body: atom, min, max };
  }

  private atom(): Node {
    const start = this.i;
    const c = this.src[this.i];
    if (c === '(') {
      this.i++;
      let look = false;
      if (this.src[this.i] === '?') {
        const rest = this.src.slice(this.i, this.i + 4);
        if (rest.startsWith('?:')) this.i += 2;
        else if (rest.startsWith('?=') || rest.startsWith('?!')) { this.i += 2; look = true; }
        else if (rest.startsWith('?<=') || rest.startsWith('?<!')) { this.i += 3; look = true; }
        else if (rest.startsWith('?<')) this.i = this.src.indexOf('>', this.i) + 1;
      }
      const body = this.alt();
      this.i++; // ')'
      return { t: 'group', body, look };
    }
    if (c === '^' || c === '$') { this.i++; return { t: 'empty' }; }
    if (c === '[') {
      this.i++;
      if (this.src[this.i] === '^') this.i++;
      if (this.src[this.i] === ']') this.i++;
      while (this.i < this.src.length && this.src[this.i] !== ']') this.i += this.src[this.i] === '\\' ? 2 : 1;
      this.i++;
      return { t: 'atom', src: this.src.slice(start, this.i) };
    }
    if (c === '\\') {
      const e = this.src[this.i + 1];
      if (e === 'b' || e === 'B') { this.i += 2; return { t: 'empty' }; }
      if (/[1-9]/.test(e)) { this.i += 2; while (/\d/.test(this.src[this.i] ?? '')) this.i++; return { t: 'empty' }; }
      if (e === 'k') { this.i = this.src.indexOf('>', this.i) + 1; return { t: 'empty' }; }
      if (e === 'u' && this.src[this.i + 2] === '{') this.i = this.src.indexOf('}', this.i) + 1;
      else if (e === 'u') this.i += 6;
      else if (e === 'x') this.i += 4;
      else if (e === 'c') this.i += 3;
      else if (e === 'p' || e === 'P') this.i = this.src.indexOf('}', this.i) + 1;
      else this.i += 2;
      return { t: 'atom', src: this.src.slice(start, this.i) };
    }
    this.i++;
    return { t: 'atom', src: c };
  }
}

/** The characters of the pool a one-character atom accepts (at most `limit`). */
function accepted(atomSrc: string, flags: string, limit: number): string[] {
  let re: RegExp;
  try { re = new RegExp(`^(?:${atomSrc})$`, flags.replace(/[gy]/g, '')); } catch { return ['a']; }
  // a literal character (or an escaped punctuation character) stands for itself first
  const literal = atomSrc.length === 1 ? atomSrc : /^\\[^A-Za-z0-9]$/.test(atomSrc) ? atomSrc[1] : undefined;
  const out: string[] = [];
  for (const ch of literal ? [literal, ...POOL] : POOL) {
    if (!out.includes(ch) && re.test(ch)) { out.push(ch); if (out.length >= limit) break; }
  }
  return out;
}

interface Pump { at: number; samples: string[] }

/** Build one string that follows the expression, choosing alternative `choice % n` at each alternation. */
function witness(node: Node, flags: string, choice: number, pumps: Pump[], out: string[]): void {
  switch (node.t) {
    case 'empty': return;
    case 'atom': out.push(accepted(node.src, flags, 1)[0] ?? 'a'); return;
    case 'seq': for (const n of node.items) witness(n, flags, choice, pumps, out); return;
    case 'alt': witness(node.alts[choice % node.alts.length], flags, choice, pumps, out); return;
    case 'group': if (!node.look) witness(node.body, flags, choice, pumps, out); return;
    case 'rep': {
      const at = out.join('').length;
      if (node.max > 1) pumps.push({ at, samples: samplesOf(node.body, flags, choice) });
      const times = Math.min(node.min, 4);
      for (let k = 0; k < times; k++) witness(node.body, flags, choice, pumps, out);
    }
  }
}

/** What one repetition of a part can read: a few different characters for a one-character part. */
function samplesOf(node: Node, flags: string, choice: number): string[] {
  const inner = node.t === 'group' && !node.look ? node.body : node;
  if (inner.t === 'atom') return accepted(inner.src, flags, 3);
  const out: string[] = [];
  witness(inner, flags, choice, [], out);
  const s = out.join('');
  return s ? [s] : [];
}

export interface AttackPlan {
  /** Builds the attack string with the pumped part repeated `n` times. */
  build(n: number): string;
  describe: string;
}

/** The attack strings for a regular expression source and flags. */
export function attacks(source: string, flags: string): AttackPlan[] {
  const root = new Parser(source).parse();
  const alternations = countAlternatives(root);
  const plans: AttackPlan[] = [];
  const seen = new Set<string>();
  const add = (head: string, unit: string, rest: string, tail: string) => {
    const key = `${head}\u0001${unit}\u0001${rest}\u0001${tail}`;
    if (!unit || seen.has(key)) return;
    seen.add(key);
    plans.push({ build: (n) => head + unit.repeat(n) + rest + tail, describe: `${JSON.stringify(head)} + ${JSON.stringify(unit)}×n + ${JSON.stringify(rest + tail)}` });
  };
  for (let choice = 0; choice < Math.min(alternations, 4); choice++) {
    const pumps: Pump[] = [];
    const out: string[] = [];
    witness(root, flags, choice, pumps, out);
    const w = out.join('');
    // mixed repetitions: every pair of neighbouring characters of the pattern's own text, repeated
    for (let i = 0; i + 1 < w.length && i < 24; i++) for (const tail of ['\u2028', '\u0000']) add('', w.slice(i, i + 2), '', tail);
    for (const p of pumps.slice(0, 12)) {
      for (const unit of p.samples) {
        for (const tail of TAILS) {
          add(w.slice(0, p.at), unit, '', tail);
          add(w.slice(0, p.at), unit, w.slice(p.at), tail);
        }
      }
    }
  }
  for (const ch of RUN_CHARS) for (const tail of ['', '\u0000']) add('', ch, '', tail);
  return plans;
}

function countAlternatives(node: Node): number {
  switch (node.t) {
    case 'alt': return Math.max(node.alts.length, ...node.alts.map(countAlternatives));
    case 'seq': return Math.max(1, ...node.items.map(countAlternatives));
    case 'group': case 'rep': return countAlternatives(node.body);
    default: return 1;
  }
}
