// Driving code-server's workbench from Chromium for the end-to-end tests: the browser, numbered steps with
// screenshots, the command palette, files, the Problems panel and notifications. Selectors are those of the
// pinned VS Code (codeServer.ts CS_VERSION).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { it } from 'node:test';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { CHROMIUM } from './codeServer';

export const T = (ms: number) => ({ timeout: ms });

/** Headless Chromium on a fresh profile under runDir, allowed to reach loopback only. */
export async function launchBrowser(runDir: string): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await chromium.launchPersistentContext(path.join(runDir, 'chromium'), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    // chromium's crash reporter writes under $XDG_CONFIG_HOME; keep it in the run dir.
    env: { ...process.env, XDG_CONFIG_HOME: path.join(runDir, 'chromium-xdg') } as Record<string, string>,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost'],
  });
  const page = context.pages()[0] ?? await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text().slice(0, 300)); });
  return { context, page, errors };
}

/**
 * Numbered steps that save a screenshot to `outDir/<nn>-<name>.png` (and `-FAILED` on failure); once a step fails,
 * the later ones are skipped. `onFailure` runs after the failure screenshot (to keep logs).
 */
export function stepper(outDir: string, page: () => Page, onFailure: () => void) {
  let broken: string | undefined;
  const shot = async (name: string): Promise<void> => { await page().screenshot({ path: path.join(outDir, `${name}.png`) }); };
  const step = (nn: string, name: string, title: string, fn: () => Promise<void>): void => {
    it(`${nn} ${title}`, async (t) => {
      if (broken) { t.skip(`step ${broken} failed`); return; }
      const t0 = Date.now();
      try {
        await fn();
      } catch (e) {
        broken = nn;
        await shot(`${nn}-${name}-FAILED`).catch(() => undefined);
        onFailure();
        throw e;
      }
      console.log(`[e2e] ${nn} ${name}: ${((Date.now() - t0) / 1000).toFixed(1)}s`);
      await shot(`${nn}-${name}`);
    });
  };
  return { step, shot };
}

/** Keeps the code-server log and VS Code's logs next to the screenshots. */
export function keepLogs(outDir: string, serverLog: string | undefined, runDir: string, browserErrors: string[]): void {
  const dest = path.join(outDir, 'logs');
  fs.mkdirSync(dest, { recursive: true });
  if (serverLog && fs.existsSync(serverLog)) fs.copyFileSync(serverLog, path.join(dest, 'code-server.log'));
  const vsLogs = path.join(runDir, 'ud', 'logs');
  if (fs.existsSync(vsLogs)) fs.cpSync(vsLogs, path.join(dest, 'vscode'), { recursive: true });
  if (browserErrors.length) fs.writeFileSync(path.join(dest, 'browser-errors.txt'), browserErrors.join('\n') + '\n');
}

export const editorLines = (page: Page): Locator => page.locator('.editor-instance .view-lines');

/** Runs a command palette entry by its title. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor(T(10_000));
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor(T(10_000));
  await page.keyboard.press('Enter');
}

/** Opens a workspace file through the quick open file search and waits for one of its lines. */
export async function openFile(page: Page, rel: string, lineText: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor(T(10_000));
  await input.fill(rel);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: path.basename(rel) }).first().waitFor(T(15_000));
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
  await editorLines(page).filter({ hasText: lineText }).waitFor(T(30_000));
}

/** Shows the Problems panel (the shortcut toggles it off again when it already has focus). */
export async function showProblems(page: Page): Promise<void> {
  if (!(await page.locator('.markers-panel').isVisible())) await page.keyboard.press('Control+Shift+M');
  await page.locator('.markers-panel').waitFor(T(10_000));
}

/** One problem as the Problems panel shows it: `message source(code) [Ln l, Col c]` (a code of 0 is not shown). */
export interface ProblemRow { message: string; source: string; code: string; line: number }

/** The problem rows the Problems panel renders (file rows left out); maximise the panel to see them all. */
export async function problemRows(page: Page): Promise<ProblemRow[]> {
  // (no named functions inside: the callback runs in the page, without the test runner's helpers)
  const cells = await page.locator('.markers-panel .monaco-list-row').evaluateAll((els) => els.map((el) =>
    ['.marker-message', '.marker-source', '.marker-code', '.marker-line'].map((sel) =>
      ((el as unknown as { querySelector(s: string): { innerText: string } | null }).querySelector(sel)?.innerText ?? '').replace(/\s+/g, ' ').trim())));
  const rows = cells.map(([message, source, code, line]) => ({ message, source, code, line }));
  return rows.filter((r) => r.line).map((r) => ({
    message: r.message, source: r.source, code: r.code.replace(/^\(|\)$/g, ''), line: Number(/Ln (\d+)/.exec(r.line)?.[1] ?? NaN),
  }));
}

/** A notification with this text, as a toast or (once the toast has gone) in the notification centre. */
export async function waitForNotification(page: Page, text: string | RegExp, ms: number): Promise<string> {
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
  try {
    await toast.waitFor(T(ms));
    return (await toast.innerText()).replace(/\s+/g, ' ').trim();
  } catch {
    await runCommand(page, 'Notifications: Show Notifications');
    const item = page.locator('.notifications-center .monaco-list-row', { hasText: text }).first();
    await item.waitFor(T(5_000));
    const found = (await item.innerText()).replace(/\s+/g, ' ').trim();
    await page.keyboard.press('Escape');
    return found;
  }
}

/** Polls `read` until `ok` holds for it, then returns it; throws with the last value after `ms`. */
export async function until<V>(page: Page, read: () => Promise<V>, ok: (v: V) => boolean, ms: number, what: string, show: (v: V) => string = (v) => JSON.stringify(v)): Promise<V> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`${what}; last seen: ${show(v)}`);
    await page.waitForTimeout(250);
  }
}
