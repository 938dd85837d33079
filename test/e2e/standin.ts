// Packages test/fixtures/container-tools-standin as a VSIX: the stand-in for Container Tools' Dockerfile diagnostics,
// with rcjsuen's dockerfile-language-server-nodejs (a pinned devDependency) bundled as its server.

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildSync } from 'esbuild';

const REPO = path.resolve(__dirname, '..', '..');
const SOURCE = path.join(REPO, 'test', 'fixtures', 'container-tools-standin');

/** The extension id it carries, Container Tools' own, so Hullcheck sees Container Tools. */
export const STANDIN_ID = 'ms-azuretools.vscode-containers';

/** Builds the stand-in in `workDir` and returns the path of its VSIX. */
export function packageStandin(workDir: string): string {
  const dir = path.join(workDir, 'container-tools-standin');
  fs.cpSync(SOURCE, dir, { recursive: true });
  const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node18', logLevel: 'warning' } as const;
  buildSync({ ...common, entryPoints: [path.join(dir, 'extension.js')], outfile: path.join(dir, 'out', 'extension.js'), external: ['vscode'], nodePaths: [path.join(REPO, 'node_modules')] });
  buildSync({ ...common, entryPoints: [require.resolve('dockerfile-language-server-nodejs/lib/server.js', { paths: [REPO] })], outfile: path.join(dir, 'out', 'server.js') });
  fs.writeFileSync(path.join(dir, '.vscodeignore'), 'extension.js\n');
  const vsix = path.join(workDir, 'container-tools-standin.vsix');
  execFileSync(path.join(REPO, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--out', vsix], { cwd: dir, stdio: 'pipe' });
  return vsix;
}
