// String helpers that replace end-anchored regular expressions such as /\/+$/: searched from every start position,
// those cost quadratic time on a long run of the character that does not reach the end.

/** The characters JavaScript's `\s` and `trim()` treat as white space. */
export function isBlank(ch: string): boolean {
  return ch !== '' && ch.trim() === '';
}

/** `s` without the run of `ch` at its end. */
export function trimTrailing(s: string, ch: string): string {
  let end = s.length;
  while (end > 0 && s[end - 1] === ch) end--;
  return end === s.length ? s : s.slice(0, end);
}
