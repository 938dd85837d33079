// The fuzz properties over the language server's code-action path, in memory: open the case, ask for code actions
// on every diagnostic (and fix-all), check every edit, apply one, and make sure the server still answers.

import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-protocol';
import { applyEdits, LineIndex } from '../../server/src/core/text';
import { TestClient, type Published } from '../server/harness';
import { editProblems, rangeProblems, type FuzzCase } from './props';
import { LANGUAGE_IDS } from './seeds';
import { FIX_ALL_KIND } from '../../server/src/protocol/messages';

const TIMEOUT_MS = 10_000;
/** Diagnostics asked about one by one; the rest go in one request (each request costs a round trip). */
const ONE_BY_ONE = 40;
/** A fresh server now and then keeps the per-document bookkeeping of thousands of closed documents out of the way. */
const CASES_PER_SERVER = 2000;

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms); });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** The text edits an action makes to `uri` (plain changes or document changes). */
function editsFor(action: CodeAction, uri: string): TextEdit[] {
  const out: TextEdit[] = [...(action.edit?.changes?.[uri] ?? [])];
  for (const dc of action.edit?.documentChanges ?? []) {
    if ('textDocument' in dc && dc.textDocument.uri === uri) out.push(...(dc.edits as TextEdit[]));
  }
  return out;
}

export class LspFuzzer {
  private client: TestClient | undefined;
  private served = 0;
  private counter = 0;

  private async ready(): Promise<TestClient> {
    if (this.client && this.served < CASES_PER_SERVER) return this.client;
    this.client?.dispose();
    const client = new TestClient();
    // ShellCheck runs as a separate process after the rules; it is fuzzed by its own tests, not here
    client.settings = { shellcheck: { enable: false } };
    await client.initialize([]);
    this.client = client;
    this.served = 0;
    return client;
  }

  /** Run one case; the failures found (empty when every property holds). */
  async check(c: FuzzCase): Promise<string[]> {
    const client = await this.ready();
    this.served++;
    const uri = `file:///nonexistent-hullcheck-fuzz/lsp${++this.counter}/${c.name}`;
    client.logs.length = 0;
    const failures: string[] = [];
    try {
      const opened: Published = await within(client.open(uri, c.text, LANGUAGE_IDS[c.language]), TIMEOUT_MS, 'diagnostics after open');
      // The server sees the text as it arrived over JSON-RPC (lone surrogates become U+FFFD, same length).
      const text = c.text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
      const idx = new LineIndex(text);
      for (const d of opened.diagnostics) failures.push(...rangeProblems(idx, d.range, `diagnostic ${String(d.code)}`));
      const actions: CodeAction[] = [];
      const diags = opened.diagnostics;
      for (const d of diags.slice(0, ONE_BY_ONE)) actions.push(...await within(client.codeActions(uri, [d]), TIMEOUT_MS, 'codeAction'));
      if (diags.length > ONE_BY_ONE) actions.push(...await within(client.codeActions(uri, diags.slice(ONE_BY_ONE)), TIMEOUT_MS, 'codeAction'));
      const fixAll = await within(client.codeActions(uri, [], [FIX_ALL_KIND]), TIMEOUT_MS, 'fixAll');
      actions.push(...fixAll);
      let applied: string | undefined;
      for (const a of actions) {
        const edits = editsFor(a, uri);
        const problems = editProblems(text, idx, edits, `action "${a.title}"`);
        failures.push(...problems);
        if (problems.length === 0 && edits.length && (a.kind === FIX_ALL_KIND || applied === undefined)) applied = applyEdits(text, edits);
      }
      // apply an edit (fix-all when offered) and make sure the new version is linted and other requests answered
      if (applied !== undefined && failures.length === 0) {
        const next = await within(client.change(uri, applied), TIMEOUT_MS, 'diagnostics after a fix');
        const nidx = new LineIndex(applied);
        for (const d of next.diagnostics as Diagnostic[]) failures.push(...rangeProblems(nidx, d.range, `after fix: diagnostic ${String(d.code)}`));
      }
      await within(client.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } }), TIMEOUT_MS, 'hover');
    } catch (e) {
      failures.push(`lsp: ${(e as Error).message}`);
    } finally {
      await client.close(uri).catch(() => undefined);
    }
    for (const l of client.logs) if (/fail|error|exception|rejection/i.test(l)) failures.push(`server logged: ${l.split('\n')[0]}`);
    return failures;
  }

  dispose(): void {
    this.client?.dispose();
    this.client = undefined;
  }
}
