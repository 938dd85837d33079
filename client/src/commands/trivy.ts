// The Vulnerabilities view's commands: severity filter, refresh, "Open Trivy Report…", and per finding "Open
// Advisory", "Copy ID" and "Ignore…" (an entry with expiry and reason added through hullcheck/trivyAddIgnore and
// applied as a WorkspaceEdit, so Undo removes it). Scans live in trivyScan.ts.

import * as vscode from 'vscode';
import type { WorkspaceEdit as LspWorkspaceEdit } from 'vscode-languageserver-types';
import { TrivyAddIgnoreRequest, type TrivySeverityName } from '../../../server/src/protocol/trivyMessages';
import type { HullcheckContext } from '../context';
import type { TrivyView } from '../views/trivy';
import { addDays, ignoreSection, SEVERITY_ORDER, titleCase, validateExpiry, type TrivyNode } from '../views/trivyModel';
import { registerTrivyScanCommands } from './trivyScan';
import { registerTrivyVexCommands } from './trivyVex';

export const TRIVY_FILTER_COMMAND = 'hullcheck.trivy.filterSeverities';
export const TRIVY_REFRESH_COMMAND = 'hullcheck.trivy.refresh';
export const OPEN_REPORT_COMMAND = 'hullcheck.trivy.openReport';
export const OPEN_ADVISORY_COMMAND = 'hullcheck.trivy.openAdvisory';
export const COPY_ID_COMMAND = 'hullcheck.trivy.copyId';
export const IGNORE_COMMAND = 'hullcheck.trivy.ignore';

/** How long a new ignore entry lasts unless the user says otherwise. */
const DEFAULT_EXPIRY_DAYS = 90;

type FindingNode = TrivyNode & { kind: 'finding' };
const isFinding = (n: unknown): n is FindingNode => !!n && typeof n === 'object' && (n as TrivyNode).kind === 'finding';

/** The finding a command is about: the argument (a tree row), else the view's selection. */
function findingOf(arg: unknown, view: TrivyView | undefined): FindingNode | undefined {
  if (isFinding(arg)) return arg;
  const selected = view?.selection.find(isFinding);
  if (!selected) void vscode.window.showInformationMessage('Select a finding in the Vulnerabilities view first.');
  return selected;
}

function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/** The server's LSP WorkspaceEdit as a VS Code one (file creations and text edits are all it sends). */
export function toWorkspaceEdit(lsp: LspWorkspaceEdit): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  const range = (r: { start: { line: number; character: number }; end: { line: number; character: number } }) =>
    new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
  for (const change of lsp.documentChanges ?? []) {
    if ('kind' in change) {
      if (change.kind === 'create') edit.createFile(vscode.Uri.parse(change.uri), { ignoreIfExists: change.options?.ignoreIfExists ?? true });
      continue;
    }
    const uri = vscode.Uri.parse(change.textDocument.uri);
    for (const e of change.edits) if ('newText' in e) edit.replace(uri, range(e.range), e.newText);
  }
  for (const [uri, edits] of Object.entries(lsp.changes ?? {})) {
    for (const e of edits) edit.replace(vscode.Uri.parse(uri), range(e.range), e.newText);
  }
  return edit;
}

async function ignoreFinding(ctx: HullcheckContext, view: TrivyView | undefined, node: FindingNode): Promise<void> {
  const f = node.finding;
  const today = todayUtc();
  const expires = await vscode.window.showInputBox({
    title: `Ignore ${f.id} (1/2)`, prompt: 'Ignore until (YYYY-MM-DD); Trivy reports it again after this date',
    value: addDays(today, DEFAULT_EXPIRY_DAYS), ignoreFocusOut: true, validateInput: (v) => validateExpiry(v, today),
  });
  if (expires === undefined) return;
  const reason = await vscode.window.showInputBox({
    title: `Ignore ${f.id} (2/2)`, prompt: 'Why is it acceptable for now? (kept next to the entry)', ignoreFocusOut: true,
    placeHolder: 'e.g. not reachable: the binary is never executed',
    validateInput: (v) => (v.trim() ? undefined : 'A reason is required, so reviewers know why the finding is ignored.'),
  });
  if (reason === undefined) return;
  const r = await ctx.request(TrivyAddIgnoreRequest, {
    id: f.id, expires: expires.trim(), reason: reason.trim(), section: ignoreSection(f),
    folder: vscode.workspace.workspaceFolders?.[0]?.uri.toString(),
  });
  if (!r.ok) { void vscode.window.showErrorMessage(`Could not add ${f.id} to the ignore file: ${r.error}`); return; }
  if (!(await vscode.workspace.applyEdit(toWorkspaceEdit(r.edit)))) {
    void vscode.window.showErrorMessage(`Could not edit ${vscode.workspace.asRelativePath(vscode.Uri.parse(r.uri))}.`);
    return;
  }
  // shown, unsaved: the user sees the entry and can undo it or save it
  const uri = vscode.Uri.parse(r.uri);
  await vscode.window.showTextDocument(uri, { preview: true, preserveFocus: true });
  view?.scheduleRefresh();
  const file = vscode.workspace.asRelativePath(uri);
  void vscode.window.showInformationMessage(`${r.updated ? 'Updated' : 'Added'} ${f.id} in ${file} until ${expires.trim()}; save the file to keep it.`);
}

async function pickSeverities(view: TrivyView): Promise<void> {
  const current = new Set(view.severities);
  const items = SEVERITY_ORDER.map((s) => ({ label: titleCase(s), severity: s, picked: current.has(s) }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Show vulnerabilities of these severities', canPickMany: true, placeHolder: 'Pick none to show every severity',
  });
  if (picked) await view.setSeverities(picked.map((p) => p.severity as TrivySeverityName));
}

async function openReport(view: TrivyView | undefined): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const files = await vscode.window.showOpenDialog({
    title: 'Open Trivy Report', openLabel: 'Open Report', canSelectMany: true, filters: { 'Trivy JSON report': ['json'] },
    defaultUri: folder ? vscode.Uri.joinPath(folder, 'trivy-reports') : undefined,
  });
  if (!files?.length || !view) return;
  for (const f of files) await view.addOpenedReport(f);
  await vscode.commands.executeCommand(`${view.id}.focus`);
}

export function registerTrivyCommands(ctx: HullcheckContext, view: () => TrivyView | undefined): vscode.Disposable[] {
  return [
    ...registerTrivyScanCommands(ctx, view),
    ...registerTrivyVexCommands(ctx, view),
    vscode.commands.registerCommand(TRIVY_FILTER_COMMAND, async () => { const v = view(); if (v) await pickSeverities(v); }),
    vscode.commands.registerCommand(TRIVY_REFRESH_COMMAND, () => view()?.refresh()),
    vscode.commands.registerCommand(OPEN_REPORT_COMMAND, () => openReport(view())),
    vscode.commands.registerCommand(OPEN_ADVISORY_COMMAND, async (arg?: unknown) => {
      const node = findingOf(arg, view());
      if (!node) return;
      if (!node.finding.url) { void vscode.window.showInformationMessage(`The report has no advisory link for ${node.finding.id}.`); return; }
      await vscode.env.openExternal(vscode.Uri.parse(node.finding.url));
    }),
    vscode.commands.registerCommand(COPY_ID_COMMAND, async (arg?: unknown) => {
      const node = findingOf(arg, view());
      if (!node) return;
      await vscode.env.clipboard.writeText(node.finding.id);
      vscode.window.setStatusBarMessage(`Copied ${node.finding.id}`, 3000);
    }),
    vscode.commands.registerCommand(IGNORE_COMMAND, async (arg?: unknown) => {
      const node = findingOf(arg, view());
      if (node) await ignoreFinding(ctx, view(), node);
    }),
  ];
}
