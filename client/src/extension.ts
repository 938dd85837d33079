// Extension entry point: builds the context, registers views, commands and the status bar, starts the server.
// No analysis happens here; all data comes from the language server.

import type * as vscode from 'vscode';
import { registerCommands } from './commands';
import { HullcheckContext } from './context';
import { registerStatusBar } from './status';
import { registerViews } from './views';

let context: HullcheckContext | undefined;

export async function activate(extension: vscode.ExtensionContext): Promise<void> {
  const ctx = new HullcheckContext(extension);
  context = ctx;
  const views = registerViews(ctx);
  ctx.push(...registerCommands(ctx, views), registerStatusBar(ctx));
  await ctx.start();
}

export async function deactivate(): Promise<void> {
  const ctx = context;
  context = undefined;
  await ctx?.dispose();
}
