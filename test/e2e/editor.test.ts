// The editor experience in a real VS Code (code-server + Chromium, see codeServer.ts): Hullcheck beside a stand-in
// for Container Tools (rcjsuen's Dockerfile language server, test/fixtures/container-tools-standin) reports no fact
// twice, the size lenses are quiet, rule ids complete in a suppression comment, and the walkthrough opens.
// Screenshots go to test-results/e2e-editor/<nn>-<name>.png.

import { after, before, describe, it } from 'node:test';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { validate, ValidationCode } from 'dockerfile-utils';
import { findInstall, startCodeServer, type CodeServer } from './codeServer';
import { packageStandin } from './standin';
import { editorLines, keepLogs, launchBrowser, openFile, problemRows, runCommand, showProblems, stepper, T, until, waitForNotification, type ProblemRow } from './workbench';
import { build, cleanup, docker, ensureEngine } from '../docker/engine';
import { RULES_BY_ID } from '../../server/src/engine/linter';
import { SOURCE } from '../../server/src/protocol/messages';

const REPO = path.resolve(__dirname, '..', '..');
const OUT = path.join(REPO, 'test-results', 'e2e-editor');
const VSIX = path.join(REPO, 'hullcheck.vsix');
const FIXTURE = path.join(REPO, 'test', 'fixtures', 'e2e', 'editor');
const IMAGE = 'hullcheck-e2e-editor/app:dev';
const PEER_SOURCE = 'dockerfile-utils';

/** The facts of dup/Dockerfile both report: dockerfile-utils' code and the Hullcheck rule the rule metadata maps to it. */
const SHARED = ['DEPRECATED_MAINTAINER', 'WORKDIR_IS_NOT_ABSOLUTE', 'EMPTY_CONTINUATION_LINE', 'MULTIPLE_INSTRUCTIONS', 'DUPLICATE_BUILD_STAGE_NAME', 'CASING_INSTRUCTION'];
/** Hullcheck's rules whose diagnostics Container Tools reports too (its `containerTools` metadata), by code number. */
const MAPPED = new Map<string, string[]>();
for (const r of RULES_BY_ID.values()) {
  for (const name of r.meta.containerTools ?? []) {
    const code = String(ValidationCode[name as keyof typeof ValidationCode]);
    MAPPED.set(code, [...(MAPPED.get(code) ?? []), r.meta.id]);
  }
}

function oneLine(msg: string): Error {
  const e = new Error(msg);
  e.stack = `Error: ${msg}`;
  return e;
}

const install = findInstall();
const skipE2E = process.env.HULLCHECK_SKIP_E2E === '1';

if ('missing' in install) {
  describe('editor e2e in VS Code (code-server)', () => {
    it('code-server and chromium are installed', { skip: skipE2E ? `HULLCHECK_SKIP_E2E=1: ${install.missing}` : false }, () => {
      throw oneLine(`${install.missing}: run \`bash test/setup.sh\``);
    });
  });
} else {
  describe('editor e2e in VS Code (code-server)', () => {
    let server: CodeServer | undefined;
    let context: BrowserContext | undefined;
    let page: Page;
    let errors: string[] = [];
    let runDir = '';
    let ws = '';
    let built = false;
    const { step, shot } = stepper(OUT, () => page, () => keepLogs(OUT, server?.logFile, runDir, errors));

    const hullcheckRows = (rows: ProblemRow[]) => rows.filter((r) => r.source === SOURCE);
    // VS Code shows no code for a code of 0 (CASING_INSTRUCTION): those rows get theirs from dockerfile-utils itself
    const dupText = fs.readFileSync(path.join(FIXTURE, 'dup', 'Dockerfile'), 'utf8');
    const peerCode = new Map(validate(dupText).map((d) => [`${d.range.start.line + 1} ${d.message}`, String(d.code)]));
    const peerRows = (rows: ProblemRow[]) => rows.filter((r) => r.source === PEER_SOURCE)
      .map((r) => r.code ? r : { ...r, code: peerCode.get(`${r.line} ${r.message}`) ?? '' });
    /** Facts reported twice: a Hullcheck row whose rule Container Tools reports under a code that is also shown. */
    const twice = (rows: ProblemRow[]) => {
      const peerCodes = new Set(peerRows(rows).map((r) => r.code));
      return hullcheckRows(rows).filter((r) => [...peerCodes].some((c) => MAPPED.get(c)?.includes(r.code)));
    };
    const showRows = (rows: ProblemRow[]) => rows.map((r) => `${r.source}(${r.code}) Ln ${r.line}`).join('; ');
    const sharedCodes = SHARED.map((n) => String(ValidationCode[n as keyof typeof ValidationCode]));

    before(async () => {
      if (!fs.existsSync(VSIX)) throw oneLine(`${path.basename(VSIX)} not found: run \`npm run package\` first`);
      fs.rmSync(OUT, { recursive: true, force: true });
      fs.mkdirSync(OUT, { recursive: true });
      runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-e2e-ed-'));
      ws = path.join(runDir, 'workspace');
      fs.cpSync(FIXTURE, ws, { recursive: true });
      const standin = packageStandin(runDir);
      // The image whose layers the size lenses show: busybox (~1.9 MB) and a 2.5 MB data file, built by the engine.
      ensureEngine();
      if (docker(['images', '-q', IMAGE]).trim()) throw oneLine(`${IMAGE} exists already; this test builds and removes it (docker rmi ${IMAGE})`);
      fs.copyFileSync('/bin/busybox', path.join(ws, 'app', 'busybox'));
      fs.writeFileSync(path.join(ws, 'app', 'seed.bin'), crypto.randomBytes(5 * 512 * 1024));
      built = true;
      build(path.join(ws, 'app'), IMAGE);
      // a recorded size of 1 MB: the summary lens gives the growth since then (the image's size less 1 MB)
      fs.writeFileSync(path.join(ws, '.hullcheck-sizes.json'), JSON.stringify({ version: 1, images: { [IMAGE]: { bytes: 1048576, budget: 'app' } } }, null, 2));
      server = await startCodeServer(install, { vsix: [VSIX, standin], workspace: ws, runDir });
      ({ context, page, errors } = await launchBrowser(runDir));
    });

    after(async () => {
      await context?.close().catch(() => undefined);
      await server?.stop();
      if (built) cleanup([IMAGE]);
      if (runDir && process.env.HULLCHECK_E2E_KEEP !== '1') fs.rmSync(runDir, { recursive: true, force: true });
    });

    step('01', 'workbench', 'workbench loads with both extensions', async () => {
      await page.goto(`${server!.url}/?folder=${encodeURIComponent(ws)}`);
      await page.locator('.monaco-workbench').waitFor(T(60_000));
      await page.locator('.explorer-viewlet .monaco-list-row', { hasText: 'compose.yml' }).first().waitFor(T(60_000));
    });

    step('02', 'duplicates-auto', 'beside Container Tools, hullcheck.duplicates: auto reports no fact twice, and says so once', async () => {
      await openFile(page, path.join('dup', 'Dockerfile'), 'MAINTAINER');
      await showProblems(page);
      await runCommand(page, 'View: Toggle Maximized Panel');
      const settled = (rows: ProblemRow[]) => sharedCodes.every((c) => peerRows(rows).some((r) => r.code === c))
        // a fact Container Tools does not report stays: it takes `8080:80` for a port
        && hullcheckRows(rows).some((r) => r.code === 'expose-invalid-format') && twice(rows).length === 0;
      await until(page, () => problemRows(page), settled, 60_000, 'the stand-in\'s and Hullcheck\'s findings without duplicates', showRows);
      // and it stays so: a late Hullcheck publish must not bring a duplicate back
      await page.waitForTimeout(2000);
      const rows = await problemRows(page);
      if (twice(rows).length) throw new Error(`reported twice: ${showRows(twice(rows))}`);
      console.log(`[e2e]    problems: ${showRows([...peerRows(rows), ...hullcheckRows(rows)])}`);
      const note = await waitForNotification(page, 'reports some of the same Dockerfile facts as Hullcheck', 30_000);
      console.log(`[e2e]    notification: ${note}`);
    });

    step('03', 'duplicates-show', 'with hullcheck.duplicates: show, both report the shared facts', async () => {
      fs.mkdirSync(path.join(ws, '.vscode'), { recursive: true });
      fs.writeFileSync(path.join(ws, '.vscode', 'settings.json'), JSON.stringify({ 'hullcheck.duplicates': 'show' }, null, 2));
      const both = (rows: ProblemRow[]) => sharedCodes.every((c) => peerRows(rows).some((r) => r.code === c)
        && hullcheckRows(rows).some((r) => MAPPED.get(c)!.includes(r.code)));
      const rows = await until(page, () => problemRows(page), both, 60_000, 'each shared fact from both servers', showRows);
      console.log(`[e2e]    reported by both: ${twice(rows).map((r) => r.code).join(', ')}`);
    });

    step('04', 'duplicates-peer-setting', 'a diagnostic turned off in Container Tools\' settings is Hullcheck\'s again under auto', async () => {
      const maintainer = String(ValidationCode.DEPRECATED_MAINTAINER);
      fs.writeFileSync(path.join(ws, '.vscode', 'settings.json'), JSON.stringify({ 'hullcheck.duplicates': 'auto', 'docker.languageserver.diagnostics.deprecatedMaintainer': 'ignore' }, null, 2));
      const ok = (rows: ProblemRow[]) => !peerRows(rows).some((r) => r.code === maintainer)
        && hullcheckRows(rows).some((r) => r.code === 'maintainer-deprecated') && twice(rows).length === 0
        && sharedCodes.filter((c) => c !== maintainer).every((c) => peerRows(rows).some((r) => r.code === c));
      const rows = await until(page, () => problemRows(page), ok, 60_000, 'MAINTAINER from Hullcheck alone, the other shared facts once', showRows);
      console.log(`[e2e]    problems: ${showRows([...peerRows(rows), ...hullcheckRows(rows)])}`);
      await runCommand(page, 'View: Toggle Maximized Panel');
      await page.keyboard.press('Control+J'); // hide the panel again
    });

    step('05', 'quiet-lenses', 'size lenses only on layers that add bytes, plus one summary on FROM', async () => {
      await openFile(page, path.join('app', 'Dockerfile'), 'seed.bin');
      const lens = page.locator('.editor-instance .codelens-decoration a');
      const titles = async () => (await lens.allInnerTexts()).map((t) => t.trim()).filter(Boolean);
      const got = await until(page, titles, (ts) => ts.length >= 3, 60_000, 'the size lenses');
      await page.waitForTimeout(1000); // lenses of a second pass would add to them
      const final = await titles();
      console.log(`[e2e]    lenses: ${JSON.stringify(final)}`);
      const layer = /^[\d.]+ (B|kB|MB) · [\d.]+ % of image$/;
      const summary = new RegExp(`^${IMAGE.replace(/[./]/g, '\\$&')}: ([\\d.]+) MB · \\d+ % of its 8MB budget · \\+([\\d.]+) MB since recorded$`);
      // 12 instructions: the summary on FROM, the two COPY layers (busybox, seed.bin); the symlinks, mkdir and metadata get none
      if (final.length !== 3 || got.length !== 3) throw new Error(`expected 3 lenses, got ${final.length}: ${JSON.stringify(final)}`);
      const sums = final.map((t) => summary.exec(t)).filter((m) => m !== null);
      if (sums.length !== 1) throw new Error(`no summary lens on FROM: ${JSON.stringify(final)}`);
      const [, size, growth] = sums[0]!.map(Number);
      if (Math.abs(size - growth - 1) > 0.011) throw new Error(`the growth since the recorded 1 MB is not the size less 1 MB: ${sums[0]![0]}`);
      if (final.filter((t) => layer.test(t)).length !== 2) throw new Error(`expected two layer lenses: ${JSON.stringify(final)}`);
    });

    step('06', 'pragma-completion', 'rule ids complete after # hullcheck ignore=', async () => {
      await editorLines(page).click();
      await page.keyboard.press('Control+Home');
      await page.keyboard.press('Enter');
      await page.keyboard.press('ArrowUp');
      await page.keyboard.type('# hullcheck ignore=apt-no', { delay: 20 });
      const suggest = page.locator('.editor-widget.suggest-widget .monaco-list-row', { hasText: 'apt-no-install-recommends' });
      try {
        await suggest.first().waitFor(T(10_000));
      } catch {
        await page.keyboard.press('Control+Space');
        await suggest.first().waitFor(T(20_000));
      }
      await shot('06-pragma-completion-list');
      await page.keyboard.press('Enter');
      await editorLines(page).filter({ hasText: '# hullcheck ignore=apt-no-install-recommends' }).waitFor(T(10_000));
      // take the line out again: the file is as it was
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+Home');
      await page.keyboard.press('Shift+ArrowDown');
      await page.keyboard.press('Delete');
      await editorLines(page).filter({ hasText: 'hullcheck ignore' }).waitFor({ state: 'detached', timeout: 10_000 });
    });

    step('07', 'walkthrough', 'the "Get started with Hullcheck" walkthrough opens with its five steps', async () => {
      await runCommand(page, 'Welcome: Open Walkthrough...');
      const pick = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Get started with Hullcheck' }).first();
      await pick.waitFor(T(15_000));
      await pick.click();
      const walkthrough = page.locator('.gettingStartedContainer');
      await walkthrough.filter({ hasText: 'Get started with Hullcheck' }).first().waitFor(T(20_000));
      const steps = ['Open a Dockerfile and see a finding', 'Fix all', 'Set a budget and see the Image Budgets view', 'Run the smoke test', 'Scan with Trivy'];
      for (const s of steps) await walkthrough.getByText(s, { exact: true }).first().waitFor(T(10_000));
      // the selected step's media: client/media/walkthrough/findings.md, rendered in a webview beside the steps
      const media = page.frameLocator('.gettingStartedContainer iframe.webview.ready').frameLocator('#active-frame');
      await media.getByText('See a finding').first().waitFor(T(30_000));
    });
  });
}
