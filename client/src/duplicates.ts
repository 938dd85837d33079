// Hullcheck beside Docker DX and Container Tools: tells the server which of them is active and which of Container
// Tools' diagnostics its settings turn off (it hides the findings they also report under `hullcheck.duplicates:
// auto`), and once per workspace offers to hide Hullcheck's duplicates for good or to open the other extension's
// settings.

import * as vscode from 'vscode';
import { PeerExtensionsNotification, type PeerExtensionsParams } from '../../server/src/protocol/messages';
import type { HullcheckContext } from './context';

const DOCKER_DX = ['docker.docker'];
const CONTAINER_TOOLS = ['ms-azuretools.vscode-containers', 'ms-azuretools.vscode-docker'];
const NOTICE_KEY = 'hullcheck.duplicatesNoticeShown';

const active = (ids: string[]) => ids.filter((id) => vscode.extensions.getExtension(id)?.isActive === true);

/**
 * Container Tools' diagnostics settings (what its Dockerfile server reads) and the dockerfile-utils codes each one
 * turns off; a code several settings feed counts as off when any of them is, so Hullcheck shows rather than loses it.
 */
const CONTAINER_TOOLS_SETTINGS = 'docker.languageserver.diagnostics';
const SETTING_CODES: Record<string, string> = {
  deprecatedMaintainer: 'DEPRECATED_MAINTAINER',
  emptyContinuationLine: 'EMPTY_CONTINUATION_LINE',
  instructionCasing: 'CASING_INSTRUCTION',
  instructionCmdMultiple: 'MULTIPLE_INSTRUCTIONS',
  instructionEntrypointMultiple: 'MULTIPLE_INSTRUCTIONS',
  instructionHealthcheckMultiple: 'MULTIPLE_INSTRUCTIONS',
  instructionWorkdirRelative: 'WORKDIR_IS_NOT_ABSOLUTE',
};

function containerToolsOff(): string[] {
  const config = vscode.workspace.getConfiguration(CONTAINER_TOOLS_SETTINGS);
  return [...new Set(Object.entries(SETTING_CODES).filter(([key]) => config.get(key) === 'ignore').map(([, code]) => code))].sort();
}

export function peerExtensions(): PeerExtensionsParams {
  const containerTools = active(CONTAINER_TOOLS).length > 0;
  return { dockerDx: active(DOCKER_DX).length > 0, containerTools, containerToolsOff: containerTools ? containerToolsOff() : [] };
}

async function offerOnce(ctx: HullcheckContext): Promise<void> {
  const peers = [...active(DOCKER_DX), ...active(CONTAINER_TOOLS)];
  if (!peers.length || ctx.extension.workspaceState.get(NOTICE_KEY)) return;
  await ctx.extension.workspaceState.update(NOTICE_KEY, true);
  const name = peers.map((id) => vscode.extensions.getExtension(id)?.packageJSON?.displayName ?? id).join(' and ');
  const hide = 'Always Hide Duplicates', open = `Open ${name} Settings`;
  const choice = await vscode.window.showInformationMessage(
    `${name} reports some of the same Dockerfile facts as Hullcheck. Hullcheck hides those findings while it is active (hullcheck.duplicates: auto).`,
    hide, open);
  if (choice === hide) await vscode.workspace.getConfiguration('hullcheck').update('duplicates', 'hide', vscode.ConfigurationTarget.Workspace);
  else if (choice === open) await vscode.commands.executeCommand('workbench.action.openSettings', `@ext:${peers[0]}`);
}

export function registerDuplicates(ctx: HullcheckContext): vscode.Disposable {
  let last = '';
  const send = (force: boolean) => {
    const peers = peerExtensions();
    const key = JSON.stringify(peers);
    if (!force && key === last) return;
    last = key;
    ctx.notify(PeerExtensionsNotification, peers);
    void offerOnce(ctx);
  };
  return vscode.Disposable.from(
    ctx.onDidChangeServerState((s) => { if (s === 'running') send(true); }),
    vscode.extensions.onDidChange(() => send(false)),
    vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration(CONTAINER_TOOLS_SETTINGS)) send(false); }),
    // the other extensions activate on their own schedule; their first diagnostics show they are running
    vscode.languages.onDidChangeDiagnostics(() => send(false)),
  );
}
