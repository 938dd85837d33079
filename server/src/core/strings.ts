// String helpers that replace end-anchored regular expressions such as /\/+$/: searched from every start position,
// those cost quadratic time on a long run of the character that does not reach the end.

/** The characters JavaScript's `\s` and `trim()` treat as white space. */
export function isBlank(ch: string): boolean {
  return ch !== '' && ch.trim() === '';
}

/** `s` without the run of characters from `chars` at its end (one character or several: `'.-'`). */
export function trimTrailing(s: string, chars: string): string {
  let end = s.length;
  while (end > 0 && chars.includes(s[end - 1])) end--;
  return end === s.length ? s : s.slice(0, end);
}

/** `s` without the run of characters from `chars` at its start. */
export function trimLeading(s: string, chars: string): string {
  let start = 0;
  while (start < s.length && chars.includes(s[start])) start++;
  return start === 0 ? s : s.slice(start);
}

const NAME_START = /^[A-Za-z_]$/;
const NAME_CHAR = /^[A-Za-z0-9_]$/;

/**
 * Replace each `${…}` (up to the first `}`) and, with `names`, each `$NAME`: what /\$\{[^}]*\}|\$[A-Za-z_]\w*\/g
 * does, without rescanning to the end of the text from every `${` that is never closed.
 */
export function replaceVariables(s: string, replacement: string, names = false): string {
  let out = '', pos = 0, unclosed = false;
  for (let i = s.indexOf('$'); i >= 0; i = s.indexOf('$', i + 1)) {
    if (i < pos) continue;
    if (s[i + 1] === '{' && !unclosed) {
      const close = s.indexOf('}', i + 2);
      if (close >= 0) { out += s.slice(pos, i) + replacement; pos = close + 1; continue; }
      unclosed = true; // no `}` further on: no later `${` closes either
    }
    if (names && NAME_START.test(s[i + 1] ?? '')) {
      let j = i + 2;
      while (j < s.length && NAME_CHAR.test(s[j])) j++;
      out += s.slice(pos, i) + replacement;
      pos = j;
    }
  }
  return out + s.slice(pos);
}
