// dockerfile-utils' validate as a whole process, the peer of `hullcheck lint` in cli.bench.ts: read every Dockerfile
// under the folders given, validate each, print the number of problems (so the work cannot be skipped).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { validate } = require('dockerfile-utils');

function walk(dir, out) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) walk(full, out);
    else if (e.name === 'Dockerfile') out.push(full);
  }
  return out;
}

let problems = 0;
for (const dir of process.argv.slice(2)) for (const file of walk(dir, [])) problems += validate(fs.readFileSync(file, 'utf8')).length;
process.stdout.write(`${problems}\n`);
