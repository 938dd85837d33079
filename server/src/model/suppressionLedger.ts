// The exception ledger's shared vocabulary: how an inline ignore states its reason and expiry
// (`# hullcheck ignore=ID[,ID] until=YYYY-MM-DD -- reason`), the project's `suppressions:` policy, and whether an
// expiry has passed. Suppression collection, the ledger rules and `hullcheck exceptions` all read them from here.

import { parseIgnoreTail, type IgnoreTail } from '../parse/pragma';
import { isIsoDate } from '../parse/trivyignore';
import type { Range } from '../core/findings';
import { DEFAULT_POLICY, type SuppressionPolicy } from '../config/resolvedConfig';

/** One inline ignore of a Dockerfile or compose file, as the ledger rules and `hullcheck exceptions` see it. */
export interface InlineException {
  tool: 'hullcheck' | 'hadolint' | 'check';
  /** `next`: the instruction or key below; `global`: the file; `stage`: the stage the FROM below opens. */
  scope: 'next' | 'global' | 'stage';
  /** The comment line. */
  range: Range;
  ids: string[];
  /** Where the id list sits in the comment's line (character offsets), for the fix that drops unused ids. */
  list: { start: number; end: number };
  reason?: string;
  until?: string;
  /** `expired`: past its `until` day; `rejected`: the `suppressions:` policy refuses it. Neither suppresses. */
  status: 'active' | 'expired' | 'rejected';
  problem?: string;
  /** Ids that suppressed at least one finding in this lint. */
  used: Set<string>;
  /** Ids that suppress nothing, judged once every rule ran (empty when that cannot be known). */
  unused: string[];
}

/** Today (UTC) as YYYY-MM-DD; `HULLCHECK_TODAY` pins it so tests and reproducible CI runs agree. */
export function todayIso(env: NodeJS.ProcessEnv = process.env, now = new Date()): string {
  const pinned = env.HULLCHECK_TODAY?.trim();
  if (pinned && isIsoDate(pinned)) return pinned;
  return now.toISOString().slice(0, 10);
}

/** Whether an expiry date (YYYY-MM-DD) is in the past: an ignore is valid through its `until` day. */
export function isExpired(until: string | undefined, today: string): boolean {
  return until !== undefined && until < today;
}

/**
 * What the policy says of one inline ignore, or undefined when it may apply. An ignore the policy rejects does not
 * suppress anything, so the finding it hides comes back with the reason why.
 */
export function policyProblem(policy: SuppressionPolicy | undefined, tool: string, tail: { reason?: string; until?: string }): string | undefined {
  const p = policy ?? DEFAULT_POLICY;
  if (!p.allowInline) return `Inline ignores are turned off (\`suppressions: { allowInline: false }\` in .hullcheck.yaml), so this ${tool} ignore suppresses nothing; turn the rule off in \`rules:\` instead.`;
  if (p.requireReason && !tail.reason) {
    return tool === 'hullcheck'
      ? 'This ignore gives no reason, which `suppressions: { requireReason: true }` requires, so it suppresses nothing; add one after ` -- `.'
      : `This ${tool} ignore gives no reason, which \`suppressions: { requireReason: true }\` requires, so it suppresses nothing; add one as a trailing \`# comment\`.`;
  }
  if (p.requireExpiry && !tail.until) {
    return tool === 'hullcheck'
      ? 'This ignore has no expiry, which `suppressions: { requireExpiry: true }` requires, so it suppresses nothing; add `until=YYYY-MM-DD`.'
      : `This ${tool} ignore cannot carry an expiry, which \`suppressions: { requireExpiry: true }\` requires, so it suppresses nothing; use \`# hullcheck ignore=… until=YYYY-MM-DD\`.`;
  }
  return undefined;
}

/** The names of a rule that an ignore may use: its id, hadolint codes and BuildKit check names. */
export function ruleNames(meta: { id: string; hadolint?: string[]; buildkit?: string[] }): string[] {
  return [meta.id, ...(meta.hadolint ?? []), ...(meta.buildkit ?? [])];
}

/** Record that an ignore suppressed a finding of `meta`: every name of the rule that the ignore lists is used. */
export function markUsed(x: InlineException, meta: { id: string; hadolint?: string[]; buildkit?: string[] }, all = false): void {
  for (const n of ruleNames(meta)) if (x.ids.includes(n)) x.used.add(n);
  if (all) for (const n of x.ids) if (n.toLowerCase() === 'all') x.used.add(n);
}

/**
 * Fill each active ignore's `unused` names once every other rule has run. A name is judged only when every rule
 * answering to it ran to completion on the file (`ran`); names of rules that are off, unknown names (pragma-invalid
 * reports those), ShellCheck codes (checked separately) and BuildKit's `all` are never called unused.
 */
export function judgeUnused(entries: readonly InlineException[], rules: readonly { id: string; hadolint?: string[]; buildkit?: string[] }[], ran: ReadonlySet<string>): void {
  const byName = new Map<string, string[]>();
  for (const r of rules) for (const n of ruleNames(r)) byName.set(n, [...(byName.get(n) ?? []), r.id]);
  for (const x of entries) {
    if (x.status !== 'active') continue;
    x.unused = x.ids.filter((n) => {
      if (x.used.has(n) || n.toLowerCase() === 'all' || /^SC\d+$/i.test(n)) return false;
      const owners = byName.get(n);
      return owners !== undefined && owners.every((id) => ran.has(id));
    });
  }
}

/** The reason a trailing `# comment` gives, without its `#`. */
function commentReason(comment: string | undefined): string | undefined {
  const t = comment?.replace(/^#+/, '').trim();
  return t ? t : undefined;
}

export interface PragmaParts {
  tool: 'hullcheck' | 'hadolint';
  scope: InlineException['scope'];
  range: Range;
  /** The value after `=` as written (up to a `#` comment or the line end) and where it starts in the line. */
  value: string;
  valueStart: number;
  comment?: string;
}

/**
 * The ledger entry of one ignore pragma: its ids, reason and expiry, and whether it may suppress (an expired one,
 * a malformed `until=` or one the `suppressions:` policy refuses does not). `problem` goes to pragma-invalid.
 */
export function inlineException(p: PragmaParts, policy: SuppressionPolicy | undefined, today: string): InlineException {
  const tail = p.tool === 'hullcheck' ? parseIgnoreTail(p.value) : plainTail(p.value);
  const reason = tail.reason ?? commentReason(p.comment);
  const x: InlineException = {
    tool: p.tool, scope: p.scope, range: p.range, ids: tail.list.split(',').map((s) => s.trim()).filter(Boolean),
    list: { start: p.valueStart + tail.listStart, end: p.valueStart + tail.listEnd }, reason, until: tail.until,
    status: 'active', used: new Set(), unused: [],
  };
  const problem = tail.problem ?? policyProblem(policy, p.tool, { reason, until: tail.until });
  if (problem) { x.status = 'rejected'; x.problem = problem; } else if (isExpired(tail.until, today)) x.status = 'expired';
  return x;
}

/** A hadolint list has no `until=` or `--`: all of it is the list. */
function plainTail(value: string): IgnoreTail {
  const listStart = value.length - value.trimStart().length;
  return { list: value.trim(), listStart, listEnd: value.trimEnd().length };
}

/** The ledger entry of BuildKit's `# check=skip=LIST` (always active: BuildKit reads it, and it has no reason or expiry). */
export function checkSkipException(lineText: string, range: Range): InlineException | undefined {
  const eq = lineText.indexOf('=');
  const lower = lineText.toLowerCase();
  let at = lower.indexOf('skip', eq + 1);
  while (at >= 0 && lineText.slice(eq + 1, at).trim() !== '' && !lineText.slice(eq + 1, at).trimEnd().endsWith(';')) at = lower.indexOf('skip', at + 4);
  if (at < 0) return undefined;
  const skipEq = lineText.indexOf('=', at);
  if (skipEq < 0 || lineText.slice(at + 4, skipEq).trim() !== '') return undefined;
  const semi = lineText.indexOf(';', skipEq);
  const end = semi < 0 ? lineText.length : semi;
  const raw = lineText.slice(skipEq + 1, end);
  const start = skipEq + 1 + (raw.length - raw.trimStart().length);
  const ids = raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (ids.length === 0) return undefined;
  return {
    tool: 'check', scope: 'global', range, ids, list: { start, end: skipEq + 1 + raw.trimEnd().length },
    status: 'active', used: new Set(), unused: [],
  };
}
