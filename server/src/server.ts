// Entry point of the Hullcheck language server process: a connection over the transport the client chose
// (IPC from VS Code, stdio elsewhere), the server setup, and crash guards. Everything else lives in lsp.ts.
// Started as a worker thread with the large-lint flag, the same script lints one large document instead.

import { isMainThread, workerData } from 'node:worker_threads';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { installCrashGuards, startHullcheckServer } from './lsp';
import { runLargeLintWorker, WORKER_FLAG } from './features/largeLintWorker';

if (!isMainThread && (workerData as Record<string, unknown> | null)?.[WORKER_FLAG]) {
  void runLargeLintWorker();
} else {
  const connection = createConnection(ProposedFeatures.all);
  installCrashGuards(connection);
  startHullcheckServer(connection);
  connection.listen();
}
