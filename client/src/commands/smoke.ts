// "Hullcheck: Run Smoke Test": starts the workspace's compose stack through the server, shows each phase in a
// cancellable progress notification (Cancel tears the stack down), writes the results to the Hullcheck log and
// offers them as a quick pick; a failed service opens its Dockerfile at the HEALTHCHECK line.

import * as vscode from 'vscode';
import { SmokeProgressNotification, SmokeRunRequest, type SmokeProgressParams } from '../../../server/src/protocol/messages';
import { type SmokeRunResult } from '../../../server/src/protocol/smokeTypes';
import type { HullcheckContext } from '../context';

export const RUN_SMOKE_COMMAND = 'hullcheck.runSmokeTest';

/** The run as Markdown: a table per service, then the failures with their last health-probe output. */
export function smokeMarkdown(r: SmokeRunResult): string {
  const lines = [`# Smoke test ${r.project}: ${r.outcome}`, '', r.message ?? '', '', '| Service | State | Health | Healthy after | Probes |', '|---|---|---|---|---|'];
  for (const s of r.services) {
    const probes = s.probes.map((p) => `${p.ok ? '✓' : '✗'} ${p.target} (${p.detail})`).join('<br>') || '—';
    lines.push(`| ${s.ok ? '✓' : '✗'} ${s.service} | ${s.state} | ${s.health} | ${s.secondsToHealthy === undefined ? '—' : `${s.secondsToHealthy}s`} | ${probes} |`);
  }
  for (const s of r.services.filter((x) => !x.ok)) {
    lines.push('', `## ${s.service}`, '', s.reason ?? 'Failed.');
    if (s.healthLog !== undefined) lines.push('', 'Last health probe output:', '', '```', s.healthLog || '(empty)', '```');
  }
  if (r.composeOutput) lines.push('', '## Compose output', '', '```', r.composeOutput, '```');
  if (r.teardown.command) lines.push('', r.teardown.skipped ? 'The stack was kept. Remove it with:' : 'Finish the cleanup with:', '', '```sh', r.teardown.command, '```');
  return lines.join('\n') + '\n';
}

/** The only workspace folder, or the one the user picks when there are several. */
export async function pickFolder(placeHolder = 'Folder whose compose stack to smoke-test'): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length <= 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder });
}

async function showResults(r: SmokeRunResult): Promise<void> {
  type Item = vscode.QuickPickItem & { open?: () => Thenable<unknown> };
  const items: Item[] = r.services.map((s) => ({
    label: `${s.ok ? '$(pass)' : '$(error)'} ${s.service}`,
    description: `${s.state}, ${s.health}${s.secondsToHealthy !== undefined ? `, healthy after ${s.secondsToHealthy}s` : ''}`,
    detail: s.ok ? s.probes.map((p) => `${p.target}: ${p.detail}`).join(' · ') || undefined : `${s.reason ?? 'Failed.'}${s.healthLog ? ` Last probe: ${s.healthLog.split('\n')[0]}` : ''}`,
    open: s.dockerfile && s.healthcheckLine !== undefined
      ? () => vscode.window.showTextDocument(vscode.Uri.file(s.dockerfile!), { selection: new vscode.Range(s.healthcheckLine!, 0, s.healthcheckLine!, 0) })
      : undefined,
  }));
  items.push({ label: '$(markdown) Open the full report', open: async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: smokeMarkdown(r) });
    await vscode.commands.executeCommand('markdown.showPreview', doc.uri);
  } });
  const picked = await vscode.window.showQuickPick(items, { title: `Smoke test ${r.project}: ${r.outcome}`, placeHolder: 'A failed service opens its HEALTHCHECK' });
  await picked?.open?.();
}

export function registerRunSmokeTest(ctx: HullcheckContext): vscode.Disposable {
  return vscode.commands.registerCommand(RUN_SMOKE_COMMAND, async () => {
    if (!vscode.workspace.isTrusted) { void vscode.window.showWarningMessage('The smoke test runs the workspace\'s containers; it is off in untrusted workspaces.'); return; }
    const folder = await pickFolder();
    if (!folder) { void vscode.window.showWarningMessage('Open a folder with a compose file to run the smoke test.'); return; }
    const runId = `${Date.now()}`;
    const response = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Smoke test', cancellable: true }, async (progress, token) => {
      const sub = ctx.onDidReceiveDockerNotification((n) => {
        if (n.method !== SmokeProgressNotification.method) return;
        const p = n.params as SmokeProgressParams;
        if (p.runId !== runId) return;
        ctx.output.info(`[smoke ${p.phase}] ${p.message}`);
        progress.report({ message: p.message });
      });
      token.onCancellationRequested(() => progress.report({ message: 'Cancelling and tearing down…' }));
      try {
        return await ctx.request(SmokeRunRequest, { runId, folderUri: folder.uri.toString() }, token);
      } finally { sub.dispose(); }
    });
    if (!response.result) {
      for (const p of response.problems) ctx.output.error(`Smoke test: ${p}`);
      void vscode.window.showErrorMessage(`The smoke test did not start: ${response.problems[0] ?? 'unknown problem'}`);
      return;
    }
    const r = response.result;
    ctx.output.info(smokeMarkdown(r));
    const summary = `Smoke test ${r.outcome}${r.message ? `: ${r.message}` : '.'}`;
    if (r.outcome === 'passed') void vscode.window.showInformationMessage(summary);
    else if (r.outcome === 'cancelled') void vscode.window.showInformationMessage(summary);
    else void vscode.window.showErrorMessage(summary);
    await showResults(r);
  });
}
