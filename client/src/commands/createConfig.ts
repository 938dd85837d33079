// "Hullcheck: Create Configuration": the server scaffolds a `.hullcheck.yaml` for a workspace folder, the client
// shows it in an untitled preview and writes it only after a modal confirmation (a second one to replace a file).

import * as vscode from 'vscode';
import { ScaffoldConfigRequest, WriteConfigRequest } from '../../../server/src/protocol/messages';
import type { HullcheckContext } from '../context';
import { pickFolder } from './smoke';

export const CREATE_CONFIG_COMMAND = 'hullcheck.createConfiguration';

export function registerCreateConfiguration(ctx: HullcheckContext): vscode.Disposable {
  return vscode.commands.registerCommand(CREATE_CONFIG_COMMAND, async () => {
    const folder = await pickFolder('Folder to write .hullcheck.yaml in');
    if (!folder) { void vscode.window.showWarningMessage('Open a folder to create a Hullcheck configuration for it.'); return; }
    const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Reading the workspace…' },
      () => ctx.request(ScaffoldConfigRequest, { folderUri: folder.uri.toString() }));
    if ('error' in r) { void vscode.window.showErrorMessage(`Hullcheck: ${r.error}`); return; }
    // the preview is an untitled document: nothing touches the disk until the user agrees
    const preview = await vscode.workspace.openTextDocument({ language: 'yaml', content: r.text });
    await vscode.window.showTextDocument(preview, { preview: true });
    const where = vscode.workspace.asRelativePath(vscode.Uri.joinPath(folder.uri, '.hullcheck.yaml'));
    const detail = r.fromEngine ? 'Budgets are the sizes of your built images plus 10 %.' : 'Budgets are a commented template (no Docker engine was asked).';
    const save = await vscode.window.showInformationMessage(`Write this configuration to ${where}?`, { modal: true, detail }, 'Save');
    if (save !== 'Save') return;
    let replace = false;
    if (r.existingUri) {
      const name = vscode.workspace.asRelativePath(vscode.Uri.parse(r.existingUri));
      replace = (await vscode.window.showWarningMessage(`${name} exists. Replace it?`, { modal: true }, 'Replace')) === 'Replace';
      if (!replace) return;
    }
    // what the user saw, including any edits made in the preview
    const w = await ctx.request(WriteConfigRequest, { folderUri: folder.uri.toString(), text: preview.getText(), replace });
    if (w.error || !w.uri) { void vscode.window.showErrorMessage(`Hullcheck: ${w.error ?? 'the configuration was not written.'}`); return; }
    await vscode.window.showTextDocument(vscode.Uri.parse(w.uri));
  });
}
