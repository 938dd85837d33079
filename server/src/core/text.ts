// Text helpers: line index, offset <-> position conversion, and edit application.
// Every place that maps offsets to LSP positions goes through LineIndex so the logic lives once.

import type { Position, Range, TextEdit } from './findings';

export class LineIndex {
  /** Offsets at which each line starts. */
  readonly starts: number[];
  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.starts = starts;
  }
  get lineCount(): number { return this.starts.length; }
  offsetAt(pos: Position): number {
    if (pos.line >= this.starts.length) return this.text.length;
    if (pos.line < 0) return 0;
    const start = this.starts[pos.line];
    const end = this.lineEnd(pos.line);
    return Math.min(start + Math.max(0, pos.character), end);
  }
  positionAt(offset: number): Position {
    offset = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0, hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid; else hi = mid - 1;
    }
    // an offset between the CR and LF of a line break (YAML error spans end there) maps to the end of the line
    return { line: lo, character: Math.min(offset, this.lineEnd(lo)) - this.starts[lo] };
  }
  /** Offset of the end of the line's content, before its line break. */
  lineEnd(line: number): number {
    if (line + 1 < this.starts.length) {
      let end = this.starts[line + 1] - 1;
      if (end > this.starts[line] && this.text.charCodeAt(end) === 10 && this.text.charCodeAt(end - 1) === 13) end--;
      return end;
    }
    return this.text.length;
  }
  lineText(line: number): string {
    if (line < 0 || line >= this.starts.length) return '';
    return this.text.slice(this.starts[line], this.lineEnd(line));
  }
  /** The document's dominant line break, so fixes keep CRLF files CRLF. */
  get eol(): string {
    const crlf = this.text.indexOf('\r\n');
    return crlf >= 0 ? '\r\n' : '\n';
  }
}

export function range(sl: number, sc: number, el: number, ec: number): Range {
  return { start: { line: sl, character: sc }, end: { line: el, character: ec } };
}

export function comparePos(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

/** Apply non-overlapping edits to a text. Throws when edits overlap: callers must filter first. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const idx = new LineIndex(text);
  const withOffsets = edits.map((e, i) => ({ s: idx.offsetAt(e.range.start), e: idx.offsetAt(e.range.end), t: e.newText, i }));
  withOffsets.sort((a, b) => a.s - b.s || a.e - b.e || a.i - b.i);
  let out = '';
  let cursor = 0;
  for (const e of withOffsets) {
    if (e.s < cursor) throw new Error('overlapping edits');
    out += text.slice(cursor, e.s) + e.t;
    cursor = e.e;
  }
  return out + text.slice(cursor);
}
