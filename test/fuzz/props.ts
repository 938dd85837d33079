// The fuzz properties over the engine: lintFile never throws and never reports an internal error, every finding's
// range lies inside the document, every fix's edits lie inside it and do not overlap, and applying fixes works.

import { lintFile } from '../../server/src/engine/lintFile';
import { applyFixes, safeFixesOf } from '../../server/src/core/fixes';
import { applyEdits, LineIndex } from '../../server/src/core/text';
import { INTERNAL_ERROR_RULE, type Finding, type Language, type Range, type TextEdit } from '../../server/src/core/findings';
import type { FileHost } from '../../server/src/core/fileHost';
import { memoryHost } from '../../server/src/core/fileHost';

/** A folder that does not exist: config search and fact gathering find nothing and touch no real project. */
export const FUZZ_DIR = '/nonexistent-hullcheck-fuzz/project';

/** No files at all: configuration lookups and build-context reads come back empty without touching the disk. */
export const emptyHost: FileHost = memoryHost({});

export interface FuzzCase {
  language: Language;
  /** Base name the text is linted under. */
  name: string;
  text: string;
  /** A `.dockerignore` text handed to Dockerfile rules as their build context's ignore file. */
  dockerignore?: string;
  /** What the case is, for reports (seed origin and mutations). */
  describe: string;
}

export interface EngineResult {
  ms: number;
  findings: Finding[];
  failures: string[];
}

const SEVERITIES = new Set(['error', 'warning', 'info', 'hint']);

/** Problems with a range against a document (empty when it is inside and ordered). */
export function rangeProblems(idx: LineIndex, r: Range | undefined, what: string): string[] {
  if (!r || !r.start || !r.end) return [`${what}: missing range`];
  const out: string[] = [];
  for (const [name, p] of [['start', r.start], ['end', r.end]] as const) {
    if (!Number.isInteger(p.line) || !Number.isInteger(p.character)) { out.push(`${what}: ${name} is not integral ${JSON.stringify(p)}`); continue; }
    if (p.line < 0 || p.line >= idx.lineCount) out.push(`${what}: ${name} line ${p.line} outside 0..${idx.lineCount - 1}`);
    else if (p.character < 0 || p.character > idx.lineText(p.line).length) {
      out.push(`${what}: ${name} ${p.line}:${p.character} past the line's ${idx.lineText(p.line).length} characters`);
    }
  }
  if (out.length === 0 && (r.start.line > r.end.line || (r.start.line === r.end.line && r.start.character > r.end.character))) {
    out.push(`${what}: start after end ${JSON.stringify(r)}`);
  }
  return out;
}

/** Problems with one fix's (or code action's) edits: inside the document, not overlapping, applicable. */
export function editProblems(text: string, idx: LineIndex, edits: TextEdit[], what: string): string[] {
  const out: string[] = [];
  edits.forEach((e, i) => {
    out.push(...rangeProblems(idx, e.range, `${what} edit ${i}`));
    if (typeof e.newText !== 'string') out.push(`${what} edit ${i}: newText is not a string`);
  });
  if (out.length) return out;
  const spans = edits.map((e) => ({ s: idx.offsetAt(e.range.start), e: idx.offsetAt(e.range.end) })).sort((a, b) => a.s - b.s || a.e - b.e);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i].s < spans[i - 1].e) out.push(`${what}: edits overlap at offsets ${spans[i - 1].s}-${spans[i - 1].e} and ${spans[i].s}-${spans[i].e}`);
  }
  if (out.length) return out;
  try { applyEdits(text, edits); } catch (e) { out.push(`${what}: applying threw ${(e as Error).message}`); }
  return out;
}

/** Every property of one finding list against its text. */
export function findingProblems(text: string, findings: Finding[]): string[] {
  const idx = new LineIndex(text);
  const out: string[] = [];
  for (const f of findings) {
    const what = `${f.rule} "${String(f.message).slice(0, 60)}"`;
    if (f.rule === INTERNAL_ERROR_RULE) out.push(`internal error: ${f.message}`);
    if (typeof f.message !== 'string' || !f.message.trim()) out.push(`${f.rule}: empty message`);
    if (!SEVERITIES.has(f.severity)) out.push(`${f.rule}: bad severity ${String(f.severity)}`);
    out.push(...rangeProblems(idx, f.range, what));
    for (const [i, fix] of (f.fixes ?? []).entries()) out.push(...editProblems(text, idx, fix.edits, `${what} fix ${i} (${fix.title})`));
  }
  if (out.length === 0) {
    // the fix-all path: non-overlapping selection of the safe fixes must apply cleanly
    try { applyFixes(text, safeFixesOf(findings)); } catch (e) { out.push(`fix-all threw ${(e as Error).message}`); }
  }
  return out;
}

/** Lint one case through the engine's entry point and check every property; `ms` is the lintFile time. */
export async function checkEngine(c: FuzzCase): Promise<EngineResult> {
  const file = `${FUZZ_DIR}/${c.name}`;
  const logs: string[] = [];
  const facts = c.language === 'dockerfile'
    ? { dockerignore: c.dockerignore === undefined ? null : { path: `${FUZZ_DIR}/.dockerignore`, text: c.dockerignore }, contextDir: FUZZ_DIR }
    : undefined;
  const start = performance.now();
  let findings: Finding[] = [];
  try {
    const r = await lintFile(file, c.text, { host: emptyHost, enableAll: true, language: c.language, facts, log: (m) => logs.push(m) });
    findings = r.findings;
  } catch (e) {
    const ms = performance.now() - start;
    return { ms, findings: [], failures: [`lintFile threw: ${(e as Error).stack ?? String(e)}`] };
  }
  const ms = performance.now() - start;
  const failures = findingProblems(c.text, findings);
  for (const l of logs) failures.push(`engine logged: ${l.split('\n')[0]}`);
  return { ms, findings, failures };
}
