// Entry point of the Hullcheck language server process: a connection over the transport the client chose
// (IPC from VS Code, stdio elsewhere), the server setup, and crash guards. Everything else lives in lsp.ts.

import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { installCrashGuards, startHullcheckServer } from './lsp';

const connection = createConnection(ProposedFeatures.all);
installCrashGuards(connection);
startHullcheckServer(connection);
connection.listen();
