// Text for a terminal: control characters that come from files, images, reports or engine answers are printed
// escaped (`\x1b`, `\u202e`), so they cannot move the cursor, recolour or retitle the terminal, or reorder text.
// JSON and SARIF need nothing of this: JSON escapes control characters already.

/** C0 controls but tab, DEL, C1 controls, line/paragraph separators and bidirectional overrides. */
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The same with line feeds allowed, for text that is printed as several lines. */
const CONTROL_BUT_NEWLINE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escape(ch: string): string {
  if (ch === '\n') return '\\n';
  if (ch === '\r') return '\\r';
  const code = ch.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `s` with control characters escaped; tabs stay, and line feeds too with `newlines`. */
export function printable(s: string, newlines = false): string {
  return s.replace(newlines ? CONTROL_BUT_NEWLINE : CONTROL, escape);
}
