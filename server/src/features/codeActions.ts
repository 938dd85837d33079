// Code actions: each finding's fixes as quick fixes, "Disable <id> for this line", and source.fixAll.hullcheck.
// Fixes come from the diagnostic's data when its version is current; otherwise the document is linted again.

import {
  CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic, type Range, type TextEdit, type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { pathToFileURL } from 'node:url';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { safeFixesOf, selectFixes } from '../core/fixes';
import { RULES_BY_ID } from '../engine/linter';
import type { Fix } from '../core/findings';
import type { ParsedDockerfile } from '../parse/dockerfile';
import { mergeIgnore } from '../parse/pragma';
import type { ParsedCompose } from '../parse/compose';
import { composeDisableEdit } from './composeSuppressionEdit';
import type { DocumentStore } from './documents';
import { FIX_ALL_KIND, SOURCE, type DiagnosticData } from '../protocol/messages';
import type { LintService } from './linting';

function wants(only: string[] | undefined, kind: string): boolean {
  if (!only || only.length === 0) return kind !== FIX_ALL_KIND; // source actions only when asked for
  return only.some((o) => kind === o || kind.startsWith(o + '.'));
}

function overlaps(a: Range, b: Range): boolean {
  const before = (p: Range['start'], q: Range['start']) => p.line < q.line || (p.line === q.line && p.character <= q.character);
  return before(a.start, b.end) && before(b.start, a.end);
}

const sameRange = (a: Range, b: Range) => JSON.stringify(a) === JSON.stringify(b);

function isData(x: unknown): x is DiagnosticData {
  return !!x && typeof x === 'object' && typeof (x as DiagnosticData).version === 'number' && Array.isArray((x as DiagnosticData).fixes);
}

/** A fix as a workspace edit: text edits, plus a created file (e.g. a missing .dockerignore) when the fix makes one. */
function editOf(doc: TextDocument, fix: Fix): WorkspaceEdit {
  if (!fix.createFile) return { changes: { [doc.uri]: fix.edits } };
  const uri = pathToFileURL(fix.createFile.path).href;
  const zero = { line: 0, character: 0 };
  return {
    documentChanges: [
      { kind: 'create', uri, options: { ignoreIfExists: true } },
      { textDocument: { uri, version: null }, edits: [{ range: { start: zero, end: zero }, newText: fix.createFile.text }] },
      ...(fix.edits.length ? [{ textDocument: { uri: doc.uri, version: doc.version }, edits: fix.edits }] : []),
    ],
  };
}

export class CodeActionProvider {
  constructor(private readonly docs: DocumentStore, private readonly linter: LintService) {}

  async provide(params: CodeActionParams): Promise<CodeAction[]> {
    const doc = this.docs.get(params.textDocument.uri);
    if (!doc || !this.docs.languageOf(doc)) return [];
    const only = params.context.only;
    const actions: CodeAction[] = [];
    if (wants(only, CodeActionKind.QuickFix)) {
      for (const diag of params.context.diagnostics) {
        if (diag.source !== SOURCE || typeof diag.code !== 'string') continue;
        const fixes = await this.fixesFor(doc, diag, params.range);
        for (const fix of fixes) {
          actions.push({
            title: fix.title,
            kind: CodeActionKind.QuickFix,
            diagnostics: [diag],
            isPreferred: fix.safety === 'safe' && fixes.length === 1 ? true : undefined,
            edit: editOf(doc, fix),
          });
        }
        const disable = this.disableForLine(doc, diag);
        if (disable) actions.push(disable);
      }
    }
    if (wants(only, FIX_ALL_KIND)) {
      const fixAll = await this.fixAll(doc);
      if (fixAll) actions.push(fixAll);
    }
    return actions;
  }

  /** The diagnostic's fixes, recomputed when it was made for another version of the document. */
  private async fixesFor(doc: TextDocument, diag: Diagnostic, requested: Range): Promise<Fix[]> {
    if (isData(diag.data) && diag.data.version === doc.version) return diag.data.fixes;
    const outcome = await this.linter.lintDocument(doc);
    if (outcome.version !== doc.version) return [];
    const same = outcome.findings.filter((f) => f.rule === diag.code);
    const match = same.find((f) => sameRange(f.range, diag.range))
      ?? same.find((f) => overlaps(f.range, diag.range))
      ?? same.find((f) => overlaps(f.range, requested));
    return match?.fixes ?? [];
  }

  /** `# hullcheck ignore=<id>` above the instruction (compose: above the key), merged into an ignore comment already there. */
  private disableForLine(doc: TextDocument, diag: Diagnostic): CodeAction | undefined {
    const id = String(diag.code);
    if (!RULES_BY_ID.has(id)) return undefined;
    const entry = this.docs.parsedOf(doc);
    if (entry?.language === 'compose' && entry.parsed) {
      const edit = composeDisableEdit(entry.parsed as ParsedCompose, diag.range.start.line, id);
      return edit ? { title: `Disable ${id} for this line`, kind: CodeActionKind.QuickFix, diagnostics: [diag], edit: { changes: { [doc.uri]: [edit] } } } : undefined;
    }
    if (!entry || entry.language !== 'dockerfile' || !entry.parsed) return undefined;
    const parsed = entry.parsed as ParsedDockerfile;
    const instr = parsed.instructionAt(diag.range.start.line);
    if (!instr) return undefined;
    const line = instr.range.start.line;
    const indent = /^[ \t]*/.exec(parsed.index.lineText(line))?.[0] ?? '';
    let edit: TextEdit;
    const above = line > 0 ? parsed.index.lineText(line - 1) : '';
    const merge = mergeIgnore(above, id);
    if (merge.kind === 'listed') return undefined;
    if (merge.kind === 'append') {
      const at = { line: line - 1, character: merge.character };
      edit = { range: { start: at, end: at }, newText: merge.text };
    } else {
      const pos = { line, character: 0 };
      edit = { range: { start: pos, end: pos }, newText: `${indent}# hullcheck ignore=${id}${parsed.index.eol}` };
    }
    return {
      title: `Disable ${id} for this line`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diag],
      edit: { changes: { [doc.uri]: [edit] } },
    };
  }

  /** Every safe fix of the current findings whose edits do not overlap, as one edit. */
  private async fixAll(doc: TextDocument): Promise<CodeAction | undefined> {
    const outcome = await this.linter.lintDocument(doc);
    if (outcome.version !== doc.version) return undefined;
    const chosen = selectFixes(outcome.text, safeFixesOf(outcome.findings));
    if (chosen.length === 0) return undefined;
    return {
      title: 'Fix all safe Hullcheck problems',
      kind: FIX_ALL_KIND,
      edit: { changes: { [doc.uri]: chosen.flatMap((f) => f.edits) } },
    };
  }
}
