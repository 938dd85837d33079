// Small Docker actions of the views: Retry the engine connection, compute an image's wasted bytes, show a
// container's logs (read-only document), open its HEALTHCHECK line, and restart it after a modal confirmation.

import * as vscode from 'vscode';
import { ContainerLogsRequest, RestartContainerRequest, type ContainerHealthItem } from '../../../server/src/protocol/dockerMessages';
import type { HullcheckContext } from '../context';
import type { HullcheckView } from '../views/hullcheckView';
import type { BudgetsView } from '../views/budgets';
import type { EngineStatusItem } from '../views/engineStatus';

type ContainerArg = { c?: ContainerHealthItem };

export function registerDockerActions(ctx: HullcheckContext, views: HullcheckView[]): vscode.Disposable[] {
  const budgets = () => views.find((v) => v.id === 'hullcheck.imageBudgets') as BudgetsView | undefined;
  const status = () => views.find((v) => v.id === 'hullcheck.engineStatus') as EngineStatusItem | undefined;
  return [
    vscode.commands.registerCommand('hullcheck.docker.retry', async () => {
      await status()?.refresh(true);
      await Promise.all(views.filter((v) => v.id === 'hullcheck.imageBudgets' || v.id === 'hullcheck.containerHealth').map((v) => v.refresh()));
    }),
    vscode.commands.registerCommand('hullcheck.computeWasted', (id: string) => budgets()?.refresh(id)),
    vscode.commands.registerCommand('hullcheck.showContainerLogs', async (arg: ContainerArg) => {
      if (!arg?.c) return;
      const logs = await ctx.request(ContainerLogsRequest, { id: arg.c.id, tail: 1000 });
      const doc = await vscode.workspace.openTextDocument({ content: logs.text || '(no output)', language: 'log' });
      await vscode.window.showTextDocument(doc, { preview: true });
    }),
    vscode.commands.registerCommand('hullcheck.openHealthcheck', async (arg: ContainerArg) => {
      const c = arg?.c;
      if (!c?.healthcheckUri || c.healthcheckLine === undefined) return;
      const range = new vscode.Range(c.healthcheckLine, 0, c.healthcheckLine, 0);
      await vscode.window.showTextDocument(vscode.Uri.parse(c.healthcheckUri), { selection: range });
    }),
    vscode.commands.registerCommand('hullcheck.restartContainer', async (arg: ContainerArg) => {
      const c = arg?.c;
      if (!c) return;
      const answer = await vscode.window.showWarningMessage(`Restart container ${c.name}?`, { modal: true, detail: 'Its processes are stopped and started again.' }, 'Restart');
      if (answer !== 'Restart') return;
      const r = await ctx.request(RestartContainerRequest, { id: c.id, confirmed: true });
      if (!r.ok) void vscode.window.showErrorMessage(`Restart failed: ${r.error}`);
    }),
  ];
}
