// *Hullcheck: Create Configuration* on the server side: scaffold a `.hullcheck.yaml` for a workspace folder (image
// sizes only from a trusted workspace's engine) and write it atomically once the user has seen and confirmed it.

import * as path from 'node:path';
import type { Connection } from 'vscode-languageserver/node';
import { CONFIG_NAMES } from '../config/hullcheckConfig';
import { writeFileAtomic } from '../core/atomicWrite';
import { nodeHost } from '../core/fileHost';
import { loadWorkspace } from '../docker/workspace';
import type { LocalImage } from '../docker/images';
import { scaffoldConfig } from '../init/scaffold';
import { pathToUri, uriToPath } from './documents';
import { ScaffoldConfigRequest, WriteConfigRequest, type ScaffoldConfigParams, type WriteConfigParams } from '../protocol/messages';

export interface InitConfigDeps {
  folders: () => string[];
  log: (m: string) => void;
  /** Local images, or undefined when the workspace is untrusted or the engine does not answer. */
  images: () => Promise<LocalImage[] | undefined>;
}

/** The workspace folder a URI names; anything else (a path outside the workspace) is refused. */
function workspaceFolder(deps: InitConfigDeps, uri: unknown): string | undefined {
  const p = typeof uri === 'string' ? uriToPath(uri) : undefined;
  return p ? deps.folders().find((f) => path.resolve(f) === path.resolve(p)) : undefined;
}

async function existingConfig(folder: string): Promise<string | undefined> {
  for (const n of CONFIG_NAMES) if ((await nodeHost.kind(path.join(folder, n))) !== 'missing') return path.join(folder, n);
  return undefined;
}

export function registerInitConfig(connection: Connection, deps: InitConfigDeps): void {
  connection.onRequest(ScaffoldConfigRequest.method, async (p: ScaffoldConfigParams) => {
    const folder = workspaceFolder(deps, p?.folderUri);
    if (!folder) return { error: 'Choose a folder of the workspace.' };
    try {
      const images = await deps.images();
      const text = await scaffoldConfig({ folder, host: nodeHost, model: await loadWorkspace(folder, nodeHost), images });
      const existing = await existingConfig(folder);
      return { text, existingUri: existing && pathToUri(existing), fromEngine: images !== undefined };
    } catch (e) {
      deps.log(`${ScaffoldConfigRequest.method} failed: ${(e as Error).stack ?? e}`);
      return { error: (e as Error).message };
    }
  });
  connection.onRequest(WriteConfigRequest.method, async (p: WriteConfigParams) => {
    const folder = workspaceFolder(deps, p?.folderUri);
    if (!folder || typeof p.text !== 'string') return { error: 'Choose a folder of the workspace.' };
    const existing = await existingConfig(folder);
    if (existing && p.replace !== true) return { error: `${path.basename(existing)} exists; it was not replaced.` };
    const target = existing ?? path.join(folder, CONFIG_NAMES[0]);
    try {
      await writeFileAtomic(target, p.text, { createOnly: !existing });
      return { uri: pathToUri(target) };
    } catch (e) {
      return { error: `Could not write ${path.basename(target)}: ${(e as Error).message}` };
    }
  });
}
