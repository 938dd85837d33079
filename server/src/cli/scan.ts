// `hullcheck scan REF|REPORT.json...`: load Trivy JSON reports or scan images with Trivy, apply the project's
// ignore file (expiry dates honoured) and gate CI on the severity of what remains.
// Exit codes: 0 nothing at or above --fail-on, 1 something is, 2 usage, IO or Trivy errors.

import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { findUp } from '../config/hullcheckConfig';
import { nodeHost } from '../core/fileHost';
import { projectScope } from '../core/projectScope';
import { parseDockerfile, type ParsedDockerfile } from '../parse/dockerfile';
import { layerOrigins } from '../trivy/layers';
import { newSince, renderCveBaseline } from '../trivy/cveBaseline';
import type { Baseline } from '../core/findingBaseline';
import { writeFileAtomic } from '../core/atomicWrite';
import { readBaseline } from './baselineCommand';
import { parseTrivyignore, type TrivyignoreEntry } from '../parse/trivyignore';
import { activeEntries, applyIgnores } from '../trivy/applyIgnores';
import { todayIso } from '../facts/trivyignoreFacts';
import { formatForPath } from '../trivy/ignoreFile';
import { loadReport, normalizeSeverity, SEVERITIES, SEVERITY_ORDER, type ReportResult, type TrivySeverity } from '../trivy/report';
import { repositoryRoot } from '../core/projectScope';
import { scanImage, type ScanOptions } from '../trivy/runner';
import { scanJson, scanSarif, scanText, type ScannedReport } from './scanFormat';
import { applyVex, loadVex, type VexStatement } from '../trivy/vex';
import { exportVex } from '../trivy/vexExport';

export const SCAN_USAGE = `Usage: hullcheck scan REF|REPORT.json... [options]

Arguments ending in .json are Trivy JSON reports to load; any other argument is an image reference that is
scanned with \`trivy image --format json\`.

Options:
  --fail-on SEVERITIES   Exit 1 when a finding at or above the lowest listed severity remains after the
                         ignore file (e.g. CRITICAL,HIGH; default: CRITICAL,HIGH; \`none\` never fails)
  --format text|json|sarif   Output format (default: text)
  --trivy PATH           The trivy executable (default: trivy on PATH)
  --ignorefile FILE      Apply this .trivyignore or .trivyignore.yaml (default: the nearest .trivyignore,
                         .trivyignore.yaml or .trivyignore.yml from the current folder upward)
  --dockerfile FILE      The Dockerfile the scanned images were built from: each vulnerability is traced
                         through its layer to the base image (FROM) or to the instruction that brought it,
                         and SARIF locations point at that line
  --target STAGE         The stage the images were built with (docker build --target)
  --fixable-only         Leave out vulnerabilities without a fixed version (listed nowhere, never gate)
  --baseline FILE        List and gate only vulnerabilities not in this CVE baseline (matched by image
                         repository, vulnerability id and package, whatever the tag)
  --write-baseline FILE  Record the vulnerabilities that remain as accepted in FILE (written atomically)
  --vex FILE             Apply an OpenVEX document (repeatable): vulnerabilities whose newest matching
                         statement is not_affected or fixed are listed as such and never gate
  --write-vex FILE       Export the reviewed ignore entries (those with a reason) that hide vulnerabilities
                         of these reports as an OpenVEX v0.2.0 document (written atomically)
  --vex-author NAME      The author of the exported document (default: Unknown author)
  -h, --help             Show this help

Vulnerabilities of image reports are always traced to their layer and the history entry that made it.

Each report's counts are the report's own totals per severity, before the ignore file; the listed findings and
the exit code are what remains after it. Entries whose exp:/expired_at date has passed are not applied.
`;

const IGNORE_NAMES = ['.trivyignore', '.trivyignore.yaml', '.trivyignore.yml'];

type Out = { stdout: (s: string) => void; stderr: (s: string) => void };

export interface ScanEnv {
  cwd?: string;
  /** Environment for the trivy child and HULLCHECK_TODAY. */
  env?: NodeJS.ProcessEnv;
  version?: string;
  color?: boolean;
  signal?: AbortSignal;
}

/** The lowest severity listed in `--fail-on` (null for `none`), or a usage error. */
export function parseFailOn(value: string): { threshold: TrivySeverity | null } | { error: string } {
  const parts = value.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
  if (parts.length === 1 && parts[0] === 'NONE') return { threshold: null };
  if (parts.length === 0) return { error: '--fail-on needs at least one severity' };
  const bad = parts.filter((p) => !(SEVERITIES as readonly string[]).includes(p));
  if (bad.length) return { error: `--fail-on: unknown severit${bad.length === 1 ? 'y' : 'ies'} ${bad.join(', ')} (use ${SEVERITIES.join(', ')} or none)` };
  return { threshold: parts.map((p) => normalizeSeverity(p)).sort((a, b) => SEVERITY_ORDER[a] - SEVERITY_ORDER[b])[0] };
}

export async function scanMain(argv: string[], out: Out, env: ScanEnv = {}): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv, allowPositionals: true,
      options: {
        'fail-on': { type: 'string' }, format: { type: 'string' }, trivy: { type: 'string' },
        ignorefile: { type: 'string' }, dockerfile: { type: 'string' }, target: { type: 'string' },
        'fixable-only': { type: 'boolean' }, baseline: { type: 'string' }, 'write-baseline': { type: 'string' },
        vex: { type: 'string', multiple: true }, 'write-vex': { type: 'string' }, 'vex-author': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    out.stderr(`hullcheck scan: ${(e as Error).message}\n\n${SCAN_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) { out.stdout(SCAN_USAGE); return 0; }
  const usage = (m: string) => { out.stderr(`hullcheck scan: ${m}\n\n${SCAN_USAGE}`); return 2; };
  const format = values.format ?? 'text';
  if (!['text', 'json', 'sarif'].includes(format)) return usage(`--format must be text, json or sarif, got '${format}'`);
  const failOn = parseFailOn(values['fail-on'] ?? 'CRITICAL,HIGH');
  if ('error' in failOn) return usage(failOn.error);
  const threshold = failOn.threshold;
  if (positionals.length === 0) return usage('give at least one image reference or report file');
  const cwd = env.cwd ?? process.cwd();
  const procEnv = env.env ?? process.env;

  let failed = false;
  const today = todayIso(procEnv);
  const ignore = await loadIgnore(values.ignorefile, cwd, today);
  if (typeof ignore === 'string') { out.stderr(`hullcheck scan: ${ignore}\n`); return 2; }

  const dockerfile = values.dockerfile ? await loadDockerfile(values.dockerfile, cwd) : undefined;
  if (typeof dockerfile === 'string') { out.stderr(`hullcheck scan: ${dockerfile}\n`); return 2; }

  let baseline: Baseline | undefined;
  if (values.baseline) {
    try { baseline = await readBaseline(path.resolve(cwd, values.baseline)); } catch (e) { out.stderr(`hullcheck scan: ${(e as Error).message}\n`); return 2; }
  }

  const statements: VexStatement[] = [];
  for (const f of values.vex ?? []) {
    const v = await loadVex(path.resolve(cwd, f), f, nodeHost, { userChosen: true });
    if (!v.ok) { out.stderr(`hullcheck scan: ${v.error}\n`); return 2; }
    for (const w of v.warnings) out.stderr(`hullcheck scan: warning: ${w}\n`);
    statements.push(...v.doc.statements);
  }

  const scanned: ScannedReport[] = [];
  for (const arg of positionals) {
    let r: ReportResult;
    if (/\.json$/i.test(arg)) {
      r = await loadReport(path.resolve(cwd, arg), arg); // messages name the path as the user gave it
    } else {
      // a path typed on the command line is the user's choice; PATH entries inside the project are not trusted
      const trivyPath = values.trivy && /[\\/]/.test(values.trivy) ? path.resolve(cwd, values.trivy) : values.trivy;
      const root = await repositoryRoot(cwd);
      const opts: ScanOptions = { trivyPath, env: procEnv, signal: env.signal, untrustedRoots: root ? [root] : [] };
      r = await scanImage(arg, opts);
    }
    if (!r.ok) { out.stderr(`hullcheck scan: ${r.error}\n`); failed = true; continue; }
    for (const w of r.warnings) out.stderr(`hullcheck scan: warning: ${w}\n`);
    const origins = layerOrigins(r.report, dockerfile?.parsed, values.target);
    const kept = applyIgnores(r.report, ignore.entries);
    const vexed = applyVex(r.report, kept.vulnerabilities, statements, today);
    kept.vulnerabilities = vexed.kept;
    // unfixable findings are dropped after the ignore file, so "ignored" still counts only what the file hid
    if (values['fixable-only']) kept.vulnerabilities = kept.vulnerabilities.filter((v) => !!v.fixed);
    if (baseline) kept.vulnerabilities = newSince(baseline, r.report, kept.vulnerabilities);
    scanned.push({ report: r.report, ...kept, origins, ...(dockerfile ? { dockerfile: dockerfile.file } : {}), ...(values.vex ? { vex: vexed.suppressed } : {}) });
  }

  if (values['write-baseline']) {
    const file = path.resolve(cwd, values['write-baseline']);
    try {
      await writeFileAtomic(file, renderCveBaseline(scanned.map((x) => ({ report: x.report, vulns: x.vulnerabilities }))));
    } catch (e) { out.stderr(`hullcheck scan: cannot write ${values['write-baseline']}: ${(e as Error).message}\n`); return 2; }
  }
  if (values['write-vex']) {
    const code = await writeVex(values['write-vex'], cwd, ignore, scanned, values['vex-author'] ?? 'Unknown author', `Hullcheck ${env.version ?? '0.0.0'}`, out);
    if (code) return code;
  }
  if (format === 'json') out.stdout(scanJson(scanned));
  else if (format === 'sarif') out.stdout(scanSarif(scanned, env.version ?? '0.0.0'));
  else {
    if (ignore.file) out.stderr(`hullcheck scan: applying ${ignore.file} (${ignore.entries.length} active entr${ignore.entries.length === 1 ? 'y' : 'ies'}${ignore.inactive ? `, ${ignore.inactive} expired or unreadable` : ''})\n`);
    out.stdout(scanText(scanned, env.color ?? false));
  }
  if (failed) return 2;
  if (threshold === null) return 0;
  const min = SEVERITY_ORDER[threshold];
  const over = (s: TrivySeverity) => SEVERITY_ORDER[s] >= min;
  return scanned.some((s) => s.vulnerabilities.some((v) => over(v.severity)) || s.secrets.some((x) => over(x.severity)) ||
    s.misconfigurations.some((m) => m.status !== 'PASS' && over(m.severity))) ? 1 : 0;
}

/** `--write-vex FILE`: the reviewed entries of the ignore file as OpenVEX; entries left out are named on stderr. */
async function writeVex(target: string, cwd: string, ignore: LoadedIgnore, scanned: ScannedReport[], author: string, tooling: string, out: Out): Promise<number> {
  if (!ignore.file) { out.stderr('hullcheck scan: --write-vex: no ignore file to export (give --ignorefile or add a .trivyignore)\n'); return 2; }
  const r = exportVex({ entries: ignore.entries, ignoreFile: ignore.file, reports: scanned.map((s) => s.report), author, tooling, now: new Date() });
  for (const s of r.skipped) out.stderr(`hullcheck scan: ${ignore.file}:${s.line}: ${s.id} is not exported: ${s.why}\n`);
  if (r.statements === 0) { out.stderr(`hullcheck scan: --write-vex: no reviewed entry of ${ignore.file} hides a vulnerability of these reports; ${target} was not written\n`); return 2; }
  try { await writeFileAtomic(path.resolve(cwd, target), r.text); } catch (e) {
    out.stderr(`hullcheck scan: cannot write ${target}: ${(e as Error).message}\n`);
    return 2;
  }
  out.stderr(`hullcheck scan: wrote ${r.statements} VEX statement${r.statements === 1 ? '' : 's'} to ${target}\n`);
  return 0;
}

/** The Dockerfile named by --dockerfile, parsed; its path as the user gave it names it in the output. */
async function loadDockerfile(file: string, cwd: string): Promise<{ file: string; parsed: ParsedDockerfile } | string> {
  const r = await nodeHost.read(path.resolve(cwd, file), 'dockerfile', { userChosen: true });
  if (!r.ok) return r.reason === 'missing' ? `${file}: no such Dockerfile` : `${file}: ${r.message}`;
  return { file, parsed: parseDockerfile(r.text) };
}

interface LoadedIgnore { file?: string; entries: TrivyignoreEntry[]; inactive: number }

/** The ignore file to apply: --ignorefile (must exist), else the nearest one from `cwd` upward, else none. */
async function loadIgnore(explicit: string | undefined, cwd: string, today: string): Promise<LoadedIgnore | string> {
  let file: string | undefined, text: string | undefined;
  if (explicit) {
    file = path.resolve(cwd, explicit);
    const r = await nodeHost.read(file, 'ignore', { userChosen: true });
    if (!r.ok) return r.reason === 'missing' ? `${explicit}: no such ignore file` : `${explicit}: ${r.message}`;
    text = r.text;
  } else {
    // the nearest one within the project (the repository), never from a folder above it
    const found = await findUp(nodeHost, cwd, IGNORE_NAMES, (await projectScope(nodeHost, cwd)).stop);
    if (found?.text === undefined && found) return `${found.file}: ${found.unreadable}`;
    if (found) ({ file, text } = found);
  }
  if (!file || text === undefined) return { entries: [], inactive: 0 };
  const parsed = parseTrivyignore(text, formatForPath(file));
  const bad = parsed.problems.find((p) => p.message.startsWith('Invalid YAML'));
  if (bad) return `${file}:${bad.range.start.line + 1}: ${bad.message}`;
  const entries = activeEntries(parsed, today);
  return { file: explicit ?? (path.relative(cwd, file) || file), entries, inactive: parsed.entries.length - entries.length };
}
