// `npm run pack:cli`: the npm package of the CLI alone. It stages the esbuild bundle (every dependency inside),
// the rule pages the CLI links to, LICENSE and the package README under server/out/cli-package, then `npm pack`s it.
// Usage: tsx server/scripts/packCli.ts [--out DIR]   (default DIR: server/out); prints the tarball's path.

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildSync } from 'esbuild';

const ROOT = path.resolve(__dirname, '../..');
const STAGE = path.join(ROOT, 'server/out/cli-package');

export function stageCliPackage(): string {
  fs.rmSync(STAGE, { recursive: true, force: true });
  fs.mkdirSync(path.join(STAGE, 'dist'), { recursive: true });
  buildSync({
    entryPoints: [path.join(ROOT, 'server/src/cli.ts')],
    outfile: path.join(STAGE, 'dist/hullcheck.js'),
    bundle: true, platform: 'node', target: 'node18', format: 'cjs', minify: true,
    // dockerode's ssh2 loads these optional native speedups in a try block; the package ships without them
    external: ['cpu-features', '*.node'],
    logLevel: 'warning',
  });
  fs.chmodSync(path.join(STAGE, 'dist/hullcheck.js'), 0o755);
  fs.cpSync(path.join(ROOT, 'server/docs/rules'), path.join(STAGE, 'docs/rules'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'LICENSE'), path.join(STAGE, 'LICENSE'));
  fs.copyFileSync(path.join(ROOT, 'server/cli-package/README.md'), path.join(STAGE, 'README.md'));
  const root = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
  const template = JSON.parse(fs.readFileSync(path.join(ROOT, 'server/cli-package/package.json'), 'utf8')) as Record<string, unknown>;
  const pkg = { ...template, version: root.version, repository: root.repository, homepage: root.homepage };
  fs.writeFileSync(path.join(STAGE, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
  return STAGE;
}

/** Stage and pack; returns the tarball's absolute path. */
export function packCli(outDir: string): string {
  const stage = stageCliPackage();
  fs.mkdirSync(outDir, { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const json = execFileSync(npm, ['pack', '--json', '--pack-destination', outDir], { cwd: stage, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [{ filename }] = JSON.parse(json) as { filename: string }[];
  return path.join(outDir, filename);
}

if (require.main === module) {
  const i = process.argv.indexOf('--out');
  const out = path.resolve(i > 0 ? process.argv[i + 1] : path.join(ROOT, 'server/out'));
  process.stdout.write(`${packCli(out)}\n`);
}
