// dockerfile-ast's parser with BuildKit's rules for where heredocs start and where lines continue: only the shell form
// of RUN, COPY and ADD (ONBUILD's trigger included) opens a heredoc. An exec-form array such as
// `RUN ["sh", "-c", "cat <<EOF"]` does not, so the lines after it stay instructions instead of becoming a heredoc body
// that never ends. A line that ends in an escaped escape character (`\\`) does not continue.

import { Parser } from 'dockerfile-ast/lib/parser';
import type { Dockerfile, Instruction } from 'dockerfile-ast';
import { createMemoInstruction, type ArgumentDonors } from './astMemo';
import { continuationRe, HEREDOC_KEYWORDS, parseJsonArray } from './args';

/** The parser's heredoc step, which dockerfile-ast declares private. */
type HeredocStep = (this: Parser, instruction: Instruction, offset: number) => number;
const baseProcessHeredocs = (Parser.prototype as unknown as { processHeredocs: HeredocStep }).processHeredocs;
/** The parser's scan for the end of an instruction's arguments, also private. */
type ArgumentsStep = (this: Parser, dockerfile: Dockerfile, instruction: string, instructionEnd: number, start: number, offset: number) => number;
const baseProcessArguments = (Parser.prototype as unknown as { processArguments: ArgumentsStep }).processArguments;

/**
 * The text the parser scans for line ends, with BuildKit's rule for continuations applied: an escape character at the
 * end of a line continues it only when the character before it is not an escape character too (`ENV A C:\\` ends
 * the instruction). Such a closing escape is replaced by a plain character of the same length, so offsets hold; the
 * document itself keeps the original text.
 */
export function continuationScanText(text: string, escapeChar: string): string {
  let out = '';
  let copied = 0;
  // from each line end back over `\r` and blanks to the character that would continue the line
  for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', nl + 1)) {
    let j = nl - 1;
    if (j >= 0 && text[j] === '\r') j--;
    while (j >= 0 && (text[j] === ' ' || text[j] === '\t')) j--;
    if (j >= 1 && text[j] === escapeChar && text[j - 1] === escapeChar) {
      // the text between replaced characters is copied in one slice
      out += text.slice(copied, j) + '_';
      copied = j + 1;
    }
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/**
 * Whether an instruction is written in exec form as BuildKit decides it: after the keyword and the leading
 * `--flags`, the logical line (continuations joined) is a JSON array of strings.
 */
export function isExecForm(text: string, escapeChar: string): boolean {
  const joined = text.replace(continuationRe(escapeChar), ' ');
  const rest = joined.replace(/^\s*\S+/, '').replace(/^(\s+--\S+)*/, '').trim();
  return rest.startsWith('[') && parseJsonArray(rest) !== null;
}

/** Whether the instruction cannot open a heredoc: not RUN/COPY/ADD, no `<<` at all, or written in exec form. */
function skipsHeredocs(instruction: Instruction, escapeChar: string): boolean {
  let instr: Instruction | null = instruction;
  if (instr.getKeyword().toUpperCase() === 'ONBUILD') {
    instr = (instr as unknown as { getTriggerInstruction(): Instruction | null }).getTriggerInstruction();
    if (!instr) return true;
  }
  if (!HEREDOC_KEYWORDS.has(instr.getKeyword().toUpperCase())) return true;
  // without `<<` the base step would find nothing, after splitting every argument
  const text = instr.getTextContent();
  return !text.includes('<<') || isExecForm(text, escapeChar);
}

class BuildkitHeredocParser extends (Parser as unknown as new () => { parse(buffer: string): Dockerfile }) {
  private scan?: { original: string; masked: string };
  processArguments(dockerfile: Dockerfile, instruction: string, instructionEnd: number, start: number, offset: number): number {
    const self = this as unknown as { buffer: string; escapeChar: string | null };
    const original = self.buffer;
    const escapeChar = self.escapeChar || '\\';
    // most files have no escaped escape character at a line end: scan them as they are
    if (this.scan?.original !== original) this.scan = { original, masked: continuationScanText(original, escapeChar) };
    if (this.scan.masked === original) return baseProcessArguments.call(this as unknown as Parser, dockerfile, instruction, instructionEnd, start, offset);
    self.buffer = this.scan.masked;
    try {
      return baseProcessArguments.call(this as unknown as Parser, dockerfile, instruction, instructionEnd, start, offset);
    } finally {
      self.buffer = original;
    }
  }
  processHeredocs(instruction: Instruction, offset: number): number {
    // the escape character is read from the directives before any instruction is parsed
    const escapeChar = (this as unknown as { escapeChar: string | null }).escapeChar || '\\';
    if (skipsHeredocs(instruction, escapeChar)) return offset;
    return baseProcessHeredocs.call(this as unknown as Parser, instruction, offset);
  }
  createInstruction(dockerfile: Dockerfile, instruction: string, start: number, instructionEnd: number, end: number): Instruction {
    // the same instructions dockerfile-ast builds, each splitting its arguments once (see astMemo.ts)
    return createMemoInstruction(this, dockerfile, instruction, start, instructionEnd, end);
  }
}

/**
 * Parse a Dockerfile into dockerfile-ast's tree, with heredocs opened only where BuildKit opens them. `donors`: the
 * argument splits of an earlier version of the document, reused for instructions written the same way.
 */
export function parseAst(text: string, donors?: ArgumentDonors): Dockerfile {
  const parser = new BuildkitHeredocParser();
  (parser as unknown as { donors?: ArgumentDonors }).donors = donors;
  return parser.parse(text);
}
