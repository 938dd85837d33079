// VEX in the editor: the OpenVEX documents of `hullcheck.trivy.vex` (read inside their workspace folder only,
// bounded), and "Export VEX from Ignore File", which writes the reviewed entries of a folder's ignore file for the
// reports it has loaded to the file the user chose, atomically.

import * as path from 'node:path';
import { writeFileAtomic } from '../core/atomicWrite';
import { confinedHost, type ReadNotice } from '../core/projectScope';
import type { FileHost } from '../core/fileHost';
import { activeEntries } from '../trivy/applyIgnores';
import { todayIso } from '../facts/trivyignoreFacts';
import { formatForPath } from '../trivy/ignoreFile';
import { parseTrivyignore } from '../parse/trivyignore';
import type { TrivyReport } from '../trivy/report';
import { loadVex, type VexStatement } from '../trivy/vex';
import { exportVex } from '../trivy/vexExport';
import type { TrivyExportVexResult } from '../protocol/trivyMessages';

/** The statements of a folder's VEX documents, and a message for each document that could not be used. */
export async function folderVex(host: FileHost, folder: string, files: readonly string[]): Promise<{ statements: VexStatement[]; errors: string[] }> {
  const statements: VexStatement[] = [];
  const errors: string[] = [];
  const notices = new Map<string, ReadNotice>();
  // a workspace setting names these files: they are read inside the folder only, whoever set the value
  const confined = confinedHost(host, folder, notices);
  for (const f of files) {
    const file = path.resolve(folder, f);
    const r = await loadVex(file, f, confined);
    if (!r.ok) { errors.push(`hullcheck.trivy.vex: ${r.error}`); continue; }
    errors.push(...r.warnings.map((w) => `hullcheck.trivy.vex: ${w}`));
    statements.push(...r.doc.statements);
  }
  return { statements, errors };
}

/** Export the folder's reviewed ignore entries for `reports` to `target` (a path the user chose). */
export async function exportFolderVex(ignore: { file: string; text: string } | undefined, folder: string, reports: TrivyReport[],
  target: string, version: string): Promise<TrivyExportVexResult> {
  if (!ignore) return { ok: false, error: 'This folder has no .trivyignore or .trivyignore.yaml to export.', skipped: [] };
  const name = path.relative(folder, ignore.file) || path.basename(ignore.file);
  const entries = activeEntries(parseTrivyignore(ignore.text, formatForPath(ignore.file)), todayIso());
  const r = exportVex({ entries, ignoreFile: name, reports, author: 'Unknown author', tooling: `Hullcheck ${version}`, now: new Date() });
  const skipped = r.skipped.map((s) => `${name}:${s.line}: ${s.id} is not exported: ${s.why}`);
  if (r.statements === 0) {
    return { ok: false, error: reports.length ? `No reviewed entry of ${name} (one with a reason) hides a vulnerability of the loaded reports.` : 'No Trivy reports are loaded: scan an image or open a report first.', skipped };
  }
  try { await writeFileAtomic(target, r.text); } catch (e) { return { ok: false, error: `Cannot write ${target}: ${(e as Error).message}`, skipped }; }
  return { ok: true, statements: r.statements, skipped };
}
