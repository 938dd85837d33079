// Whether the project publishes a Dockerfile's image (facts/imagePublication.ts), and how oci-labels grades its
// finding by it: a warning where a build of the project pushes the image, info where the image is an official
// image (the library build annotates it) or where no build is seen pushing it.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintFile } from '../../server/src/engine/lintFile';
import { nodeHost } from '../../server/src/core/fileHost';
import { buildArgsIn, imagePublication, namesDockerfile, pushedDockerfiles } from '../../server/src/facts/imagePublication';
import { tempTree } from '../helpers';

const DOCKERFILE = 'FROM node:22-slim\nCOPY . /app\nCMD ["node", "/app/server.js"]\n';

const STEPS = `jobs:
  image:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Build and push
        uses: docker/build-push-action@v6
        with:
          context: .
          file: ./docker/prod.Dockerfile
          push: \${{ github.event_name != 'pull_request' }}
      - name: Test image
        uses: docker/build-push-action@v6
        with:
          file: ./docker/web.Dockerfile
          push: false
`;

async function oci(dir: string, file: string): Promise<{ severity: string; message: string } | undefined> {
  const abs = path.join(dir, file);
  const r = await lintFile(abs, fs.readFileSync(abs, 'utf8'), { host: nodeHost, workspaceFolder: dir });
  return r.findings.find((f) => f.rule === 'oci-labels');
}

describe('which Dockerfiles a build file publishes', () => {
  it('takes the Dockerfile of the step that pushes, not of a step that only builds', () => {
    assert.deepEqual(pushedDockerfiles(STEPS), { pushes: true, names: ['docker/prod.Dockerfile'] });
    assert.equal(pushedDockerfiles(STEPS.replace(/push: \$\{\{.*\}\}/, 'push: false')).pushes, false);
  });

  it('reads Makefile recipes and scripts command by command', () => {
    const make = 'image:\n\tdocker build -t app -f packaging/rpm/Dockerfile .\n\nimages:\n\tdocker buildx build \\\n\t\t--file packaging/docker/Dockerfile \\\n\t\t--push .\n';
    assert.deepEqual(pushedDockerfiles(make).names, ['packaging/docker/Dockerfile']);
    // the context of a `docker build` without -f names its default Dockerfile
    assert.deepEqual(pushedDockerfiles('docker buildx build --platform linux/amd64 --push ./docker\n').names, ['docker/Dockerfile']);
    // a build followed by a separate push publishes what the file builds
    assert.deepEqual(pushedDockerfiles('docker build -t app -f build/Dockerfile .\ndocker push app\n').names, ['build/Dockerfile']);
    assert.deepEqual(pushedDockerfiles('docker push example/app:1\n').names, ['Dockerfile']);
  });

  it('reads templating as any name', () => {
    const t = '      - uses: docker/build-push-action@v6\n        with:\n          file: ./images/${{ matrix.image }}.dockerfile\n          push: true\n';
    const names = pushedDockerfiles(t).names;
    assert.ok(names.some((n) => namesDockerfile(n, ['images/python3.12.dockerfile'])));
    assert.ok(!names.some((n) => namesDockerfile(n, ['other/python3.12.dockerfile'])));
  });
});

describe('build arguments the build passes', () => {
  it('reads --build-arg and build-args blocks, not other keys', () => {
    assert.deepEqual(buildArgsIn('docker buildx build --build-arg=BASE_IMAGE=rust:1 --build-arg "CHEF_TAG=$V" .\n'), ['BASE_IMAGE', 'CHEF_TAG']);
    const wf = '      - uses: docker/build-push-action@v6\n        with:\n          build-args: |\n            NODE_VERSION=22\n            APP=web\n          tags: x\n          OTHER=1\n';
    assert.deepEqual(buildArgsIn(wf), ['NODE_VERSION', 'APP']);
  });

  it('makes image-tag-latest a note for a FROM whose arguments the build passes, a warning otherwise', async () => {
    const text = 'ARG BASE_IMAGE=rust\nFROM ${BASE_IMAGE}\n';
    const passed = tempTree({ '.git/HEAD': '', 'Dockerfile': text, 'compose.yaml': 'services:\n  chef:\n    build:\n      context: .\n      args:\n        BASE_IMAGE: rust:1.83\n' });
    const r = await lintFile(path.join(passed, 'Dockerfile'), text, { host: nodeHost, workspaceFolder: passed });
    assert.deepEqual(r.findings.filter((f) => f.rule === 'image-tag-latest').map((f) => f.severity), ['info']);
    const alone = tempTree({ '.git/HEAD': '', 'Dockerfile': text });
    const q = await lintFile(path.join(alone, 'Dockerfile'), text, { host: nodeHost, workspaceFolder: alone });
    assert.deepEqual(q.findings.filter((f) => f.rule === 'image-tag-latest').map((f) => f.severity), ['warning']);
  });
});

describe('oci-labels by publication', () => {
  it('warns on the image a workflow pushes and notes the others', async () => {
    const dir = tempTree({ '.git/HEAD': '', '.github/workflows/release.yml': STEPS, 'docker/prod.Dockerfile': DOCKERFILE, 'docker/web.Dockerfile': DOCKERFILE, 'packages/web/Dockerfile': DOCKERFILE });
    const pub = await imagePublication(nodeHost, path.join(dir, 'docker/prod.Dockerfile'));
    assert.equal(pub.pushedBy, '../.github/workflows/release.yml');
    const prod = await oci(dir, 'docker/prod.Dockerfile');
    assert.equal(prod?.severity, 'warning');
    assert.match(prod!.message, /`\.\.\/\.github\/workflows\/release\.yml` publishes the image/);
    for (const f of ['docker/web.Dockerfile', 'packages/web/Dockerfile']) {
      const other = await oci(dir, f);
      assert.equal(other?.severity, 'info', f);
      assert.match(other!.message, /if the image is published \(no workflow, Makefile or script of the project is seen pushing it\)/);
    }
  });

  it('notes a Docker official-image repository, by its stackbrew script or its library manifest', async () => {
    const a = tempTree({ '.git/HEAD': '', 'generate-stackbrew-library.sh': '#!/bin/sh\n', '2.0/alpine/Dockerfile': DOCKERFILE });
    const fa = await oci(a, '2.0/alpine/Dockerfile');
    assert.equal(fa?.severity, 'info');
    assert.match(fa!.message, /Docker official-image repository \(`\.\.\/\.\.\/generate-stackbrew-library\.sh`\)/);
    const b = tempTree({ '.git/HEAD': '', 'library/app': 'Tags: 2.0, latest\nGitRepo: https://github.com/example/app.git\nDirectory: 2.0\n', '2.0/Dockerfile': DOCKERFILE });
    assert.equal((await imagePublication(nodeHost, path.join(b, '2.0/Dockerfile'))).official, '../library/app');
    // a `library` folder that is no bashbrew manifest says nothing
    const c = tempTree({ '.git/HEAD': '', 'library/app.py': 'print(1)\n', 'Dockerfile': DOCKERFILE });
    assert.equal((await imagePublication(nodeHost, path.join(c, 'Dockerfile'))).official, undefined);
  });

  it('keeps a label the user listed in the rule option at the rule\'s severity', async () => {
    const dir = tempTree({ '.git/HEAD': '', 'Dockerfile': DOCKERFILE, '.hullcheck.yaml': 'rules:\n  oci-labels:\n    required: [org.opencontainers.image.source]\n' });
    assert.equal((await oci(dir, 'Dockerfile'))?.severity, 'warning');
  });
});
