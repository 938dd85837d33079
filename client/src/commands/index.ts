// Registers every Hullcheck command; one command per file in this folder.

import type * as vscode from 'vscode';
import type { HullcheckContext } from '../context';
import type { HullcheckView } from '../views';
import { registerFixAll } from './fixAll';
import { registerRefreshFindings } from './refreshFindings';
import { registerRestartServer } from './restartServer';
import { registerShowRuleDocs } from './showRuleDocs';

export function registerCommands(ctx: HullcheckContext, views: HullcheckView[]): vscode.Disposable[] {
  return [registerFixAll(), registerShowRuleDocs(ctx), registerRestartServer(ctx), registerRefreshFindings(views)];
}
