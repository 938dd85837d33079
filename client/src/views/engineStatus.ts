// The Docker engine in the status bar: connected (with the engine version) or why not, with Retry on click.
// Updated from hullcheck/engineState and hullcheck/dockerChanged; it never polls.

import * as vscode from 'vscode';
import { DockerChangedNotification, EngineStateRequest, type DockerChangedParams, type EngineStateInfo } from '../../../server/src/protocol/dockerMessages';
import type { HullcheckContext } from '../context';
import type { HullcheckView } from './hullcheckView';

export class EngineStatusItem implements HullcheckView {
  readonly id = 'hullcheck.engineStatus';
  private readonly item = vscode.window.createStatusBarItem('hullcheck.engine', vscode.StatusBarAlignment.Left, 9);
  private readonly disposables: vscode.Disposable[] = [this.item];

  constructor(private readonly ctx: HullcheckContext) {
    this.item.name = 'Hullcheck Docker engine';
    this.item.command = 'hullcheck.docker.retry';
    this.disposables.push(
      ctx.onDidReceiveDockerNotification((n) => {
        if (n.method === DockerChangedNotification.method && (n.params as DockerChangedParams).what === 'engine') void this.refresh();
      }),
      ctx.onDidChangeServerState((s) => { if (s === 'running') void this.refresh(); }),
    );
  }

  async refresh(retry = false): Promise<void> {
    if (this.ctx.state !== 'running') return;
    try { this.show(await this.ctx.request(EngineStateRequest, { retry })); } catch { /* the server restarts */ }
  }

  show(s: EngineStateInfo): void {
    const ok = s.status === 'connected';
    void vscode.commands.executeCommand('setContext', 'hullcheck.engineConnected', ok);
    this.item.text = ok ? '$(vm-active) Docker' : s.status === 'connecting' ? '$(sync~spin) Docker' : '$(vm-outline) Docker';
    this.item.tooltip = `${s.reason}${s.source ? `\n\nHost: ${s.host} (${s.source})` : ''}${ok ? '' : '\n\nClick to retry.'}`;
    this.item.backgroundColor = ok || s.status === 'connecting' ? undefined : new vscode.ThemeColor('statusBarItem.warningBackground');
    this.item.show();
  }

  dispose(): void { this.disposables.forEach((d) => d.dispose()); }
}
