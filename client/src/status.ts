// The status bar item: the server's state and how many Hullcheck problems are open; a click shows the Findings view.

import * as vscode from 'vscode';
import { SOURCE } from '../../server/src/protocol/messages';
import { getSettings, onDidChangeSettings } from './config';
import type { HullcheckContext, ServerState } from './context';

const ICON: Record<ServerState, string> = {
  starting: '$(sync~spin)',
  running: '$(check)',
  stopped: '$(circle-slash)',
  failed: '$(error)',
};

export function hullcheckProblemCount(): number {
  let n = 0;
  for (const [, diagnostics] of vscode.languages.getDiagnostics()) n += diagnostics.filter((d) => d.source === SOURCE).length;
  return n;
}

export function registerStatusBar(ctx: HullcheckContext): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('hullcheck.status', vscode.StatusBarAlignment.Left, 10);
  item.name = 'Hullcheck';
  item.command = 'hullcheck.findings.focus';
  const update = () => {
    const state = ctx.state;
    const count = hullcheckProblemCount();
    const enabled = getSettings(vscode.window.activeTextEditor?.document.uri).enable;
    const icon = state === 'running' && count > 0 ? '$(warning)' : ICON[state];
    item.text = `${icon} Hullcheck${state === 'running' && count > 0 ? ` ${count}` : ''}`;
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**Hullcheck** server: ${state}${enabled ? '' : ' (disabled by `hullcheck.enable`)'}\n\n`);
    md.appendMarkdown(count === 1 ? '1 problem' : `${count} problems`);
    md.appendMarkdown('\n\nClick to show the Findings view.');
    item.tooltip = md;
    item.backgroundColor = state === 'failed' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  };
  update();
  item.show();
  return vscode.Disposable.from(
    item,
    ctx.onDidChangeServerState(update),
    vscode.languages.onDidChangeDiagnostics(update),
    vscode.window.onDidChangeActiveTextEditor(update),
    onDidChangeSettings(update),
  );
}
