// "Hullcheck: Validate Image…": runs the image checks (label, user, secrets in Env and files, HEALTHCHECK,
// budget) on an image picked from the engine, with progress and Cancel, and shows the findings in a quick pick
// that opens the Dockerfile line responsible.

import * as vscode from 'vscode';
import { ImageBudgetsRequest, ValidateImageRequest } from '../../../server/src/protocol/dockerMessages';
import type { HullcheckContext } from '../context';

export const VALIDATE_IMAGE_COMMAND = 'hullcheck.validateImage';

export function registerValidateImage(ctx: HullcheckContext): vscode.Disposable {
  return vscode.commands.registerCommand(VALIDATE_IMAGE_COMMAND, async (arg?: string | { item?: { ref?: string } }) => {
    let ref = typeof arg === 'string' ? arg : arg?.item?.ref;
    if (!ref) {
      const images = await ctx.request(ImageBudgetsRequest, {});
      if (images.engine.status !== 'connected') { void vscode.window.showWarningMessage(images.engine.reason); return; }
      const refs = [...images.budgeted, ...images.unbudgeted].filter((i) => i.tags.length).map((i) => i.ref);
      ref = await vscode.window.showQuickPick(refs, { title: 'Image to validate', placeHolder: 'Pick a local image' });
    }
    if (!ref) return;
    const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Validating ${ref}`, cancellable: true },
      (_p, token) => ctx.request(ValidateImageRequest, { ref: ref! }, token));
    if (!r.ok) { void vscode.window.showWarningMessage(r.error ?? 'Validation failed.'); return; }
    if (r.findings.length === 0) { void vscode.window.showInformationMessage(`${ref} passes every image check.`); return; }
    const pick = await vscode.window.showQuickPick(r.findings.map((f) => ({
      label: `$(${f.severity === 'error' ? 'error' : 'warning'}) ${f.rule}`, detail: f.message, finding: f,
    })), { title: `${ref}: ${r.findings.length} finding${r.findings.length === 1 ? '' : 's'}`, matchOnDetail: true });
    const f = pick?.finding;
    if (f?.dockerfileUri) {
      const range = new vscode.Range(f.range.start.line, f.range.start.character, f.range.end.line, f.range.end.character);
      await vscode.window.showTextDocument(vscode.Uri.parse(f.dockerfileUri), { selection: range });
    }
  });
}
