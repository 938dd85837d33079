// Splits an instruction's arguments from the raw text the way dockerfile-ast's Instruction.getArguments does
// (same words, escapes and ranges), without its per-argument object and range validation cost.

import type { LineIndex } from '../core/text';
import type { Position } from '../core/findings';

export interface SplitArg { value: string; range: { start: Position; end: Position } }

/**
 * The position of an offset as vscode-languageserver-textdocument computes it: an offset just after a line
 * break is pulled back before it, so ranges match dockerfile-ast's exactly.
 */
export function docPositionAt(index: LineIndex, offset: number): Position {
  const text = index.text;
  offset = Math.max(Math.min(offset, text.length), 0);
  const starts = index.starts;
  let lo = 0, hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] > offset) hi = mid; else lo = mid + 1;
  }
  const line = lo - 1;
  const lineStart = starts[line];
  let o = offset;
  while (o > lineStart) {
    const c = text.charCodeAt(o - 1);
    if (c !== 10 && c !== 13) break;
    o--;
  }
  return { line, character: o - lineStart };
}

function isWs(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n';
}

function isWsCode(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 10;
}

/**
 * Arguments of the text[offset, end): `offset` is just after the keyword. Mirrors getRawArguments of
 * dockerfile-ast 0.7 statement by statement (comment lines inside continuations, escaped whitespace, EOF).
 */
export function splitArgs(index: LineIndex, offset: number, end: number, escapeChar: string): SplitArg[] {
  const args: SplitArg[] = [];
  scanArgs(index.text.slice(offset, end), escapeChar, (value, a, b) => {
    args.push({ value, range: { start: docPositionAt(index, offset + a), end: docPositionAt(index, offset + b) } });
  });
  return args;
}

/**
 * dockerfile-ast's argument scan over the text after an instruction's keyword: calls `emit` with each argument's
 * value and its start and end in `fullArgs`, in order. Runs of plain characters are appended to the value as one
 * slice rather than one character at a time (the value is the same string).
 */
export function scanArgs(fullArgs: string, escapeChar: string, emit: (value: string, start: number, end: number) => void): void {
  if (!fullArgs.includes(escapeChar)) {
    // without the escape character there are no continuations or escapes (and so no comment lines inside):
    // the arguments are the runs of non-whitespace, which is what the full scan below yields for such text
    const n = fullArgs.length;
    let i = 0;
    while (i < n) {
      while (i < n && isWsCode(fullArgs.charCodeAt(i))) i++;
      if (i >= n) break;
      const s = i;
      while (i < n && !isWsCode(fullArgs.charCodeAt(i))) i++;
      emit(fullArgs.slice(s, i), s, i);
    }
    return;
  }
  let start = false;
  let comment = false;
  let found = -1;
  let escapedWhitespaceDetected = false;
  let escaping = false;
  let escapeMarker = -1;
  let escapedArg = '';
  // fullArgs[pending, i) are plain characters the original appends one by one and not yet in escapedArg (-1: none);
  // every step that is not such an append adds them first, so escapedArg is always read complete
  let pending = -1;
  const n = fullArgs.length;
  for (let i = 0; i < n; i++) {
    const char = fullArgs.charAt(i);
    const ws = isWs(char);
    if (!ws && char !== escapeChar && !comment && !(start && char === '#')) {
      // a plain character: the original's append branch (the push there needs a flushed value: the step before it
      // was a whitespace step, so nothing is pending)
      if (escapedWhitespaceDetected && escapeMarker !== -1) {
        emit(escapedArg, found, escapeMarker);
        escapedArg = '';
        found = -1;
      }
      escapedWhitespaceDetected = false;
      escaping = false;
      escapeMarker = -1;
      if (pending === -1) pending = i;
      if (found === -1) found = i;
      start = false;
      continue;
    }
    if (pending !== -1) { escapedArg += fullArgs.slice(pending, i); pending = -1; }
    if (ws) {
      if (escaping) {
        escapedWhitespaceDetected = true;
        if (char === '\r' || char === '\n') {
          escapedWhitespaceDetected = false;
          if (comment) { comment = false; start = true; }
        }
        continue;
      } else if (found !== -1) {
        emit(escapedArg, found, escapeMarker === -1 ? i : escapeMarker);
        escapeMarker = -1;
        escapedArg = '';
        found = -1;
      }
    } else if (char === escapeChar) {
      const next = fullArgs.charAt(i + 1);
      if (next === ' ' || next === '\t') {
        whitespaceCheck: for (let j = i + 2; j < n; j++) {
          const w = fullArgs.charAt(j);
          switch (w) {
            case ' ':
            case '\t':
              continue;
            case '\r':
            case '\n':
              if (w === '\r') j++;
              comment = false;
              escaping = true;
              start = true;
              if (found !== -1) escapeMarker = i;
              i = j;
              break whitespaceCheck;
            default:
              escapeMarker = i;
              if (found === -1) i = j - 1;
              break whitespaceCheck;
          }
        }
      } else if (next === '\r') {
        comment = false;
        escaping = true;
        start = true;
        if (found !== -1 && escapeMarker === -1) escapeMarker = i;
        i += 2;
      } else if (next === '\n') {
        comment = false;
        escaping = true;
        start = true;
        if (found !== -1 && escapeMarker === -1) escapeMarker = i;
        i++;
      } else {
        if (escapedWhitespaceDetected && escapeMarker !== -1) {
          emit(escapedArg, found, escapeMarker);
          escapedArg = '';
          found = -1;
        }
        escapeMarker = -1;
        escapedWhitespaceDetected = false;
        escaping = false;
        if (next === '$') escapedArg = escapedArg + char + next;
        else if (next === '') break;
        else escapedArg = escapedArg + next;
        if (found === -1) found = i;
        i++;
      }
    } else if (!comment) {
      // `#` opening a comment line inside a continuation (plain characters took the branch above)
      comment = true;
      start = false;
    }
  }
  if (pending !== -1) escapedArg += fullArgs.slice(pending, n);
  if (found !== -1) emit(escapedArg, found, escapeMarker === -1 ? n : escapeMarker);
}

/** The instructions whose shell form can open a heredoc (BuildKit). */
export const HEREDOC_KEYWORDS: ReadonlySet<string> = new Set(['RUN', 'COPY', 'ADD']);

const CONTINUATIONS = new Map<string, RegExp>();
/** A line continuation with this escape character (global; for `replace`). */
export function continuationRe(escapeChar: string): RegExp {
  let re = CONTINUATIONS.get(escapeChar);
  if (!re) { re = new RegExp(`\\${escapeChar}[ \\t]*\\r?\\n`, 'g'); CONTINUATIONS.set(escapeChar, re); }
  return re;
}

/** A JSON array of strings (exec form), or null. */
export function parseJsonArray(s: string): string[] | null {
  try {
    const v: unknown = JSON.parse(s.trim());
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v as string[] : null;
  } catch {
    return null;
  }
}
