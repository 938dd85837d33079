// The label schema from `.hadolint.yaml` (`label-schema: {name: type}`): reading LABEL pairs and checking
// values against the schema's types (text, url, rfc3339, spdx, hash, semver, email).

import type { Instr } from '../parse/dockerfile';
import type { Range } from '../core/findings';

export interface LabelPair { name: string; value: string; nameRange: Range; valueRange: Range | null }

interface Prop { getName(): string; getValue(): string | null; getNameRange(): Range; getValueRange(): Range | null }

/** The key=value pairs of a LABEL instruction, values unquoted. */
export function labelPairs(instr: Instr): LabelPair[] {
  const node = instr.node as unknown as { getProperties?: () => Prop[] };
  return (node.getProperties?.() ?? []).map((p) => ({ name: p.getName(), value: p.getValue() ?? '', nameRange: p.getNameRange(), valueRange: p.getValueRange() }));
}

const URL = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s/?#]\S*$/;
const RFC3339 = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt ]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$/;
const GIT_HASH = /^([0-9a-f]{7,40}|[0-9a-f]{64})$/;
const SEMVER = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;
const EMAIL = /^[^\s@<>()]+@[^\s@<>()]+\.[^\s@<>()]+$/;
const SPDX_TOKEN = /\(|\)|[^\s()]+/g;

/** Common SPDX license identifiers; `LicenseRef-*` and `DocumentRef-*` are also accepted. */
const SPDX_IDS = new Set([
  '0BSD', 'AFL-3.0', 'AGPL-3.0', 'AGPL-3.0-only', 'AGPL-3.0-or-later', 'Apache-1.1', 'Apache-2.0', 'APSL-2.0',
  'Artistic-1.0', 'Artistic-2.0', 'BlueOak-1.0.0', 'BSD-1-Clause', 'BSD-2-Clause', 'BSD-2-Clause-Patent', 'BSD-3-Clause',
  'BSD-3-Clause-Clear', 'BSD-4-Clause', 'BSL-1.0', 'BUSL-1.1', 'CC-BY-3.0', 'CC-BY-4.0', 'CC-BY-SA-3.0', 'CC-BY-SA-4.0',
  'CC-BY-NC-4.0', 'CC-BY-ND-4.0', 'CC0-1.0', 'CDDL-1.0', 'CDDL-1.1', 'CECILL-2.1', 'CPAL-1.0', 'CPL-1.0', 'ECL-2.0',
  'EFL-2.0', 'Elastic-2.0', 'EPL-1.0', 'EPL-2.0', 'EUPL-1.1', 'EUPL-1.2', 'FTL', 'GFDL-1.3', 'GFDL-1.3-only',
  'GFDL-1.3-or-later', 'GPL-2.0', 'GPL-2.0-only', 'GPL-2.0-or-later', 'GPL-3.0', 'GPL-3.0-only', 'GPL-3.0-or-later',
  'HPND', 'ICU', 'IJG', 'ISC', 'LGPL-2.0', 'LGPL-2.0-only', 'LGPL-2.0-or-later', 'LGPL-2.1', 'LGPL-2.1-only',
  'LGPL-2.1-or-later', 'LGPL-3.0', 'LGPL-3.0-only', 'LGPL-3.0-or-later', 'Libpng', 'LPPL-1.3c', 'MIT', 'MIT-0',
  'MPL-1.1', 'MPL-2.0', 'MPL-2.0-no-copyleft-exception', 'MS-PL', 'MS-RL', 'MulanPSL-2.0', 'NCSA', 'ODbL-1.0',
  'OFL-1.1', 'OpenSSL', 'OSL-3.0', 'PHP-3.01', 'PostgreSQL', 'PSF-2.0', 'Python-2.0', 'Ruby', 'SSPL-1.0',
  'Unicode-3.0', 'Unicode-DFS-2016', 'Unlicense', 'UPL-1.0', 'Vim', 'W3C', 'WTFPL', 'X11', 'Zlib', 'ZPL-2.1',
]);
const SPDX_LOWER = new Set([...SPDX_IDS].map((s) => s.toLowerCase()));

/** A small SPDX license expression check: known ids (or LicenseRef-…), AND/OR/WITH and parentheses. */
export function isSpdx(value: string): boolean {
  const tokens = value.match(SPDX_TOKEN) ?? [];
  if (tokens.length === 0) return false;
  let expectId = true;
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t === '(') { if (!expectId) return false; depth++; continue; }
    if (t === ')') { if (expectId || depth === 0) return false; depth--; continue; }
    if (expectId) {
      const id = t.endsWith('+') ? t.slice(0, -1) : t;
      if (!SPDX_LOWER.has(id.toLowerCase()) && !/^(LicenseRef|DocumentRef)-[A-Za-z0-9.:-]+$/.test(id)) return false;
      expectId = false;
      continue;
    }
    const op = t.toUpperCase();
    if (op === 'WITH') { i++; if (i >= tokens.length) return false; continue; }
    if (op !== 'AND' && op !== 'OR') return false;
    expectId = true;
  }
  return !expectId && depth === 0;
}

export type LabelType = 'text' | 'url' | 'rfc3339' | 'spdx' | 'hash' | 'semver' | 'email';

/** Whether a non-empty value fits a schema type; unknown types accept anything. */
export function fitsType(type: string, value: string): boolean {
  switch (type.toLowerCase()) {
    case 'url': return URL.test(value);
    case 'rfc3339': return RFC3339.test(value);
    case 'spdx': return isSpdx(value);
    case 'hash': return GIT_HASH.test(value);
    case 'semver': return SEMVER.test(value);
    case 'email': return EMAIL.test(value);
    default: return true;
  }
}

export const TYPE_NAMES: Record<string, string> = {
  url: 'a URL', rfc3339: 'an RFC 3339 timestamp', spdx: 'an SPDX license expression', hash: 'a git commit hash',
  semver: 'a semantic version', email: 'an email address',
};
