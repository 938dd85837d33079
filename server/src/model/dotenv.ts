// Compose's `.env` and `env_file` format: `KEY=VALUE` lines, optional `export`, `#` comments, single quotes taken
// literally, double quotes with escapes, and `${VAR}` references to variables defined earlier or in the environment.

import { interpolate } from './composeValues';

const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*(?:[=:]\s*(.*))?$/;

function doubleQuoted(body: string): string {
  return body.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : c));
}

/**
 * The variables of a dotenv text, in order. `base` supplies values that `${VAR}` may refer to (the process
 * environment); a later line can use an earlier one. A name without `=` has no value here and is left out.
 */
export function parseDotenv(text: string, base: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  const scope: Record<string, string> = { ...base };
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^\s*(#|$)/.test(line)) continue;
    const m = LINE.exec(line);
    if (!m || m[2] === undefined) continue;
    let raw = m[2];
    let value: string;
    const q = raw[0];
    if (q === "'" || q === '"') {
      // a quoted value may span lines until its closing quote
      let body = raw.slice(1);
      let close = findClose(body, q);
      while (close < 0 && i + 1 < lines.length) { body += `\n${lines[++i]}`; close = findClose(body, q); }
      raw = close < 0 ? body : body.slice(0, close);
      value = q === "'" ? raw : interpolate(doubleQuoted(raw), scope).value;
    } else {
      // an unquoted value ends at ` #` (a comment)
      const hash = raw.search(/\s#/);
      value = interpolate((hash < 0 ? raw : raw.slice(0, hash)).trim(), scope).value;
    }
    out[m[1]] = value;
    scope[m[1]] = value;
  }
  return out;
}

function findClose(body: string, q: string): number {
  for (let i = 0; i < body.length; i++) {
    if (q === '"' && body[i] === '\\') { i++; continue; }
    if (body[i] === q) return i;
  }
  return -1;
}
