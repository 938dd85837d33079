// Dockerfiles that build a development container (.devcontainer/) are an editor's environment: the rules about
// build tools in shipped images, service health checks and published-image labels say nothing there.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lint } from '../helpers';
import { isDevContainerFile } from '../../server/src/model/dockerfile/wordsAndEdits';

const TEXT = 'FROM debian:bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends gcc make libssl-dev \\\n' +
  '    && rm -rf /var/lib/apt/lists/*\nCMD ["bash"]\n';
const RULES = ['multi-stage-build-tools', 'healthcheck-missing', 'oci-labels'];

function write(rel: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-devcontainer-'));
  const file = path.join(dir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, TEXT);
  return file;
}

describe('development containers', () => {
  it('a Dockerfile in .devcontainer gets no build-tool, health-check or label finding', async () => {
    const found = await lint(write('.devcontainer/Dockerfile'), { only: RULES });
    assert.deepEqual(found.map((f) => f.rule), []);
  });

  it('the same Dockerfile elsewhere still gets all three', async () => {
    const found = await lint(write('docker/Dockerfile'), { only: RULES });
    assert.deepEqual([...new Set(found.map((f) => f.rule))].sort(), [...RULES].sort());
  });

  it('recognises the folder by its exact name, with either separator', () => {
    assert.equal(isDevContainerFile('/r/.devcontainer/Dockerfile'), true);
    assert.equal(isDevContainerFile('C:\\r\\.devcontainer\\base.Dockerfile'), true);
    assert.equal(isDevContainerFile('/r/devcontainer/Dockerfile'), false);
    assert.equal(isDevContainerFile('/r/.devcontainer-old/Dockerfile'), false);
  });
});
