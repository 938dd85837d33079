// Instruction construction for dockerfile-ast's parser with each instruction's argument split computed once, and its
// end-of-parse comment placement in linear time. dockerfile-ast re-scans an instruction's text on every getArguments()
// call, which its constructors and parser do many times per instruction (and build each instruction twice), and it
// places comments in comments × stages steps; the tree and every value stay exactly dockerfile-ast's own.

import {
  Add, Arg, Argument, Cmd, Copy, Entrypoint, Env, From, Healthcheck, Instruction, Label, Onbuild, Run, Shell, Stopsignal, User, Volume,
  Workdir,
} from 'dockerfile-ast';
import type { Comment, Dockerfile } from 'dockerfile-ast';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range } from 'vscode-languageserver-types';
import { scanArgs } from './args';

type InstructionClass = new (document: TextDocument, range: Range, dockerfile: Dockerfile, escapeChar: string,
  instruction: string, instructionRange: Range) => Instruction;

const RAW = Symbol('rawArguments');
const PROPS = Symbol('properties');

/**
 * A subclass whose argument split (and key/value properties) are computed on first use and kept. The instruction's
 * text never changes after parsing, so they are the same on every call; callers get a fresh array because
 * dockerfile-ast shifts flags off it.
 */
function memoized(base: InstructionClass): InstructionClass {
  const cls = class extends base {};
  keep(cls, 'getRawArguments', RAW, splitKept);
  // ENV, ARG and LABEL rebuild their key/value properties on every call too, and several rules ask for them
  if ('getProperties' in base.prototype) keep(cls, 'getProperties', PROPS);
  return cls;
}

/**
 * Replace a method of the class by one that computes the base result once per instance and returns copies of it.
 * `fast` may compute the same result more cheaply, or return undefined to leave the case to the base method.
 */
function keep(cls: InstructionClass, method: string, slot: symbol, fast?: (node: Instruction) => unknown[] | undefined): void {
  const base = (Object.getPrototypeOf(cls.prototype) as Record<string, () => unknown[]>)[method];
  Object.defineProperty(cls.prototype, method, {
    value(this: Record<symbol, unknown[] | undefined>): unknown[] {
      let v = this[slot];
      if (v === undefined) { v = (fast && fast(this as unknown as Instruction)) || base.call(this); this[slot] = v; }
      return v.slice();
    },
    writable: true, configurable: true,
  });
}

/** The fields of dockerfile-ast's Instruction that its argument split reads (declared protected there). */
interface InstructionInternals { document: TextDocument; escapeChar: string; range: Range; getInstructionRange(): Range }

/**
 * dockerfile-ast's getRawArguments: the same scan of the same text (see args.ts), with each argument built as it builds
 * it, but without joining values one character at a time.
 */
function splitKept(node: Instruction): Argument[] {
  const n = node as unknown as InstructionInternals;
  const holder = node as unknown as { [DONOR]?: ArgumentDonor };
  // lent while the instruction is built (its constructor splits the arguments), or kept on it for later
  const lent = holder[DONOR] ?? pendingDonor;
  if (lent) {
    holder[DONOR] = undefined;
    pendingDonor = undefined;
    // the same text starting at the same column: every position is the same, lines moved by the lines the edit added
    const at = n.range.start;
    if (at.character === lent.character) {
      const lines = at.line - lent.line;
      return lines === 0 ? lent.args : lent.args.map((a) => {
        const r = a.getRange();
        return new Argument(a.getValue(), { start: { line: r.start.line + lines, character: r.start.character }, end: { line: r.end.line + lines, character: r.end.character } });
      });
    }
  }
  const doc = n.document;
  const range = n.getInstructionRange();
  const instrStart = doc.offsetAt(range.start);
  const extra = doc.offsetAt(range.end) - instrStart;
  const content = doc.getText().substring(doc.offsetAt(n.range.start), doc.offsetAt(n.range.end));
  const offset = instrStart + extra;
  const args: Argument[] = [];
  scanArgs(content.substring(extra), n.escapeChar, (value, a, b) => {
    // Range.create of two positions is this literal; positionAt's positions always pass its check
    args.push(new Argument(value, { start: doc.positionAt(offset + a), end: doc.positionAt(offset + b) }));
  });
  return args;
}

const CLASSES = new Map<string, InstructionClass>(([
  ['ADD', Add], ['ARG', Arg], ['CMD', Cmd], ['COPY', Copy], ['ENTRYPOINT', Entrypoint], ['ENV', Env], ['FROM', From],
  ['HEALTHCHECK', Healthcheck], ['LABEL', Label], ['ONBUILD', Onbuild], ['RUN', Run], ['SHELL', Shell],
  ['STOPSIGNAL', Stopsignal], ['WORKDIR', Workdir], ['USER', User], ['VOLUME', Volume],
] as [string, unknown][]).map(([k, c]) => [k, memoized(c as InstructionClass)]));
const OTHER = memoized(Instruction as unknown as InstructionClass);

const DONOR = Symbol('argumentDonor');

/** An earlier version's split of one instruction's arguments, and where that instruction started. */
interface ArgumentDonor { line: number; character: number; args: Argument[] }

/** The argument splits an earlier parse of the document made, by the instruction text they depend on. */
export interface ArgumentDonors { escapeChar: string; byText: Map<string, ArgumentDonor> }

/**
 * The splits `instructions` (an earlier parse of `text`) already made: an instruction written the same way in the
 * next version gets its arguments from here instead of scanning them again (its ranges moved to where it now is).
 * Only the arguments are kept, not the earlier tree.
 */
export function argumentDonors(instructions: readonly { node: Instruction; startOffset: number; endOffset: number }[], text: string, escapeChar: string): ArgumentDonors {
  const byText = new Map<string, ArgumentDonor>();
  for (const { node, startOffset, endOffset } of instructions) {
    const args = (node as unknown as { [RAW]?: Argument[] })[RAW];
    if (!args) continue;
    const at = node.getRange().start;
    byText.set(text.slice(startOffset, endOffset), { line: at.line, character: at.character, args });
  }
  return { escapeChar, byText };
}

/** The parser state this factory reads (dockerfile-ast declares it private), and the splits lent to this parse. */
interface ParserState { document: TextDocument; escapeChar: string; lastMemo?: LastMemo; donors?: ArgumentDonors }
/** The span and keyword of the instruction built last, compared field by field (no key string per instruction). */
interface LastMemo { doc: TextDocument; start: number; instructionEnd: number; end: number; instruction: string; node: Instruction }

/**
 * Stands in for the parser's createInstruction: the same ranges and classes as dockerfile-ast's, with the memoized
 * split. The parser builds an instruction once to find its heredocs and again to keep it; for the same span the
 * first one is returned again (nothing mutates it in between).
 */
export function createMemoInstruction(parser: unknown, dockerfile: Dockerfile, instruction: string, start: number,
  instructionEnd: number, end: number): Instruction {
  const p = parser as ParserState;
  linearCommentPlacement(dockerfile);
  const doc = p.document;
  const last = p.lastMemo;
  if (last && last.start === start && last.instructionEnd === instructionEnd && last.end === end
    && last.instruction === instruction && last.doc === doc) return last.node;
  const startPosition = doc.positionAt(start);
  const instructionRange: Range = { start: startPosition, end: doc.positionAt(instructionEnd) };
  const lineRange: Range = { start: startPosition, end: doc.positionAt(end) };
  const cls = CLASSES.get(instruction.toUpperCase()) ?? OTHER;
  const donors = p.donors;
  const lent = donors && donors.escapeChar === p.escapeChar ? donors.byText.get(doc.getText().slice(start, end)) : undefined;
  // the constructor splits the arguments already: the donor must be in place before it runs
  const node = lent ? withDonor(cls, lent, doc, lineRange, dockerfile, p.escapeChar, instruction, instructionRange)
    : new cls(doc, lineRange, dockerfile, p.escapeChar, instruction, instructionRange);
  p.lastMemo = { doc, start, instructionEnd, end, instruction, node };
  return node;
}

/** Build an instruction whose argument split is lent by an earlier version (set on the prototype chain while it is built). */
function withDonor(cls: InstructionClass, lent: ArgumentDonor, ...args: ConstructorParameters<InstructionClass>): Instruction {
  pendingDonor = lent;
  let node: Instruction;
  try {
    node = new cls(...args);
  } finally {
    // not split while built: the split happens on first use
    const unused = pendingDonor;
    pendingDonor = undefined;
    if (unused) (node! as unknown as { [DONOR]?: ArgumentDonor })[DONOR] = unused;
  }
  return node;
}
let pendingDonor: ArgumentDonor | undefined;

/** The argument split the parse already computed for an instruction, if it did (read-only: shared with dockerfile-ast). */
export function keptArguments(node: Instruction): readonly Argument[] | undefined {
  return (node as unknown as { [RAW]?: Argument[] })[RAW];
}

interface Pos { line: number; character: number }
interface Rng { start: Pos; end: Pos }
/** The parts of dockerfile-ast's Dockerfile and ImageTemplate that placing comments uses (declared private there). */
interface Template { getRange(): Rng | null; addComment(c: Comment): void }
interface DockerfileInternals { initialInstructions: Template; buildStages: Template[]; organizeComments(): void; [PLACED]?: true }
const PLACED = Symbol('linearCommentPlacement');

function before(a: Pos, b: Pos): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/** dockerfile-ast's Util.isInsideRange: both ends inclusive. */
function inside(p: Pos, r: Rng): boolean {
  return !before(p, r.start) && !before(r.end, p);
}

/**
 * dockerfile-ast ends a parse by giving each comment to the build stages whose range holds it, asking every stage
 * for a freshly built range per comment (Dockerfile.organizeComments): comments × stages, seconds on a multi-megabyte
 * file. This does the same placement with each stage's range computed once and the stages found by binary search
 * (stages follow each other in the text), so every stage gets exactly the comments, in the order, it would have.
 */
function linearCommentPlacement(dockerfile: Dockerfile): void {
  const d = dockerfile as unknown as DockerfileInternals;
  if (d[PLACED]) return;
  d[PLACED] = true;
  d.organizeComments = function organizeComments(this: DockerfileInternals & Dockerfile): void {
    const initial = this.initialInstructions.getRange() as Rng;
    const stages = this.buildStages;
    const ranges = stages.map((s) => s.getRange() as Rng);
    for (const comment of this.getComments() as Comment[]) {
      const r = comment.getRange();
      if (inside(r.end, initial)) { this.initialInstructions.addComment(comment); continue; }
      // the last stage starting at or before the comment, then earlier ones while their range reaches it
      let lo = 0, hi = ranges.length - 1, last = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (before(r.start, ranges[mid].start)) hi = mid - 1; else { last = mid; lo = mid + 1; }
      }
      let first = last + 1;
      for (let k = last; k >= 0 && !before(ranges[k].end, r.start); k--) first = k;
      for (let k = first; k <= last; k++) if (inside(r.start, ranges[k])) stages[k].addComment(comment);
    }
  };
}
