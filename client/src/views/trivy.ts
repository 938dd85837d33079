// The Vulnerabilities view: Trivy reports loaded by the server (hullcheck/trivyResults) as image -> severity ->
// finding, with secret and misconfiguration groups and a severity filter kept in workspace state. It refreshes
// when the server announces hullcheck/trivyResultsChanged and when report or ignore files change.

import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { TrivyResultsRequest, type TrivyImageGroup, type TrivySeverityName } from '../../../server/src/protocol/trivyMessages';
import { getTrivySettings, globEscapes, trivyReportsGlob } from '../config';
import type { HullcheckContext } from '../context';
import type { HullcheckView } from './hullcheckView';
import {
  buildTree, countsDescription, originDescription, filterDescription, findingLabel, normalizeSeverities, titleCase, type TrivyNode,
} from './trivyModel';

const FILTER_STATE_KEY = 'hullcheck.trivy.severityFilter';
const OPENED_STATE_KEY = 'hullcheck.trivy.openedReports';
/** Context key for the welcome content: no trivy executable found. */
const MISSING_KEY = 'hullcheck.trivyMissing';
const REFRESH_DELAY_MS = 300;

const SEVERITY_ICON: Record<TrivySeverityName, vscode.ThemeIcon> = {
  CRITICAL: new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground')),
  HIGH: new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsErrorIcon.foreground')),
  MEDIUM: new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')),
  LOW: new vscode.ThemeIcon('info', new vscode.ThemeColor('problemsInfoIcon.foreground')),
  UNKNOWN: new vscode.ThemeIcon('question'),
};

/** Whether an executable exists: an absolute path, or a bare name found on PATH. */
export async function findExecutable(exe: string): Promise<string | undefined> {
  const names = process.platform === 'win32' && !/\.\w+$/.test(exe) ? [`${exe}.exe`, `${exe}.cmd`, exe] : [exe];
  const dirs = path.isAbsolute(exe) ? [''] : (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const dir of dirs) {
    for (const name of names) {
      const full = dir ? path.join(dir, name) : name;
      try { await access(full, process.platform === 'win32' ? constants.F_OK : constants.X_OK); return full; } catch { /* next */ }
    }
  }
  return undefined;
}

export class TrivyView implements HullcheckView, vscode.TreeDataProvider<TrivyNode> {
  static readonly id = 'hullcheck.vulnerabilities';
  readonly id = TrivyView.id;
  private images: TrivyImageGroup[] = [];
  private nodes: TrivyNode[] = [];
  private readonly changed = new vscode.EventEmitter<TrivyNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly tree: vscode.TreeView<TrivyNode>;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private dirty = true;
  private reportWatcher: vscode.FileSystemWatcher | undefined;

  constructor(private readonly ctx: HullcheckContext) {
    this.tree = vscode.window.createTreeView(TrivyView.id, { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(
      this.tree,
      this.changed,
      this.tree.onDidChangeVisibility((e) => { if (e.visible && this.dirty) void this.refresh(); }),
      ctx.onDidChangeTrivyResults(() => this.scheduleRefresh()),
      ctx.onDidChangeServerState((s) => { if (s === 'running') this.scheduleRefresh(); }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('hullcheck.trivy.reports') || e.affectsConfiguration('hullcheck.trivy.vex')) this.watchReports();
        if (e.affectsConfiguration('hullcheck.trivy')) this.scheduleRefresh();
      }),
    );
    this.watchReports();
    this.updateTitle();
  }

  /** The severities shown (all of them until the user filters). */
  get severities(): TrivySeverityName[] {
    return normalizeSeverities(this.ctx.extension.workspaceState.get(FILTER_STATE_KEY));
  }

  async setSeverities(severities: TrivySeverityName[]): Promise<void> {
    await this.ctx.extension.workspaceState.update(FILTER_STATE_KEY, normalizeSeverities(severities));
    this.rebuild();
  }

  /** The selected rows (commands run from the palette act on them). */
  get selection(): readonly TrivyNode[] { return this.tree.selection; }

  /** The images currently listed (for commands such as "Scan All Budgeted Images"). */
  get loadedImages(): readonly TrivyImageGroup[] { return this.images; }

  /** Remember a report the user opened, so it stays listed in this workspace. */
  async addOpenedReport(uri: vscode.Uri): Promise<void> {
    const opened = this.openedReports();
    if (!opened.includes(uri.toString())) await this.ctx.extension.workspaceState.update(OPENED_STATE_KEY, [...opened, uri.toString()]);
    await this.refresh();
  }

  private openedReports(): string[] {
    const raw = this.ctx.extension.workspaceState.get<unknown>(OPENED_STATE_KEY);
    return Array.isArray(raw) ? raw.filter((u): u is string => typeof u === 'string') : [];
  }

  /** Report and ignore file changes refresh the view; the server caches reports by modification time. */
  private watchReports(): void {
    this.reportWatcher?.dispose();
    const { reports: glob, vex } = getTrivySettings();
    // VEX documents are named relative to a folder: watch that name in every folder
    const vexGlobs = vex.filter((v) => !globEscapes(v)).map((v) => `**/${v.replace(/^\.\//, '').replace(/[{}[\]*?,]/g, '?')}`);
    const pattern = `{${[glob.includes('/') || glob.startsWith('**') ? glob : `**/${glob}`, '**/trivy-reports/**/*.json', '**/.trivyignore', '**/.trivyignore.yaml', '**/.trivyignore.yml', ...vexGlobs].join(',')}}`;
    const w = vscode.workspace.createFileSystemWatcher(pattern);
    w.onDidCreate(() => this.scheduleRefresh());
    w.onDidChange(() => this.scheduleRefresh());
    w.onDidDelete(() => this.scheduleRefresh());
    this.reportWatcher = w;
  }

  scheduleRefresh(): void {
    this.dirty = true;
    if (!this.tree.visible) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.timer = undefined; void this.refresh(); }, REFRESH_DELAY_MS);
  }

  async refresh(): Promise<void> {
    this.dirty = false;
    void this.checkInstalled();
    if (this.ctx.state !== 'running') return;
    try {
      const reports = [...new Set([...this.openedReports(), ...(await this.settingReports())])];
      const load = () => this.ctx.request(TrivyResultsRequest, { reports });
      const result = this.tree.visible ? await vscode.window.withProgress({ location: { viewId: TrivyView.id } }, load) : await load();
      this.images = result.images;
      for (const e of result.errors) this.ctx.output.warn(e);
      this.rebuild();
    } catch (e) {
      this.ctx.output.warn(`Refreshing the Vulnerabilities view failed: ${(e as Error).message}`);
    }
  }

  /** Files matching `hullcheck.trivy.reports` in every folder (the server also reads `.hullcheck.yaml`'s globs itself). */
  private async settingReports(): Promise<string[]> {
    const out: string[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const { glob, fromWorkspace } = trivyReportsGlob(folder.uri);
      // a value the repository set is read inside its folder only; the user's own setting may point anywhere
      if (fromWorkspace && globEscapes(glob)) {
        this.ctx.output.warn(`hullcheck.trivy.reports: ${glob} is outside the project, so it is not read.`);
        continue;
      }
      const found = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, glob), '**/node_modules/**', 200);
      const base = folder.uri.path.endsWith('/') ? folder.uri.path : `${folder.uri.path}/`;
      out.push(...found.filter((u) => !fromWorkspace || u.path.startsWith(base)).map((u) => u.toString()));
    }
    return out.sort();
  }

  private async checkInstalled(): Promise<void> {
    const exe = getTrivySettings().path ?? 'trivy';
    const missing = !(await findExecutable(exe));
    await vscode.commands.executeCommand('setContext', MISSING_KEY, missing);
  }

  private rebuild(): void {
    const settings = getTrivySettings();
    this.nodes = buildTree(this.images, this.severities, settings.groupBy, settings.fixableOnly);
    this.updateTitle();
    this.changed.fire(undefined);
  }

  private updateTitle(): void {
    const filter = filterDescription(this.severities);
    const total = this.nodes.reduce((n, node) => n + (node.kind === 'image' ? node.shown : 0), 0);
    this.tree.description = [filter, this.images.length ? `${total}` : ''].filter(Boolean).join(' · ') || undefined;
    void vscode.commands.executeCommand('setContext', 'hullcheck.trivyFiltered', !!filter);
  }

  getChildren(node?: TrivyNode): TrivyNode[] {
    return node ? node.children : this.nodes;
  }

  getParent(): undefined {
    return undefined;
  }

  getTreeItem(node: TrivyNode): vscode.TreeItem {
    const { Collapsed, Expanded, None } = vscode.TreeItemCollapsibleState;
    switch (node.kind) {
      case 'image': {
        const item = new vscode.TreeItem(node.image.image || path.basename(node.image.source), Expanded);
        item.id = node.key;
        item.description = countsDescription(node.image);
        item.iconPath = new vscode.ThemeIcon(node.image.artifactType === 'container_image' ? 'package' : 'folder');
        const warnings = node.image.warnings.length ? `\n\n${node.image.warnings.map((w) => `- ${w}`).join('\n')}` : '';
        item.tooltip = new vscode.MarkdownString(`**${node.image.image}** (${node.image.artifactType || 'artifact'})\n\nFrom ${node.image.origin === 'scan' ? 'a scan in this session' : `\`${node.image.source}\``}${warnings}`);
        item.contextValue = node.image.artifactType === 'container_image' ? 'hullcheck.trivyImage' : 'hullcheck.trivyArtifact';
        if (node.image.origin === 'file') item.resourceUri = vscode.Uri.file(node.image.source);
        return item;
      }
      case 'severity': {
        const item = new vscode.TreeItem(titleCase(node.severity), Collapsed);
        item.id = node.key;
        item.description = `${node.children.length}${node.fixable ? ` · ${node.fixable} fixable` : ''}`;
        item.iconPath = SEVERITY_ICON[node.severity];
        item.contextValue = 'hullcheck.trivySeverity';
        return item;
      }
      case 'origin': {
        const item = new vscode.TreeItem(node.label, Collapsed);
        item.id = node.key;
        item.description = originDescription(node);
        item.iconPath = new vscode.ThemeIcon('layers');
        item.contextValue = 'hullcheck.trivyOrigin';
        return item;
      }
      case 'group': {
        const item = new vscode.TreeItem(node.group === 'secrets' ? 'Secrets' : 'Misconfigurations', Collapsed);
        item.id = node.key;
        item.description = `${node.children.length}`;
        item.iconPath = new vscode.ThemeIcon(node.group === 'secrets' ? 'key' : 'gear');
        item.contextValue = 'hullcheck.trivyGroup';
        return item;
      }
      case 'finding': return this.findingItem(node);
      default: {
        const item = new vscode.TreeItem(node.text, None);
        item.id = node.key;
        return item;
      }
    }
  }

  private findingItem(node: TrivyNode & { kind: 'finding' }): vscode.TreeItem {
    const f = node.finding;
    const { label, description } = findingLabel(f);
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
    item.id = node.key;
    item.description = description;
    // a wrench marks "a fixed version exists": upgrading the package clears the finding
    item.iconPath = f.ignored ? new vscode.ThemeIcon('eye-closed')
      : f.vex ? new vscode.ThemeIcon('pass', new vscode.ThemeColor('charts.green'))
      : f.fixed ? new vscode.ThemeIcon('wrench', new vscode.ThemeColor('charts.green'))
        : SEVERITY_ICON[f.severity];
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${f.id}** · ${titleCase(f.severity)}${f.ignored ? ' · ignored by the ignore file' : ''}\n\n`);
    if (f.vex) md.appendText(`VEX (${f.vex.source}): ${f.vex.summary}\n\n`);
    if (f.title) md.appendText(`${f.title}\n\n`);
    if (f.pkg) md.appendMarkdown(`Package \`${f.pkg}\` ${f.installed ?? ''}${f.fixed ? ` — fixed in \`${f.fixed}\`` : ' — no fixed version yet'}\n\n`);
    md.appendText(`Target: ${f.target}`);
    item.tooltip = md;
    item.contextValue = `hullcheck.trivyFinding${f.url ? '.link' : ''}`;
    return item;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.reportWatcher?.dispose();
    this.disposables.forEach((d) => d.dispose());
  }
}
