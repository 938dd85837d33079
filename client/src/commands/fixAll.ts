// "Hullcheck: Fix All in File": applies the server's source.fixAll.hullcheck action to the active editor.

import * as vscode from 'vscode';
import { FIX_ALL_KIND } from '../../../server/src/protocol/messages';

export const FIX_ALL_COMMAND = 'hullcheck.fixAll';

export async function fixAll(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('Hullcheck: open a Dockerfile to fix.');
    return;
  }
  const doc = editor.document;
  const whole = new vscode.Range(0, 0, doc.lineCount, 0);
  const kind = vscode.CodeActionKind.SourceFixAll.append('hullcheck');
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, whole, FIX_ALL_KIND);
  const ours = (actions ?? []).filter((a) => a.kind && kind.contains(a.kind) && a.edit);
  if (ours.length === 0) {
    vscode.window.setStatusBarMessage('Hullcheck: nothing to fix automatically', 3000);
    return;
  }
  for (const action of ours) await vscode.workspace.applyEdit(action.edit!);
}

export function registerFixAll(): vscode.Disposable {
  return vscode.commands.registerCommand(FIX_ALL_COMMAND, fixAll);
}
