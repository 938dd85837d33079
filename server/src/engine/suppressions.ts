// Inline suppressions for Dockerfiles: `# hullcheck ignore=`, `# hullcheck global ignore=`,
// `# hadolint ignore=` (mapped through each rule's `hadolint` codes) and BuildKit's `# check=skip=`.

import type { ParsedDockerfile } from '../parse/dockerfile';
import type { Finding, RuleMeta } from './types';

export interface Suppressions {
  /** Ids (rule ids, DL codes or BuildKit check names) ignored in the whole file. */
  global: Set<string>;
  /** Instruction start line -> ids ignored for that instruction. */
  byInstruction: Map<number, Set<string>>;
  /** True when `# check=skip=all`. */
  skipAllBuildkit: boolean;
  /** Stage index -> ids ignored in the whole stage (`# hadolint stage ignore=` before its FROM). */
  byStage?: Map<number, Set<string>>;
}

const PRAGMA = /^#\s*(hullcheck|hadolint)\s+(global\s+|stage\s+)?ignore\s*=\s*([A-Za-z0-9_,\-\s]+?)\s*$/i;

function ids(list: string): string[] {
  return list.split(',').map((s) => s.trim()).filter(Boolean);
}

export function collectSuppressions(parsed: ParsedDockerfile): Suppressions {
  const global = new Set<string>();
  const byInstruction = new Map<number, Set<string>>();
  const byStage = new Map<number, Set<string>>();
  let skipAllBuildkit = false;
  const { index } = parsed;

  // BuildKit's check directive lives among the leading comment lines.
  for (let line = 0; line < index.lineCount; line++) {
    const t = index.lineText(line).replace(/^\uFEFF/, '').trim();
    if (!t.startsWith('#')) break;
    const m = /^#\s*check\s*=\s*(.*)$/i.exec(t);
    if (!m) continue;
    for (const part of m[1].split(';')) {
      const kv = /^\s*skip\s*=\s*(.*)$/i.exec(part);
      if (!kv) continue;
      for (const name of ids(kv[1])) {
        if (name.toLowerCase() === 'all') skipAllBuildkit = true;
        else global.add(name);
      }
    }
  }

  for (let line = 0; line < index.lineCount; line++) {
    const text = index.lineText(line).trim();
    if (!text.startsWith('#')) continue;
    const m = PRAGMA.exec(text);
    if (!m) continue;
    const list = ids(m[3]);
    const scope = m[2]?.trim().toLowerCase();
    if (scope === 'global') { list.forEach((x) => global.add(x)); continue; }
    // applies to the next instruction, skipping further comment lines
    let next = line + 1;
    while (next < index.lineCount && /^\s*(#.*)?$/.test(index.lineText(next))) next++;
    const instr = parsed.instructionAt(next);
    if (!instr) continue;
    if (scope === 'stage') {
      // only meaningful right before a FROM: the whole stage it opens
      if (instr.keyword !== 'FROM' || !instr.stage) continue;
      const stageSet = byStage.get(instr.stage.index) ?? new Set<string>();
      list.forEach((x) => stageSet.add(x));
      byStage.set(instr.stage.index, stageSet);
      continue;
    }
    const key = instr.range.start.line;
    const set = byInstruction.get(key) ?? new Set<string>();
    list.forEach((x) => set.add(x));
    byInstruction.set(key, set);
  }
  return { global, byInstruction, skipAllBuildkit, byStage };
}

function matches(set: Set<string> | undefined, meta: RuleMeta): boolean {
  if (!set || set.size === 0) return false;
  if (set.has(meta.id)) return true;
  if (meta.hadolint?.some((c) => set.has(c))) return true;
  if (meta.buildkit?.some((c) => set.has(c))) return true;
  return false;
}

export function isSuppressed(s: Suppressions, parsed: ParsedDockerfile, finding: Finding, meta: RuleMeta): boolean {
  if (matches(s.global, meta)) return true;
  if (s.skipAllBuildkit && meta.buildkit && meta.buildkit.length > 0) return true;
  const instr = parsed.instructionAt(finding.range.start.line);
  if (!instr) return false;
  if (instr.stage && matches(s.byStage?.get(instr.stage.index), meta)) return true;
  return matches(s.byInstruction.get(instr.range.start.line), meta);
}
