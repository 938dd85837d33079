// `hullcheck exceptions [PATH...]`: every exception of the project in one table: inline ignores (with their
// reason, expiry and whether they still suppress anything), rules turned off in .hullcheck.yaml or .hadolint.yaml,
// baseline entries and .trivyignore entries.

import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import { discover } from '../facts/discoverFiles';
import { reportPath } from '../core/reportPath';
import { BASELINE_FILE } from '../core/findingBaseline';
import { readBaseline } from './baselineCommand';
import { CONFIG_NAMES } from '../config/hullcheckConfig';
import { parseHadolintConfig } from '../config/hadolintConfig';
import { lintFile } from '../engine/lintFile';
import { isExpired } from '../model/suppressionLedger';
import { nodeHost, readKindOf } from '../core/fileHost';
import { parseTrivyignore } from '../parse/trivyignore';
import { todayIso } from '../facts/trivyignoreFacts';

type Out = { stdout: (s: string) => void; stderr: (s: string) => void };

export type ExceptionKind = 'inline' | 'config' | 'baseline' | 'trivyignore';
export type ExceptionStatus = 'active' | 'expired' | 'unused' | 'rejected';

export interface ExceptionRow {
  kind: ExceptionKind;
  /** The file that holds the exception, relative to the working folder. */
  file: string;
  /** 1-based line, when the exception has one. */
  line?: number;
  /** Rule ids, DL codes, check names or vulnerability ids it covers. */
  ids: string[];
  /** Where it applies: the next instruction or key, the whole file, a stage, the project, one finding. */
  scope: string;
  reason?: string;
  expires?: string;
  status: ExceptionStatus;
  /** Why the status is what it is (a rejected ignore's policy problem, the ids that suppress nothing). */
  note?: string;
}

export class ExceptionsUsageError extends Error {}

/** A `.hullcheck.yaml`'s rules turned off: each with the comment on its line (or above it) as the reason. */
export function configOffs(file: string, text: string): ExceptionRow[] {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: false, logLevel: 'silent' });
  if (doc.errors.length || !isMap(doc.contents)) return [];
  const rules = doc.contents.get('rules', true);
  if (!isMap(rules)) return [];
  const rows: ExceptionRow[] = [];
  for (const pair of rules.items) {
    if (!isScalar(pair.key)) continue;
    const value = pair.value;
    const sev = isScalar(value) ? value.value : isMap(value) ? (value.get('severity', true) as { value?: unknown } | undefined)?.value : undefined;
    if (sev !== 'off' && sev !== false) continue;
    const reason = (value as { comment?: string } | null)?.comment ?? pair.key.commentBefore ?? undefined;
    rows.push({
      kind: 'config', file, line: pair.key.range ? lc.linePos(pair.key.range[0]).line : undefined, ids: [String(pair.key.value)],
      scope: 'project', reason: reason?.trim() || undefined, status: 'active',
    });
  }
  return rows;
}

/** `.hadolint.yaml` `ignored:` codes. */
function hadolintOffs(file: string, text: string): ExceptionRow[] {
  const { hadolint } = parseHadolintConfig(file, text);
  return hadolint.ignored.length ? [{ kind: 'config', file, ids: [...hadolint.ignored], scope: 'project', status: 'active' }] : [];
}

function trivyRows(file: string, text: string, today: string): ExceptionRow[] {
  return parseTrivyignore(text).entries.map((e) => {
    const expires = e.expires?.valid ? e.expires.value : undefined;
    return {
      kind: 'trivyignore' as const, file, line: e.range.start.line + 1, ids: [e.id],
      scope: e.paths.length ? e.paths.join(', ') : e.section ?? 'every scan', reason: e.reason, expires,
      status: isExpired(expires, today) ? 'expired' as const : 'active' as const,
    };
  });
}

export async function exceptionsCommand(
  paths: string[], flags: { format?: string; baseline?: string; config?: string; 'no-shellcheck'?: boolean }, out: Out,
): Promise<number> {
  const format = flags.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new ExceptionsUsageError(`--format must be text or json for exceptions, got '${format}'`);
  const today = todayIso();
  const rows: ExceptionRow[] = [];
  let ioError = false;
  const { files, languages, errors } = await discover(paths.length ? paths : ['.'], { explicitConfig: flags.config });
  for (const e of errors) { out.stderr(`hullcheck: ${e.path}: ${e.message}\n`); ioError = true; }
  const configFiles = new Set<string>();
  for (const file of files) {
    const language = languages.get(file);
    const read = await nodeHost.read(file, readKindOf(language));
    if (!read.ok) { out.stderr(`hullcheck: ${file}: ${read.message}\n`); ioError = true; continue; }
    const text = read.text;
    if (language === 'trivyignore') { rows.push(...trivyRows(reportPath(file), text, today)); continue; }
    if (language !== 'dockerfile' && language !== 'compose') continue;
    const r = await lintFile(file, text, { host: nodeHost, explicitConfig: flags.config, language });
    r.configFiles.forEach((f) => configFiles.add(f));
    for (const x of r.exceptions ?? []) {
      rows.push({
        kind: 'inline', file: reportPath(file), line: x.range.start.line + 1, ids: x.ids,
        scope: x.scope === 'next' ? (language === 'compose' ? 'next key' : 'next instruction') : x.scope === 'global' ? 'file' : 'stage',
        reason: x.reason, expires: x.until, status: x.status === 'active' && x.unused.length ? 'unused' : x.status,
        note: x.status === 'rejected' ? x.problem : x.unused.length ? `suppresses nothing: ${x.unused.join(', ')}` : undefined,
      });
    }
  }
  for (const file of [...configFiles].sort()) {
    const read = await nodeHost.read(file, 'config', { userChosen: true });
    if (!read.ok) continue;
    const own = file === flags.config || CONFIG_NAMES.includes(path.basename(file));
    rows.push(...(own ? configOffs(reportPath(file), read.text) : hadolintOffs(reportPath(file), read.text)));
  }
  const baselineFile = flags.baseline ?? (existsSync(BASELINE_FILE) ? BASELINE_FILE : undefined);
  if (baselineFile) {
    const parsed = await readBaseline(baselineFile).catch((e: Error) => e.message);
    if (typeof parsed === 'string') { out.stderr(`hullcheck: ${parsed}\n`); ioError = true; }
    else {
      const dir = path.dirname(path.resolve(baselineFile));
      for (const e of parsed.entries) {
        rows.push({ kind: 'baseline', file: reportPath(path.join(dir, e.file)), ids: [e.rule], scope: 'one finding', reason: e.message ? `accepted: ${e.message}` : undefined, status: 'active' });
      }
    }
  }
  if (format === 'json') out.stdout(JSON.stringify({ today, exceptions: rows }, null, 2) + '\n');
  else out.stdout(renderText(rows));
  return ioError ? 2 : 0;
}

function renderText(rows: ExceptionRow[]): string {
  if (rows.length === 0) return 'No exceptions.\n';
  const cells = rows.map((r) => [
    r.kind, r.line ? `${r.file}:${r.line}` : r.file, r.ids.join(','), r.scope, r.expires ?? '-', r.status, [r.reason, r.note].filter(Boolean).join('; ') || '-',
  ]);
  const head = ['KIND', 'PLACE', 'COVERS', 'SCOPE', 'EXPIRES', 'STATUS', 'REASON'];
  const widths = head.map((h, i) => Math.min(48, Math.max(h.length, ...cells.map((c) => c[i].length))));
  const line = (c: string[]) => c.map((x, i) => (i === c.length - 1 ? x : x.padEnd(widths[i]))).join('  ').trimEnd();
  const counts = (['active', 'expired', 'unused', 'rejected'] as ExceptionStatus[])
    .map((s) => [s, rows.filter((r) => r.status === s).length] as const).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`);
  return [line(head), ...cells.map(line), `${rows.length} exception${rows.length === 1 ? '' : 's'} (${counts.join(', ')}).`].join('\n') + '\n';
}
