// Test body that runs inside a desktop VS Code extension host (@vscode/test-electron): open the fixture Dockerfile,
// wait for Hullcheck's apt-no-install-recommends diagnostic, apply its quick fix and check the text changed.
// It throws on failure; the runner turns that into a non-zero exit code.

import * as vscode from 'vscode';

const RULE = 'apt-no-install-recommends';
const FIX_TITLE = 'Add --no-install-recommends';

function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  return typeof c === 'object' ? String(c.value) : String(c);
}

/** Resolve with the first diagnostic of RULE on `uri`, whether it is already there or arrives later. */
function waitForDiagnostic(uri: vscode.Uri, timeoutMs: number): Promise<vscode.Diagnostic> {
  return new Promise((resolve, reject) => {
    const find = (): vscode.Diagnostic | undefined => vscode.languages.getDiagnostics(uri).find((d) => codeOf(d) === RULE);
    const done = (d: vscode.Diagnostic | undefined, err?: Error): void => {
      clearTimeout(timer);
      sub.dispose();
      if (d) resolve(d); else reject(err);
    };
    const timer = setTimeout(() => done(undefined, new Error(`no ${RULE} diagnostic on ${uri.fsPath} within ${timeoutMs} ms`)), timeoutMs);
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (!e.uris.some((u) => u.toString() === uri.toString())) return;
      const d = find();
      if (d) done(d);
    });
    const now = find();
    if (now) done(now);
  });
}

export async function run(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the test workspace folder was not opened');
  const uri = vscode.Uri.joinPath(folder.uri, 'Dockerfile');
  const diagnostic = waitForDiagnostic(uri, 60_000);
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  const diag = await diagnostic;
  if (!/hullcheck/i.test(diag.source ?? '')) throw new Error(`unexpected diagnostic source: ${diag.source}`);

  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
    'vscode.executeCodeActionProvider', uri, diag.range, vscode.CodeActionKind.QuickFix.value);
  // A plain Command has a string `command`; a CodeAction carries an edit and/or a Command object.
  const fix = (actions ?? []).find((a): a is vscode.CodeAction => a.title === FIX_TITLE && typeof a.command !== 'string');
  if (!fix) throw new Error(`no "${FIX_TITLE}" code action; got: ${(actions ?? []).map((a) => a.title).join(', ') || 'none'}`);
  const before = doc.getText();
  if (fix.edit && !(await vscode.workspace.applyEdit(fix.edit))) throw new Error('applying the quick fix edit failed');
  if (fix.command) await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
  const after = doc.getText();
  if (before.includes('--no-install-recommends') || !after.includes('apt-get install --no-install-recommends')) {
    throw new Error(`the quick fix did not add --no-install-recommends:\n${after}`);
  }
}
