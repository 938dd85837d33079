// Client activation cost with a stand-in `vscode` module: the time to load client/out/extension.js (the bundle as
// shipped), the time activate() takes until it resolves, and, separately, the time until the language client has
// spawned the real bundled server and completed the initialize handshake (activate() does not wait for that; its
// exports carry a `serverReady` promise). Every vscode API is a no-op, so the figures are the extension's own work.

import * as fs from 'node:fs';
import * as path from 'node:path';
import Module from 'node:module';

export const CLIENT_BUNDLE = path.join(__dirname, '..', '..', 'client', 'out', 'extension.js');

/** A value that answers any property, call or construction with another such value; never a thenable. */
function stub(name: string): unknown {
  const fn = function () { /* no-op */ };
  return new Proxy(fn, {
    get(_t, prop) {
      if (prop === 'then') return undefined;
      if (prop === Symbol.toPrimitive) return () => name;
      if (prop === Symbol.iterator) return function* () { /* empty */ };
      if (prop === 'length') return 0;
      if (prop === 'toString' || prop === 'valueOf') return () => name;
      return stub(`${name}.${String(prop)}`);
    },
    set() { return true; },
    apply() { return stub(`${name}()`); },
    construct() { return stub(`new ${name}`) as object; },
  });
}

export interface ActivationFigures {
  requireMs: number;
  /** From calling activate() to its promise resolving. */
  activateMs: number;
  /** From calling activate() to the server running (initialize handshake done). */
  serverReadyMs: number;
  activated: boolean;
  serverRunning: boolean;
  error?: string;
}

export async function measureActivation(timeoutMs = 10_000): Promise<ActivationFigures> {
  // the bundle copies the module's own names (esbuild's ESM interop), so they must exist as real keys: take them
  // from the API's type declarations
  const dts = fs.readFileSync(require.resolve('@types/vscode/index.d.ts'), 'utf8');
  const vscode: Record<string, unknown> = {};
  for (const m of dts.matchAll(/^\texport (?:class|namespace|enum|const|function|let) (\w+)/gm)) vscode[m[1]] = stub(m[1]);
  vscode.version = '1.95.0';
  const m = Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };
  const original = m._load;
  m._load = function (request: string, parent: unknown, isMain: boolean) {
    if (request === 'vscode') return vscode;
    return original.call(this, request, parent, isMain);
  };
  try {
    let t = performance.now();
    const ext = require(CLIENT_BUNDLE) as { activate(ctx: unknown): Promise<{ serverReady: Promise<boolean> } | undefined>; deactivate(): Promise<void> };
    const requireMs = performance.now() - t;
    const ctx = {
      subscriptions: [] as unknown[], extensionPath: path.join(__dirname, '..', '..'), extensionUri: stub('extensionUri'),
      asAbsolutePath: (p: string) => path.join(__dirname, '..', '..', p), globalState: stub('globalState'), workspaceState: stub('workspaceState'),
      storageUri: undefined, globalStorageUri: stub('globalStorageUri'), logUri: stub('logUri'), extensionMode: 1,
      environmentVariableCollection: stub('env'), secrets: stub('secrets'), extension: stub('extension'),
    };
    t = performance.now();
    let error: string | undefined;
    let api: { serverReady: Promise<boolean> } | undefined;
    const activated = await Promise.race([
      ext.activate(ctx).then((x) => { api = x ?? undefined; return true; }, (e: Error) => { error = e.message; return false; }),
      new Promise<boolean>((r) => setTimeout(() => r(false), timeoutMs).unref()),
    ]);
    const activateMs = performance.now() - t;
    const serverRunning = activated && !!api && await Promise.race([
      api.serverReady.catch(() => false),
      new Promise<boolean>((r) => setTimeout(() => r(false), timeoutMs).unref()),
    ]);
    const serverReadyMs = performance.now() - t;
    // stop the language server the client started
    await Promise.race([ext.deactivate().catch(() => undefined), new Promise((r) => setTimeout(r, 3000).unref())]);
    return { requireMs: +requireMs.toFixed(1), activateMs: +activateMs.toFixed(1), serverReadyMs: +serverReadyMs.toFixed(1), activated, serverRunning, error };
  } finally {
    m._load = original;
  }
}
