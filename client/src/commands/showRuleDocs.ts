// "Hullcheck: Show Rule Documentation": the rule page from hullcheck/ruleDocs in a Markdown preview.
// The rule is the argument (an id or a Findings tree node), else the Hullcheck diagnostic under the cursor, else a pick.

import * as vscode from 'vscode';
import { RuleDocsRequest, RulesRequest, SOURCE } from '../../../server/src/protocol/messages';
import type { HullcheckContext } from '../context';

export const SHOW_RULE_DOCS_COMMAND = 'hullcheck.showRuleDocs';
/** Read-only documents holding rule pages: hullcheck-docs:/<id>.md */
const SCHEME = 'hullcheck-docs';

function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (typeof c === 'string') return c;
  if (c && typeof c === 'object' && typeof c.value === 'string') return c.value;
  return undefined;
}

function ruleFromArgument(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object' && typeof (arg as { rule?: unknown }).rule === 'string') return (arg as { rule: string }).rule;
  return undefined;
}

function ruleUnderCursor(): string | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  const pos = editor.selection.active;
  const d = vscode.languages.getDiagnostics(editor.document.uri).find((x) => x.source === SOURCE && x.range.contains(pos));
  return d ? codeOf(d) : undefined;
}

async function pickRule(ctx: HullcheckContext): Promise<string | undefined> {
  const rules = await ctx.request(RulesRequest, undefined);
  const pick = await vscode.window.showQuickPick(
    rules.map((r) => ({ label: r.id, description: r.title, detail: `${r.language} · ${r.category} · default ${r.severity}` })),
    { title: 'Hullcheck rule documentation', matchOnDescription: true, placeHolder: 'Rule id or title' },
  );
  return pick?.label;
}

export function registerShowRuleDocs(ctx: HullcheckContext): vscode.Disposable {
  const provider: vscode.TextDocumentContentProvider = {
    async provideTextDocumentContent(uri) {
      const id = uri.path.replace(/^\//, '').replace(/\.md$/, '');
      const docs = await ctx.request(RuleDocsRequest, { id });
      return docs?.markdown ?? `# ${id}\n\nNo such Hullcheck rule.\n`;
    },
  };
  return vscode.Disposable.from(
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, provider),
    vscode.commands.registerCommand(SHOW_RULE_DOCS_COMMAND, async (arg?: unknown) => {
      try {
        const id = ruleFromArgument(arg) ?? ruleUnderCursor() ?? await pickRule(ctx);
        if (!id) return;
        const docs = await ctx.request(RuleDocsRequest, { id });
        if (!docs) {
          void vscode.window.showWarningMessage(`Hullcheck: no rule named ${id}.`);
          return;
        }
        await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.from({ scheme: SCHEME, path: `/${id}.md` }));
      } catch (e) {
        void vscode.window.showErrorMessage(`Hullcheck: ${(e as Error).message}`);
      }
    }),
  );
}
