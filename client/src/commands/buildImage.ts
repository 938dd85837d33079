// "Hullcheck: Build Image": builds the active (or chosen) Dockerfile through the engine with the classic builder,
// showing the build steps as progress; Cancel stops the build. The tag is asked for, with a default.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { BuildImageRequest, BuildProgressNotification, type BuildProgressParams } from '../../../server/src/protocol/dockerMessages';
import type { HullcheckContext } from '../context';

export const BUILD_IMAGE_COMMAND = 'hullcheck.buildImage';

export function registerBuildImage(ctx: HullcheckContext): vscode.Disposable {
  return vscode.commands.registerCommand(BUILD_IMAGE_COMMAND, async (arg?: vscode.Uri) => {
    if (!vscode.workspace.isTrusted) { void vscode.window.showWarningMessage('Building images is off in untrusted workspaces.'); return; }
    let uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
    if (!uri || !/(dockerfile|containerfile)/i.test(path.basename(uri.fsPath))) {
      const picked = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Build', title: 'Dockerfile to build' });
      uri = picked?.[0];
    }
    if (!uri) return;
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri!.toString());
    if (doc?.isDirty) await doc.save();
    const folder = path.basename(path.dirname(uri.fsPath)).toLowerCase().replace(/[^a-z0-9_.-]/g, '') || 'image';
    const tag = await vscode.window.showInputBox({ title: 'Image tag', value: `${folder}:dev`, prompt: 'The tag for the built image' });
    if (!tag) return;
    const buildId = `${Date.now()}`;
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Building ${tag}`, cancellable: true }, async (progress, token) => {
      const sub = ctx.onDidReceiveDockerNotification((n) => {
        if (n.method !== BuildProgressNotification.method) return;
        const p = n.params as BuildProgressParams;
        if (p.buildId !== buildId) return;
        ctx.output.info(`[build ${tag}] ${p.message}`);
        if (p.step && p.steps) progress.report({ message: `step ${p.step}/${p.steps}: ${p.message.replace(/^Step \d+\/\d+ : /, '').slice(0, 60)}` });
      });
      try {
        return await ctx.request(BuildImageRequest, { dockerfileUri: uri!.toString(), tag, buildId }, token);
      } finally { sub.dispose(); }
    });
    if (result.ok) void vscode.window.showInformationMessage(`Built ${result.tag}.`);
    else if (result.cancelled) void vscode.window.showInformationMessage(`The build of ${tag} was cancelled.`);
    else { ctx.output.error(`Build of ${tag} failed: ${result.error}`); void vscode.window.showErrorMessage(`Build failed: ${result.error}`); }
  });
}
