// Inline suppressions for compose files: `# hullcheck ignore=<id>[,<id>]` on the line above a key silences the
// findings that start on that key's line or inside its value; `# hullcheck global ignore=<id>` the whole file.

import type { ParsedCompose } from '../parse/compose';
import type { Finding, RuleMeta } from './types';

export interface ComposeSuppressions {
  global: Set<string>;
  /** Line spans [first, last] (0-based, inclusive) with the ids ignored there. */
  spans: { first: number; last: number; ids: Set<string> }[];
}

const PRAGMA = /^#\s*hullcheck\s+(global\s+)?ignore\s*=\s*([A-Za-z0-9_,\-\s]+?)\s*$/i;

export function collectComposeSuppressions(parsed: ParsedCompose): ComposeSuppressions {
  const global = new Set<string>();
  const spans: ComposeSuppressions['spans'] = [];
  const { index } = parsed;
  for (let line = 0; line < index.lineCount; line++) {
    const text = index.lineText(line).trim();
    if (!text.startsWith('#')) continue;
    const m = PRAGMA.exec(text);
    if (!m) continue;
    const ids = new Set(m[2].split(',').map((s) => s.trim()).filter(Boolean));
    if (m[1]) { ids.forEach((x) => global.add(x)); continue; }
    // the key it applies to is on the next line that is neither blank nor a comment
    let next = line + 1;
    while (next < index.lineCount && /^\s*(#.*)?$/.test(index.lineText(next))) next++;
    const end = parsed.keyExtents.get(next);
    if (end === undefined) continue;
    spans.push({ first: next, last: Math.max(next, index.positionAt(end).line), ids });
  }
  return { global, spans };
}

function matches(ids: Set<string>, meta: RuleMeta): boolean {
  return ids.has(meta.id);
}

export function isComposeSuppressed(s: ComposeSuppressions, finding: Finding, meta: RuleMeta): boolean {
  if (matches(s.global, meta)) return true;
  const line = finding.range.start.line;
  return s.spans.some((sp) => line >= sp.first && line <= sp.last && matches(sp.ids, meta));
}
