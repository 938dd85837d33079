// "Scan Image with Trivy…", "Scan All Budgeted Images" and the view's "Re-scan Image": ask the server to run
// Trivy (hullcheck/trivyScan) with a cancellable progress notification. Never in an untrusted workspace, and the
// executable comes only from the user's own (machine) setting.

import * as vscode from 'vscode';
import { ImageBudgetsRequest } from '../../../server/src/protocol/dockerMessages';
import { TrivyScanRequest, type TrivyScanResult, type TrivySeverityName } from '../../../server/src/protocol/trivyMessages';
import { getTrivySettings } from '../config';
import type { HullcheckContext } from '../context';
import type { TrivyView } from '../views/trivy';
import { budgetedRefs, normalizeSeverities, reportRefs, SEVERITY_ORDER, type TrivyNode } from '../views/trivyModel';

export const SCAN_IMAGE_COMMAND = 'hullcheck.trivy.scanImage';
export const SCAN_BUDGETED_COMMAND = 'hullcheck.trivy.scanBudgeted';
export const RESCAN_IMAGE_COMMAND = 'hullcheck.trivy.rescanImage';

export const INSTALL_URL = 'https://aquasecurity.github.io/trivy/latest/getting-started/installation/';
const UNTRUSTED = 'Hullcheck runs Trivy only in trusted workspaces. Trust this workspace to scan images.';

/** False (after telling the user why) when scans must not run here. */
function mayScan(): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showWarningMessage(UNTRUSTED, 'Manage Workspace Trust').then((a) => {
    if (a) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  return false;
}

/** The severities passed to Trivy: `hullcheck.trivy.severities`, or all of them. */
function scanSeverities(): TrivySeverityName[] | undefined {
  const wanted = normalizeSeverities(getTrivySettings().severities);
  return wanted.length === SEVERITY_ORDER.length ? undefined : wanted;
}

async function scanOne(
  ctx: HullcheckContext, ref: string, token: vscode.CancellationToken,
): Promise<TrivyScanResult> {
  return ctx.request(TrivyScanRequest, {
    ref,
    trivyPath: getTrivySettings().path,
    workspaceTrusted: vscode.workspace.isTrusted,
    severities: scanSeverities(),
    folder: vscode.workspace.workspaceFolders?.[0]?.uri.toString(),
  }, token);
}

async function reportFailure(r: Extract<TrivyScanResult, { ok: false }>): Promise<void> {
  if (r.kind === 'cancelled') return;
  if (r.kind === 'not-installed') {
    const a = await vscode.window.showErrorMessage(r.error, 'Install Trivy', 'Set Trivy Path');
    if (a === 'Install Trivy') await vscode.env.openExternal(vscode.Uri.parse(INSTALL_URL));
    if (a === 'Set Trivy Path') await vscode.commands.executeCommand('workbench.action.openSettings', 'hullcheck.trivy.path');
    return;
  }
  void vscode.window.showErrorMessage(r.error);
}

/** Scan the references one after another under one cancellable notification; returns how many succeeded. */
export async function scanImages(ctx: HullcheckContext, view: TrivyView | undefined, refs: string[]): Promise<number> {
  if (!refs.length || !mayScan()) return 0;
  const results = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Trivy', cancellable: true },
    async (progress, token) => {
      const out: { ref: string; r: TrivyScanResult }[] = [];
      for (const [i, ref] of refs.entries()) {
        if (token.isCancellationRequested) break;
        progress.report({ message: refs.length > 1 ? `Scanning ${ref} (${i + 1} of ${refs.length})…` : `Scanning ${ref}…`, increment: i ? 100 / refs.length : 0 });
        try {
          out.push({ ref, r: await scanOne(ctx, ref, token) });
        } catch (e) {
          if (token.isCancellationRequested) break;
          out.push({ ref, r: { ok: false, kind: 'failed', error: (e as Error).message } });
        }
        const last = out[out.length - 1]?.r;
        // the same missing executable or untrusted state would fail every other image too
        if (last && !last.ok && (last.kind === 'not-installed' || last.kind === 'untrusted')) break;
      }
      return out;
    },
  );
  const failures = results.filter((x): x is { ref: string; r: Extract<TrivyScanResult, { ok: false }> } => !x.r.ok);
  for (const f of failures.slice(0, 3)) await reportFailure(f.r);
  const ok = results.length - failures.length;
  if (ok) {
    await view?.refresh();
    const counts = results.flatMap((x) => (x.r.ok ? [x.r.image.counts] : []))
      .reduce((n, c) => n + c.CRITICAL + c.HIGH, 0);
    void vscode.window.showInformationMessage(`Trivy scanned ${ok === 1 ? results.find((x) => x.r.ok)!.ref : `${ok} images`}: ${counts} critical or high vulnerabilit${counts === 1 ? 'y' : 'ies'}.`);
  }
  return ok;
}

/** An image reference as Trivy takes it: no spaces, not an option. */
export function validateRef(value: string): string | undefined {
  const v = value.trim();
  if (!v) return 'Enter an image reference such as alpine:3.20 or ghcr.io/org/app:1.2.';
  if (v.startsWith('-') || /\s/.test(v)) return 'An image reference has no spaces and does not start with "-".';
  return undefined;
}

export function registerTrivyScanCommands(ctx: HullcheckContext, view: () => TrivyView | undefined): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(SCAN_IMAGE_COMMAND, async (arg?: unknown) => {
      if (!mayScan()) return;
      const ref = typeof arg === 'string' ? arg : await vscode.window.showInputBox({
        title: 'Scan Image with Trivy', prompt: 'The image to scan (local or in a registry)', placeHolder: 'alpine:3.20',
        ignoreFocusOut: true, validateInput: validateRef,
      });
      if (ref) await scanImages(ctx, view(), [ref.trim()]);
    }),
    vscode.commands.registerCommand(RESCAN_IMAGE_COMMAND, async (node?: TrivyNode) => {
      const ref = node && node.kind !== 'message' ? node.image.image : undefined;
      if (ref) await scanImages(ctx, view(), [ref]);
      else await vscode.commands.executeCommand(SCAN_IMAGE_COMMAND);
    }),
    vscode.commands.registerCommand(SCAN_BUDGETED_COMMAND, async () => {
      if (!mayScan()) return;
      let refs: string[] = [];
      let fallbackWhy: string | undefined;
      try {
        const budgets = await ctx.request(ImageBudgetsRequest, {});
        refs = budgetedRefs(budgets);
        if (!refs.length) fallbackWhy = budgets.engine.status === 'connected' ? 'No image has a size budget' : `The Docker engine is not reachable (${budgets.engine.reason})`;
      } catch {
        fallbackWhy = 'Image budgets are not available';
      }
      if (fallbackWhy) {
        refs = reportRefs(view()?.loadedImages ?? []);
        if (!refs.length) {
          void vscode.window.showInformationMessage(`${fallbackWhy}, and no loaded Trivy report names an image. Use "Scan Image with Trivy…" instead.`);
          return;
        }
        void vscode.window.showInformationMessage(`${fallbackWhy}; scanning the ${refs.length} image${refs.length === 1 ? '' : 's'} named by loaded Trivy reports instead.`);
      }
      await scanImages(ctx, view(), refs);
    }),
  ];
}
