// Typed access to the `hullcheck.*` settings on the client side (the server pulls the same settings itself).

import * as vscode from 'vscode';
import { DEFAULT_SETTINGS, type HullcheckSettings, type RuleSettingValue, type TraceSetting } from '../../server/src/protocol/messages';

export const SECTION = 'hullcheck';

export function getSettings(scope?: vscode.ConfigurationScope): HullcheckSettings {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  return {
    enable: c.get<boolean>('enable', DEFAULT_SETTINGS.enable),
    rules: c.get<Record<string, RuleSettingValue>>('rules', {}),
    requiredLabels: c.get<string[]>('requiredLabels', []),
    allowRoot: c.get<string[]>('allowRoot', []),
    trace: { server: c.get<TraceSetting>('trace.server', 'off') },
  };
}

/** Fires when any `hullcheck.*` setting changes. */
export function onDidChangeSettings(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration(SECTION)) listener(); });
}

/** `hullcheck.trivy.*`. The executable comes from user settings only (machine scope): a workspace never chooses what runs. */
export function getTrivySettings(): { path: string | undefined; reports: string; severities: string[]; groupBy: 'severity' | 'introducedBy'; fixableOnly: boolean; vex: string[] } {
  const c = vscode.workspace.getConfiguration(SECTION);
  const exe = c.inspect<string>('trivy.path')?.globalValue;
  const reports = c.get<string>('trivy.reports', 'trivy-reports/*.json');
  const severities = c.get<string[]>('trivy.severities', []);
  return {
    path: typeof exe === 'string' && exe.trim() ? exe.trim() : undefined,
    reports: typeof reports === 'string' && reports.trim() ? reports.trim() : 'trivy-reports/*.json',
    severities: Array.isArray(severities) ? severities.filter((s) => typeof s === 'string') : [],
    groupBy: c.get<string>('trivy.groupBy') === 'introducedBy' ? 'introducedBy' : 'severity',
    fixableOnly: c.get<boolean>('trivy.fixableOnly') === true,
    vex: (c.get<unknown[]>('trivy.vex') ?? []).filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim()),
  };
}

/**
 * `hullcheck.trivy.reports` for one folder, and whether the value comes from the workspace (a `.vscode/settings.json`
 * the repository ships) rather than from the user: a workspace value is confined to the folder.
 */
export function trivyReportsGlob(folder: vscode.Uri): { glob: string; fromWorkspace: boolean } {
  const c = vscode.workspace.getConfiguration(SECTION, folder);
  const i = c.inspect<string>('trivy.reports');
  const fromWorkspace = i?.workspaceFolderValue !== undefined || i?.workspaceValue !== undefined;
  const raw = c.get<string>('trivy.reports', 'trivy-reports/*.json');
  return { glob: typeof raw === 'string' && raw.trim() ? raw.trim() : 'trivy-reports/*.json', fromWorkspace };
}

/** Whether a glob leaves the folder it is relative to (absolute, or climbing with `..`). */
export function globEscapes(glob: string): boolean {
  return /^([\\/]|[a-zA-Z]:)/.test(glob) || glob.split(/[\\/]+/).includes('..');
}
