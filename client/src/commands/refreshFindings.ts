// "Hullcheck: Refresh Findings": lints the workspace again for the Findings view (its title-bar button).

import * as vscode from 'vscode';
import type { HullcheckView } from '../views/hullcheckView';

export const REFRESH_FINDINGS_COMMAND = 'hullcheck.refreshFindings';

export function registerRefreshFindings(views: HullcheckView[]): vscode.Disposable {
  return vscode.commands.registerCommand(REFRESH_FINDINGS_COMMAND, () => views.find((v) => v.id === 'hullcheck.findings')?.refresh());
}
