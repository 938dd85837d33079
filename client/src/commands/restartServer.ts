// "Hullcheck: Restart Server": stops and starts the language server (after an update or a stuck state).

import * as vscode from 'vscode';
import type { HullcheckContext } from '../context';

export const RESTART_SERVER_COMMAND = 'hullcheck.restartServer';

export function registerRestartServer(ctx: HullcheckContext): vscode.Disposable {
  return vscode.commands.registerCommand(RESTART_SERVER_COMMAND, () => ctx.restart());
}
