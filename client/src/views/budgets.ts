// The Image Budgets view: budgeted images worst first with over/under icons, their layers (click opens the
// Dockerfile line), unbudgeted local images in a group, budgets with no image, and wasted bytes on demand.
// Fed by hullcheck/imageBudgets; refreshed on hullcheck/dockerChanged while visible.

import * as vscode from 'vscode';
import { DockerChangedNotification, ImageBudgetsRequest, type DockerChangedParams, type ImageBudgetItem, type ImageBudgetsResult, type LayerItem } from '../../../server/src/protocol/dockerMessages';
import { formatChangeSize, formatSize as formatBytes, sinceRecorded } from '../../../server/src/core/size';
import type { HullcheckContext } from '../context';
import type { HullcheckView } from './hullcheckView';

export type BudgetNode =
  | { kind: 'image'; item: ImageBudgetItem }
  | { kind: 'layer'; item: ImageBudgetItem; layer: LayerItem; index: number }
  | { kind: 'group'; items: ImageBudgetItem[] }
  | { kind: 'missing'; key: string; budgetText: string; file: string }
  | { kind: 'wasted'; item: ImageBudgetItem };

export class BudgetsView implements HullcheckView, vscode.TreeDataProvider<BudgetNode> {
  static readonly id = 'hullcheck.imageBudgets';
  readonly id = BudgetsView.id;
  private data: ImageBudgetsResult | undefined;
  private readonly changed = new vscode.EventEmitter<BudgetNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly tree: vscode.TreeView<BudgetNode>;
  private readonly disposables: vscode.Disposable[] = [];
  private dirty = true;

  constructor(private readonly ctx: HullcheckContext) {
    this.tree = vscode.window.createTreeView(BudgetsView.id, { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(this.tree, this.changed,
      this.tree.onDidChangeVisibility((e) => { if (e.visible && this.dirty) void this.refresh(); }),
      ctx.onDidReceiveDockerNotification((n) => {
        if (n.method !== DockerChangedNotification.method) return;
        const what = (n.params as DockerChangedParams).what;
        if (what === 'images' || what === 'engine') this.markDirty();
      }),
      ctx.onDidChangeServerState((s) => { if (s === 'running') this.markDirty(); }));
  }

  private markDirty(): void {
    this.dirty = true;
    if (this.tree.visible) void this.refresh();
  }

  async refresh(wastedFor?: string): Promise<void> {
    this.dirty = false;
    if (this.ctx.state !== 'running') return;
    try {
      const data = await vscode.window.withProgress({ location: { viewId: BudgetsView.id } }, () => this.ctx.request(ImageBudgetsRequest, { wastedFor }));
      this.data = data;
      const connected = data.engine.status === 'connected';
      void vscode.commands.executeCommand('setContext', 'hullcheck.engineConnected', connected);
      this.tree.message = connected ? undefined : data.engine.reason;
      const over = data.budgeted.filter((i) => i.over).length;
      this.tree.description = over ? `${over} over budget` : undefined;
      this.changed.fire(undefined);
    } catch (e) {
      this.ctx.output.warn(`Refreshing Image Budgets failed: ${(e as Error).message}`);
    }
  }

  getChildren(node?: BudgetNode): BudgetNode[] {
    const d = this.data;
    if (!d || d.engine.status !== 'connected') return [];
    if (!node) {
      const out: BudgetNode[] = d.budgeted.map((item) => ({ kind: 'image', item }));
      out.push(...d.missing.map((m) => ({ kind: 'missing' as const, ...m })));
      if (d.unbudgeted.length) out.push({ kind: 'group', items: d.unbudgeted });
      return out;
    }
    if (node.kind === 'group') return node.items.map((item) => ({ kind: 'image', item }));
    if (node.kind === 'image') {
      const layers: BudgetNode[] = node.item.layers.map((layer, index) => ({ kind: 'layer', item: node.item, layer, index }));
      return [{ kind: 'wasted', item: node.item }, ...layers];
    }
    return [];
  }

  getTreeItem(node: BudgetNode): vscode.TreeItem {
    switch (node.kind) {
      case 'image': {
        const i = node.item;
        const t = new vscode.TreeItem(i.service ? `${i.service} (${i.ref})` : i.ref, vscode.TreeItemCollapsibleState.Collapsed);
        t.id = `image:${i.id}:${i.ref}`;
        const size = i.budget !== undefined ? `${formatBytes(i.size)} / ${i.budgetText} (${i.percent}%)` : formatBytes(i.size);
        t.description = i.recorded ? `${size} · ${sinceRecorded(i.recorded.change)}` : size;
        t.iconPath = i.budget === undefined ? new vscode.ThemeIcon('package')
          : i.over ? new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'))
            : new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
        const steps = i.recorded?.steps?.slice(0, 5).map((s) => `\n  ${formatChangeSize(s.change)}  ${s.label}${s.line !== undefined ? ` (line ${s.line + 1})` : ''}`).join('') ?? '';
        const since = i.recorded ? `\n${sinceRecorded(i.recorded.change)} (recorded: ${formatBytes(i.recorded.bytes)})${steps}` : '';
        t.tooltip = `${i.ref}\n${i.tags.join(', ')}\n${i.over ? 'Over' : 'Within'} budget${i.budgetKey ? ` ${i.budgetKey}` : ''}${since}`;
        t.contextValue = 'hullcheck.image';
        if (i.dockerfileUri && i.fromLine !== undefined) t.command = openAt(i.dockerfileUri, i.fromLine);
        return t;
      }
      case 'layer': {
        const l = node.layer;
        const t = new vscode.TreeItem(formatBytes(l.size), vscode.TreeItemCollapsibleState.None);
        t.description = `${l.base ? '(base) ' : ''}${l.short}${l.wasted ? ` · hides ${formatBytes(l.wasted)}` : ''}`;
        t.tooltip = l.short;
        t.iconPath = new vscode.ThemeIcon(l.base ? 'layers' : l.size > 0 ? 'layers-active' : 'symbol-property');
        if (l.uri && l.line !== undefined) t.command = openAt(l.uri, l.line);
        return t;
      }
      case 'wasted': {
        const w = node.item.wastedBytes;
        const t = new vscode.TreeItem(w === undefined ? 'Wasted bytes: not computed' : `Wasted bytes: ${formatBytes(w)}`, vscode.TreeItemCollapsibleState.None);
        t.description = w === undefined ? 'click to stream the image and compute' : node.item.topWasted?.slice(0, 3).map((x) => `${x.path} ${formatBytes(x.bytes)}`).join(', ');
        t.iconPath = new vscode.ThemeIcon('trash');
        if (w === undefined) t.command = { title: 'Compute Wasted Bytes', command: 'hullcheck.computeWasted', arguments: [node.item.id] };
        return t;
      }
      case 'group': {
        const t = new vscode.TreeItem('Unbudgeted local images', vscode.TreeItemCollapsibleState.Collapsed);
        t.description = `${node.items.length}`;
        t.iconPath = new vscode.ThemeIcon('folder');
        return t;
      }
      case 'missing': {
        const t = new vscode.TreeItem(node.key, vscode.TreeItemCollapsibleState.None);
        t.description = `budget ${node.budgetText} · no local image`;
        t.iconPath = new vscode.ThemeIcon('circle-outline');
        t.command = openAt(vscode.Uri.file(node.file).toString(), 0);
        return t;
      }
    }
  }

  dispose(): void { this.disposables.forEach((d) => d.dispose()); }
}

export function openAt(uri: string, line: number): vscode.Command {
  const range = new vscode.Range(line, 0, line, 0);
  return { title: 'Open', command: 'vscode.open', arguments: [vscode.Uri.parse(uri), { selection: range } satisfies vscode.TextDocumentShowOptions] };
}
