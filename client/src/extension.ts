// Extension entry point: builds the context, registers views, commands and the status bar, and starts the server
// in the background.
// No analysis happens here; all data comes from the language server.

import type * as vscode from 'vscode';
import { registerCommands } from './commands/registerCommands';
import { HullcheckContext } from './context';
import { registerStatusBar } from './status';
import { registerDuplicates } from './duplicates';
import { registerViews } from './views/registerViews';

let context: HullcheckContext | undefined;

/** What activate() returns (the extension's exports). */
export interface HullcheckApi {
  /** Settles once the server has started: true when it is running, false when it failed to start (the log says why). */
  serverReady: Promise<boolean>;
}

export async function activate(extension: vscode.ExtensionContext): Promise<HullcheckApi> {
  const ctx = new HullcheckContext(extension);
  context = ctx;
  const views = registerViews(ctx);
  ctx.push(...registerCommands(ctx, views), registerStatusBar(ctx), registerDuplicates(ctx));
  // Activation does not wait for the server process: commands and views exist at once, views fill in when the
  // server reports running, and requests made before that wait for the start.
  return { serverReady: ctx.startInBackground().then(() => ctx.state === 'running') };
}

export async function deactivate(): Promise<void> {
  const ctx = context;
  context = undefined;
  await ctx?.dispose();
}
