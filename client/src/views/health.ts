// The Container Health view: containers grouped by compose project with a health icon and failing streak,
// probe runs as children. Fed by hullcheck/health and refreshed on hullcheck/dockerChanged (container events).

import * as vscode from 'vscode';
import { DockerChangedNotification, HealthRequest, type ContainerHealthItem, type DockerChangedParams, type HealthResult, type ProbeRun } from '../../../server/src/protocol/dockerMessages';
import type { HullcheckContext } from '../context';
import type { HullcheckView } from './hullcheckView';

export type HealthNode =
  | { kind: 'project'; project: string | null; containers: ContainerHealthItem[] }
  | { kind: 'container'; c: ContainerHealthItem }
  | { kind: 'run'; run: ProbeRun };

const ICON: Record<ContainerHealthItem['health'], vscode.ThemeIcon> = {
  healthy: new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed')),
  unhealthy: new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground')),
  starting: new vscode.ThemeIcon('sync~spin'),
  none: new vscode.ThemeIcon('circle-outline'),
};

export class HealthView implements HullcheckView, vscode.TreeDataProvider<HealthNode> {
  static readonly id = 'hullcheck.containerHealth';
  readonly id = HealthView.id;
  private data: HealthResult | undefined;
  private readonly changed = new vscode.EventEmitter<HealthNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly tree: vscode.TreeView<HealthNode>;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private dirty = true;

  constructor(private readonly ctx: HullcheckContext) {
    this.tree = vscode.window.createTreeView(HealthView.id, { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(this.tree, this.changed,
      this.tree.onDidChangeVisibility((e) => { if (e.visible && this.dirty) void this.refresh(); }),
      ctx.onDidReceiveDockerNotification((n) => {
        if (n.method !== DockerChangedNotification.method) return;
        const what = (n.params as DockerChangedParams).what;
        if (what === 'containers' || what === 'engine') this.schedule();
      }),
      ctx.onDidChangeServerState((s) => { if (s === 'running') this.schedule(); }));
  }

  private schedule(): void {
    this.dirty = true;
    if (!this.tree.visible || this.timer) return;
    this.timer = setTimeout(() => { this.timer = undefined; void this.refresh(); }, 200);
  }

  async refresh(): Promise<void> {
    this.dirty = false;
    if (this.ctx.state !== 'running') return;
    try {
      this.data = await this.ctx.request(HealthRequest, undefined);
      const connected = this.data.engine.status === 'connected';
      this.tree.message = connected ? undefined : this.data.engine.reason;
      const bad = this.data.projects.flatMap((p) => p.containers).filter((c) => c.health === 'unhealthy').length;
      this.tree.description = bad ? `${bad} unhealthy` : undefined;
      this.changed.fire(undefined);
    } catch (e) {
      this.ctx.output.warn(`Refreshing Container Health failed: ${(e as Error).message}`);
    }
  }

  getChildren(node?: HealthNode): HealthNode[] {
    if (!this.data || this.data.engine.status !== 'connected') return [];
    if (!node) return this.data.projects.map((p) => ({ kind: 'project', project: p.project, containers: p.containers }));
    if (node.kind === 'project') return node.containers.map((c) => ({ kind: 'container', c }));
    if (node.kind === 'container') return node.c.runs.map((run) => ({ kind: 'run', run }));
    return [];
  }

  getTreeItem(node: HealthNode): vscode.TreeItem {
    if (node.kind === 'project') {
      const t = new vscode.TreeItem(node.project ?? 'Other containers', vscode.TreeItemCollapsibleState.Expanded);
      t.id = `project:${node.project ?? ''}`;
      t.iconPath = new vscode.ThemeIcon(node.project ? 'layers' : 'package');
      t.description = `${node.containers.length}`;
      return t;
    }
    if (node.kind === 'container') {
      const c = node.c;
      const t = new vscode.TreeItem(c.service ?? c.name, c.runs.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
      t.id = `container:${c.id}`;
      t.iconPath = ICON[c.health];
      t.description = `${c.health === 'none' ? c.state : c.health}${c.failingStreak ? ` · failing ${c.failingStreak}×` : ''} · ${c.image}`;
      const hc = c.healthcheck;
      t.tooltip = new vscode.MarkdownString(`**${c.name}** (${c.state})\n\n${hc ? `\`${hc.test.join(' ')}\`\n\ninterval ${hc.interval ?? 'default'}, timeout ${hc.timeout ?? 'default'}, start period ${hc.startPeriod ?? 'none'}, retries ${hc.retries ?? 'default'}` : 'No healthcheck.'}`);
      t.contextValue = c.healthcheckUri ? 'hullcheck.container.withHealthcheck' : 'hullcheck.container';
      return t;
    }
    const r = node.run;
    const t = new vscode.TreeItem(`exit ${r.exitCode}`, vscode.TreeItemCollapsibleState.None);
    const when = new Date(r.end).toLocaleTimeString();
    const firstLine = r.output.trim().split('\n')[0].slice(0, 80);
    t.description = `${when} · ${firstLine || 'no output'}`;
    t.tooltip = r.output || '(no output)';
    t.accessibilityInformation = { label: `Probe at ${when} exited ${r.exitCode}: ${firstLine || 'no output'}` };
    t.iconPath = new vscode.ThemeIcon(r.exitCode === 0 ? 'check' : 'close');
    return t;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.disposables.forEach((d) => d.dispose());
  }
}
