// After `npm install` in a checkout of the repository (which is how pre-commit installs the hook, see
// .pre-commit-hooks.yaml): build the CLI bundle, so the following `npm pack` carries server/out/cli.js. Installed
// from the packed tarball there are no sources and no esbuild, and this does nothing.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
let esbuild;
try { esbuild = require(require.resolve('esbuild', { paths: [root] })); } catch { esbuild = undefined; }
if (esbuild && fs.existsSync(path.join(root, 'server/src/cli.ts'))) {
  // the same bundle as `npm run build:server` makes of the CLI; nothing is printed on success, so the stdout of
  // a following `npm pack` stays the tarball name alone
  esbuild.buildSync({
    entryPoints: [path.join(root, 'server/src/cli.ts')], outfile: path.join(root, 'server/out/cli.js'),
    bundle: true, platform: 'node', target: 'node18', format: 'cjs', minify: true, logLevel: 'warning',
    external: ['cpu-features', '*.node'],
  });
}
