// The OCI labels a project's build supplies outside the Dockerfile (facts/buildLabels.ts): read only inside the
// project, from the files that run the build, and only where they set a label rather than mention one.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintFile } from '../../server/src/engine/lintFile';
import { nodeHost } from '../../server/src/core/fileHost';
import { labelsInBuildText } from '../../server/src/facts/buildLabels';
import { tempTree } from '../helpers';

const DOCKERFILE = 'FROM node:22-slim\nCOPY . /app\nCMD ["node", "/app/server.js"]\n';
const MAKEFILE = 'image:\n\tdocker build --label org.opencontainers.image.version=$(VERSION) .\n';

async function ociFindings(file: string, workspaceFolder: string): Promise<number> {
  const r = await lintFile(file, fs.readFileSync(file, 'utf8'), { host: nodeHost, enableAll: true, workspaceFolder });
  return r.findings.filter((f) => f.rule === 'oci-labels').length;
}

describe('labels the build supplies', () => {
  it('counts a Makefile of the project and ignores one above the project folder', async () => {
    const dir = tempTree({ 'Makefile': MAKEFILE, 'project/app/Dockerfile': DOCKERFILE, 'inside/Makefile': MAKEFILE, 'inside/Dockerfile': DOCKERFILE });
    assert.equal(await ociFindings(path.join(dir, 'project/app/Dockerfile'), path.join(dir, 'project')), 1);
    assert.equal(await ociFindings(path.join(dir, 'inside/Dockerfile'), path.join(dir, 'inside')), 0);
  });

  it('reads a label set, not a label mentioned', () => {
    assert.deepEqual(labelsInBuildText('# org.opencontainers.image.version is set by CI\n'), { all: false, keys: [] });
    assert.deepEqual(labelsInBuildText('docker build --label "org.opencontainers.image.version=1" .').keys, ['org.opencontainers.image.version']);
    assert.deepEqual(labelsInBuildText('labels = { "org.opencontainers.image.source" = "x" }').keys, ['org.opencontainers.image.source']);
    assert.equal(labelsInBuildText('uses: docker/metadata-action@v5\n tags: ${{ steps.meta.outputs.tags }}\n').all, false);
    assert.equal(labelsInBuildText('uses: docker/metadata-action@v5\n labels: ${{ steps.meta.outputs.labels }}\n').all, true);
  });
});
