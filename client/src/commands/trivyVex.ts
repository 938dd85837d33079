// "Export VEX from Ignore File…": asks where to save, and lets the server write the reviewed entries of the
// folder's ignore file for the reports the Vulnerabilities view lists as an OpenVEX document.

import * as vscode from 'vscode';
import { TrivyExportVexRequest } from '../../../server/src/protocol/trivyMessages';
import type { HullcheckContext } from '../context';
import type { TrivyView } from '../views/trivy';

export const EXPORT_VEX_COMMAND = 'hullcheck.trivy.exportVex';

async function exportVex(ctx: HullcheckContext, view: TrivyView | undefined): Promise<void> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (!folders.length) { void vscode.window.showInformationMessage('Open a folder first: the ignore file lives in a workspace folder.'); return; }
  const folder = folders.length === 1 ? folders[0] : await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Export the ignore file of which folder?' });
  if (!folder) return;
  const target = await vscode.window.showSaveDialog({
    title: 'Export VEX from Ignore File', saveLabel: 'Export', filters: { 'OpenVEX document': ['json'] },
    defaultUri: vscode.Uri.joinPath(folder.uri, 'vex.openvex.json'),
  });
  if (!target) return;
  const reports = (view?.loadedImages ?? []).filter((i) => i.origin === 'file').map((i) => vscode.Uri.file(i.source).toString());
  const r = await ctx.request(TrivyExportVexRequest, { folder: folder.uri.toString(), target: target.toString(), reports });
  for (const s of r.skipped) ctx.output.warn(s);
  const more = r.skipped.length ? ` ${r.skipped.length} entr${r.skipped.length === 1 ? 'y was' : 'ies were'} left out (see the output).` : '';
  if (!r.ok) { void vscode.window.showWarningMessage(`${r.error}${more}`); return; }
  const open = await vscode.window.showInformationMessage(`Wrote ${r.statements} VEX statement${r.statements === 1 ? '' : 's'} to ${vscode.workspace.asRelativePath(target)}.${more}`, 'Open');
  if (open) await vscode.window.showTextDocument(target);
}

export function registerTrivyVexCommands(ctx: HullcheckContext, view: () => TrivyView | undefined): vscode.Disposable[] {
  return [vscode.commands.registerCommand(EXPORT_VEX_COMMAND, () => exportVex(ctx, view()))];
}
