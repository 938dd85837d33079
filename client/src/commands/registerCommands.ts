// Registers every Hullcheck command; one command per file in this folder.

import type * as vscode from 'vscode';
import type { HullcheckContext } from '../context';
import type { HullcheckView } from '../views/hullcheckView';
import { registerFixAll } from './fixAll';
import { registerRefreshFindings } from './refreshFindings';
import { registerRestartServer } from './restartServer';
import { registerShowRuleDocs } from './showRuleDocs';
import { registerBuildImage } from './buildImage';
import { registerDockerActions } from './dockerActions';
import { registerValidateImage } from './validateImage';
import { registerTrivyCommands } from './trivy';
import { registerRunSmokeTest } from './smoke';
import { registerCreateConfiguration } from './createConfig';
import { TrivyView } from '../views/trivy';

export function registerCommands(ctx: HullcheckContext, views: HullcheckView[]): vscode.Disposable[] {
  return [registerFixAll(), registerShowRuleDocs(ctx), registerRestartServer(ctx), registerRefreshFindings(views),
    registerBuildImage(ctx), registerValidateImage(ctx), registerRunSmokeTest(ctx), registerCreateConfiguration(ctx), ...registerDockerActions(ctx, views),
    ...registerTrivyCommands(ctx, () => views.find((v): v is TrivyView => v instanceof TrivyView))];
}
