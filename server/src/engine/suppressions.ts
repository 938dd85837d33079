// Inline suppressions for Dockerfiles: `# hullcheck ignore=`, `# hullcheck global ignore=`,
// `# hadolint ignore=` (mapped through each rule's `hadolint` codes) and BuildKit's `# check=skip=`.

import type { ParsedDockerfile } from '../parse/dockerfile';
import { isBlank } from '../core/strings';
import { parsePragma } from '../parse/pragma';
import type { Finding, Range } from '../core/findings';
import type { RuleMeta } from '../core/ruleMeta';
import type { SuppressionPolicy } from '../config/resolvedConfig';
import { checkSkipException, inlineException, markUsed, todayIso, type InlineException } from '../model/suppressionLedger';
import { buildkitChecks, skippedAt, skippedByFile, type BuildkitChecks } from '../parse/checkDirectives';

export interface Suppressions {
  /** Ids (rule ids, DL codes or BuildKit check names) ignored in the whole file. */
  global: Set<string>;
  /** Instruction start line -> ids ignored for that instruction. */
  byInstruction: Map<number, Set<string>>;
  /** True when `# check=skip=all`. */
  skipAllBuildkit: boolean;
  /** Stage index -> ids ignored in the whole stage (`# hadolint stage ignore=` before its FROM). */
  byStage?: Map<number, Set<string>>;
  /** Pragmas that could not be honoured (or name unknown codes), for `pragma-invalid` findings. */
  problems?: { range: Range; message: string }[];
  /** `# hadolint shell=NAME` / `# hullcheck shell=NAME` pragmas, by line: the shell of the RUNs below. */
  shells?: { line: number; shell: string }[];
  /** BuildKit's check options: the file's directive and each instruction's own `# check=` comment. */
  buildkit?: BuildkitChecks;
  /** Every ignore as a ledger entry (also those that do not apply: expired or refused by the policy). */
  entries?: InlineException[];
  /** The entries that apply, by where they apply, so a suppressed finding marks the ignores it used. */
  applied?: { global: InlineException[]; byInstruction: Map<number, InlineException[]>; byStage: Map<number, InlineException[]> };
}

export interface SuppressionOptions {
  /** Whether a rule id or code names something this engine knows (unknown names are reported, still applied). */
  known?: (name: string) => boolean;
  /** `.hadolint.yaml` `disable-ignore-pragma: true`: `# hadolint ignore=` comments are not honoured. */
  disableHadolintIgnore?: boolean;
  /** `.hullcheck.yaml` `suppressions:`: what an inline ignore must state to apply. */
  policy?: SuppressionPolicy;
  /** Today as YYYY-MM-DD, for `until=` (default: the real date). */
  today?: string;
}

export const PRAGMA_INVALID_RULE = 'pragma-invalid';

/** hadolint accepts only these characters in a rule name, and drops the whole pragma otherwise. */
const HADOLINT_NAME = /^[DLSC0-9]+$/;
const HULLCHECK_NAME = /^[A-Za-z0-9_-]+$/;

/** Values Go's strconv.ParseBool accepts, which BuildKit uses for `error=`. */
const GO_BOOL = new Set(['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False']);

/** What BuildKit rejects in a `# check=` directive (it stops the build on it), or undefined when it is accepted. */
export function checkDirectiveProblem(value: string): string | undefined {
  if (value.trim() === '') return undefined;
  for (const part of value.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) {
      return part.trim() === ''
        ? 'This check directive has an empty option (a stray `;`), which BuildKit rejects; remove it.'
        : `\`${part.trim()}\` is not a \`key=value\` check option, which BuildKit rejects; write \`skip=…\`, \`error=…\` or \`experimental=…\`, separated by \`;\`.`;
    }
    const key = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if (key !== 'skip' && key !== 'error' && key !== 'experimental') {
      return `BuildKit does not know the check option \`${key}\` and rejects the directive; use \`skip\`, \`error\` or \`experimental\`.`;
    }
    if (key === 'error' && !GO_BOOL.has(v)) return `\`error=${v}\` is neither true nor false, which BuildKit rejects; write \`error=true\` or \`error=false\`.`;
  }
  return undefined;
}

export function collectSuppressions(parsed: ParsedDockerfile, opts: SuppressionOptions = {}): Suppressions {
  const global = new Set<string>();
  const byInstruction = new Map<number, Set<string>>();
  const byStage = new Map<number, Set<string>>();
  const problems: { range: Range; message: string }[] = [];
  const shells: { line: number; shell: string }[] = [];
  const entries: InlineException[] = [];
  const applied = { global: [] as InlineException[], byInstruction: new Map<number, InlineException[]>(), byStage: new Map<number, InlineException[]>() };
  const today = opts.today ?? todayIso();
  const { index } = parsed;

  // BuildKit's check directive: only a true parser directive (leading lines, before any other comment) is
  // file-wide; a `# check=` comment elsewhere belongs to the instruction below it (buildkitChecks)
  const buildkit = buildkitChecks(parsed);
  let first = true;
  for (const d of parsed.ast.getDirectives()) {
    if (d.getName().toLowerCase() !== 'check') continue;
    const line = d.getRange().start.line;
    // the directive BuildKit honours (the first) is a ledger entry: its skip list may suppress nothing
    if (first && buildkit.file) {
      const raw = index.lineText(line);
      const skip = checkSkipException(raw, { start: { line, character: raw.length - raw.trimStart().length }, end: { line, character: raw.trimEnd().length } });
      if (skip) { entries.push(skip); applied.global.push(skip); }
    }
    first = false;
    const problem = checkDirectiveProblem(d.getValue());
    if (problem) {
      const raw = index.lineText(line);
      const indent = raw.length - raw.trimStart().length;
      problems.push({ range: { start: { line, character: indent }, end: { line, character: raw.trimEnd().length } }, message: problem });
    }
  }
  for (const name of buildkit.file?.skip ?? []) if (name) global.add(name);
  // an instruction's own `# check=skip=` is a ledger entry for that instruction
  for (const [instrLine, o] of buildkit.byInstruction) {
    if (o.commentLine === undefined || (!o.skipAll && o.skip.length === 0)) continue;
    const raw = index.lineText(o.commentLine);
    const range: Range = { start: { line: o.commentLine, character: raw.length - raw.trimStart().length }, end: { line: o.commentLine, character: raw.trimEnd().length } };
    const skip = checkSkipException(raw, range);
    if (!skip) continue;
    skip.scope = 'next';
    entries.push(skip);
    applied.byInstruction.set(instrLine, [...(applied.byInstruction.get(instrLine) ?? []), skip]);
  }
  const skipAllBuildkit = !!buildkit.file?.skipAll;

  // pragmas waiting for the next line that is neither blank nor a comment (one pass, however many there are)
  let pending: { line: number; scope?: string; list: string[]; entry: InlineException }[] = [];
  for (let line = 0; line < index.lineCount; line++) {
    const text = index.lineText(line).trim();
    if (!text.startsWith('#')) {
      if (text !== '' && pending.length) { applyPending(pending, line); pending = []; }
      continue;
    }
    const p = parsePragma(text);
    if (!p) continue;
    const tool = p.tool;
    const indent = index.lineText(line).length - index.lineText(line).trimStart().length;
    const range: Range = { start: { line, character: indent }, end: { line, character: indent + text.length } };
    if (p.key === 'shell') {
      const shell = p.value;
      if (!shell || [...shell].some(isBlank) || p.scope) problems.push({ range, message: `This ${tool} shell pragma is not understood; write \`# ${tool} shell=NAME\` (for example powershell).` });
      else shells.push({ line, shell });
      continue;
    }
    // the ledger entry reads the list, `until=` and `-- reason` (hullcheck) or the trailing comment (hadolint)
    const entry = inlineException({
      tool, scope: p.scope ?? 'next', range, value: text.slice(p.valueStart, p.valueEnd), valueStart: indent + p.valueStart, comment: p.comment,
    }, opts.policy, today);
    const list = entry.ids;
    if (list.length === 0) { problems.push({ range, message: `This ${tool} ignore pragma names no rule; list the rules after \`ignore=\`, separated by commas.` }); continue; }
    const bad = list.filter((x) => !(tool === 'hadolint' ? HADOLINT_NAME : HULLCHECK_NAME).test(x));
    if (bad.length) {
      // as hadolint does, a malformed list suppresses nothing
      problems.push({ range, message: `\`${bad[0]}\` is not a ${tool === 'hadolint' ? 'rule code such as DL3008 or SC2086' : 'rule id or code'}, so this pragma suppresses nothing.` });
      continue;
    }
    if (tool === 'hadolint' && opts.disableHadolintIgnore) continue;
    const unknown = opts.known ? list.filter((x) => !/^SC\d+$/i.test(x) && !opts.known!(x)) : [];
    if (unknown.length) problems.push({ range, message: `No rule answers to ${unknown.map((u) => `\`${u}\``).join(', ')}; check the spelling of this ${tool} pragma.` });
    entries.push(entry);
    if (entry.problem) problems.push({ range, message: entry.problem });
    // an expired ignore, or one the policy refuses, suppresses nothing
    if (entry.status !== 'active') continue;
    if (p.scope === 'global') { list.forEach((x) => global.add(x)); applied.global.push(entry); continue; }
    // applies to the next instruction, skipping further comment lines
    pending.push({ line, scope: p.scope, list, entry });
  }

  function applyPending(items: typeof pending, next: number): void {
    const instr = parsed.instructionAt(next);
    if (!instr) return;
    for (const { scope, list, entry } of items) {
      if (scope === 'stage') {
        // only meaningful right before a FROM: the whole stage it opens
        if (instr.keyword !== 'FROM' || !instr.stage) continue;
        const stageSet = byStage.get(instr.stage.index) ?? new Set<string>();
        list.forEach((x) => stageSet.add(x));
        byStage.set(instr.stage.index, stageSet);
        applied.byStage.set(instr.stage.index, [...(applied.byStage.get(instr.stage.index) ?? []), entry]);
        continue;
      }
      const key = instr.range.start.line;
      const set = byInstruction.get(key) ?? new Set<string>();
      list.forEach((x) => set.add(x));
      byInstruction.set(key, set);
      applied.byInstruction.set(key, [...(applied.byInstruction.get(key) ?? []), entry]);
    }
  }
  return { global, byInstruction, skipAllBuildkit, byStage, problems, shells, buildkit, entries, applied };
}

function matches(set: Set<string> | undefined, meta: RuleMeta): boolean {
  if (!set || set.size === 0) return false;
  if (set.has(meta.id)) return true;
  if (meta.hadolint?.some((c) => set.has(c))) return true;
  if (meta.buildkit?.some((c) => set.has(c))) return true;
  return false;
}

export function isSuppressed(s: Suppressions, parsed: ParsedDockerfile, finding: Finding, meta: RuleMeta): boolean {
  const instr = parsed.instructionAt(finding.range.start.line);
  const skipAll = s.buildkit ? skippedByFile(s.buildkit, meta) : s.skipAllBuildkit && !!meta.buildkit?.length;
  const suppressed = matches(s.global, meta) || skipAll || (instr !== undefined && (skippedAt(s.buildkit, instr.range.start.line, meta) ||
    (instr.stage !== undefined && matches(s.byStage?.get(instr.stage.index), meta)) || matches(s.byInstruction.get(instr.range.start.line), meta)));
  if (suppressed && s.applied) {
    // every ignore that covers the finding counts as used, so none of them is later called unused
    for (const x of s.applied.global) markUsed(x, meta, skipAll && x.tool === 'check');
    if (instr?.stage) for (const x of s.applied.byStage.get(instr.stage.index) ?? []) markUsed(x, meta);
    const own = instr !== undefined && skippedAt(s.buildkit, instr.range.start.line, meta);
    if (instr) for (const x of s.applied.byInstruction.get(instr.range.start.line) ?? []) markUsed(x, meta, own && x.tool === 'check');
  }
  return suppressed;
}
