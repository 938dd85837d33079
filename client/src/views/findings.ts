// The Findings view: the workspace's findings grouped file -> rule -> finding, fed by hullcheck/workspaceFindings
// and refreshed when the server announces hullcheck/findingsChanged (while the view is visible).

import * as vscode from 'vscode';
import { RulesRequest, WorkspaceFindingsRequest, type FileFindings, type RuleInfo, type Severity, type WireFinding } from '../../../server/src/protocol/messages';
import type { HullcheckContext } from '../context';
import type { HullcheckView } from './hullcheckView';

type Node =
  | { kind: 'file'; file: FileFindings }
  | { kind: 'rule'; file: FileFindings; rule: string; findings: WireFinding[] }
  | { kind: 'finding'; file: FileFindings; finding: WireFinding };

const SEVERITY_ICON: Record<Severity, vscode.ThemeIcon> = {
  error: new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground')),
  warning: new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')),
  info: new vscode.ThemeIcon('info', new vscode.ThemeColor('problemsInfoIcon.foreground')),
  hint: new vscode.ThemeIcon('lightbulb'),
};

/** Coalesce bursts of findingsChanged (one per published document) into one workspace walk. */
const REFRESH_DELAY_MS = 400;

export class FindingsView implements HullcheckView, vscode.TreeDataProvider<Node> {
  static readonly id = 'hullcheck.findings';
  readonly id = FindingsView.id;
  private files: FileFindings[] = [];
  private rules = new Map<string, RuleInfo>();
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly tree: vscode.TreeView<Node>;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** Changes arrived while hidden: refresh when the view becomes visible. */
  private dirty = true;

  constructor(private readonly ctx: HullcheckContext) {
    this.tree = vscode.window.createTreeView(FindingsView.id, { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(
      this.tree,
      this.changed,
      this.tree.onDidChangeVisibility((e) => { if (e.visible && this.dirty) this.refresh(); }),
      ctx.onDidChangeFindings(() => this.scheduleRefresh()),
      ctx.onDidChangeServerState((s) => { if (s === 'running') this.scheduleRefresh(); }),
    );
  }

  scheduleRefresh(): void {
    this.dirty = true;
    if (!this.tree.visible) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.timer = undefined; this.refresh(); }, REFRESH_DELAY_MS);
  }

  async refresh(): Promise<void> {
    this.dirty = false;
    if (this.ctx.state !== 'running') return;
    try {
      if (this.rules.size === 0) {
        const rules = await this.ctx.request(RulesRequest, undefined);
        this.rules = new Map(rules.map((r) => [r.id, r]));
      }
      const result = this.tree.visible
        ? await vscode.window.withProgress({ location: { viewId: FindingsView.id } }, () => this.ctx.request(WorkspaceFindingsRequest, {}))
        : await this.ctx.request(WorkspaceFindingsRequest, {});
      this.files = result.files;
      const total = result.files.reduce((n, f) => n + f.findings.length, 0);
      this.tree.description = total ? `${total}` : undefined;
      this.tree.message = result.truncated ? 'Only the first files of this workspace were linted.' : undefined;
      this.changed.fire(undefined);
    } catch (e) {
      this.ctx.output.warn(`Refreshing the Findings view failed: ${(e as Error).message}`);
    }
  }

  getChildren(node?: Node): Node[] {
    if (!node) return this.files.map((file) => ({ kind: 'file', file }));
    if (node.kind === 'file') {
      const byRule = new Map<string, WireFinding[]>();
      for (const f of node.file.findings) byRule.set(f.rule, [...(byRule.get(f.rule) ?? []), f]);
      return [...byRule].map(([rule, findings]) => ({ kind: 'rule', file: node.file, rule, findings }));
    }
    if (node.kind === 'rule') return node.findings.map((finding) => ({ kind: 'finding', file: node.file, finding }));
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const uri = vscode.Uri.parse(node.file.uri);
    if (node.kind === 'file') {
      const item = new vscode.TreeItem(uri, vscode.TreeItemCollapsibleState.Expanded);
      item.label = vscode.workspace.asRelativePath(uri);
      item.description = `${node.file.findings.length}`;
      item.contextValue = 'hullcheck.file';
      return item;
    }
    if (node.kind === 'rule') {
      const item = new vscode.TreeItem(node.rule, vscode.TreeItemCollapsibleState.Expanded);
      const info = this.rules.get(node.rule);
      item.description = info ? `${info.title} (${node.findings.length})` : `${node.findings.length}`;
      item.tooltip = info?.title;
      item.iconPath = SEVERITY_ICON[worst(node.findings)];
      item.contextValue = info ? 'hullcheck.rule' : 'hullcheck.notice';
      // stable ids keep the expansion state across refreshes
      item.id = `${node.file.uri}#${node.rule}`;
      return item;
    }
    const f = node.finding;
    const item = new vscode.TreeItem(`Line ${f.range.start.line + 1}`, vscode.TreeItemCollapsibleState.None);
    item.description = f.message;
    item.tooltip = f.message;
    item.iconPath = SEVERITY_ICON[f.severity];
    const range = new vscode.Range(f.range.start.line, f.range.start.character, f.range.end.line, f.range.end.character);
    item.command = { title: 'Open', command: 'vscode.open', arguments: [uri, { selection: range } satisfies vscode.TextDocumentShowOptions] };
    item.contextValue = 'hullcheck.finding';
    return item;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.disposables.forEach((d) => d.dispose());
  }
}

const ORDER: Severity[] = ['error', 'warning', 'info', 'hint'];
function worst(findings: WireFinding[]): Severity {
  return ORDER.find((s) => findings.some((f) => f.severity === s)) ?? 'info';
}
