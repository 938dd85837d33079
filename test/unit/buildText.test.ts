// The build text every build fact reads (facts/buildText.ts): one reader of variable and template references, and
// one read and one scan per version of each build file, shared by build labels, image publication and the project's
// own images.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nodeHost, type FileHost } from '../../server/src/core/fileHost';
import { mapReferences, pushesImage } from '../../server/src/facts/buildText';
import { buildLabels } from '../../server/src/facts/buildLabels';
import { imagePublication, pushedDockerfiles, namesDockerfile } from '../../server/src/facts/imagePublication';
import { projectImages } from '../../server/src/facts/projectImages';
import { tempTree } from '../helpers';

describe('variable and template references in build text', () => {
  it('reads every kind of reference, and nothing else', () => {
    const text = 'a ${{ github.sha }} b {{ .Version }} c ${TAG} d $(VERSION) e $NAME f @project.version@ g x@v4 h $ i {{ open';
    assert.equal(mapReferences(text, () => '*'), 'a * b * c * d * e * f * g x@v4 h $ i {{ open');
  });

  it('stays linear on many unclosed openers', () => {
    const text = '${{'.repeat(20000) + '$('.repeat(20000) + '{{'.repeat(20000);
    assert.equal(mapReferences(text, () => '*'), text);
  });

  it('reads a Go template in a pushing GoReleaser file as any name', () => {
    const t = 'dockers:\n  - dockerfile: build/{{ .ProjectName }}.Dockerfile\n    image_templates: ["acme/app:{{ .Tag }}"]\n';
    assert.ok(pushesImage(t));
    assert.ok(pushedDockerfiles(t).names.some((n) => namesDockerfile(n, ['build/app.Dockerfile'])));
  });
});

describe('the build files the facts read', () => {
  it('are read once per version for all three facts', async () => {
    const dir = tempTree({
      '.git/HEAD': 'ref: refs/heads/main\n',
      'Dockerfile': 'FROM alpine\n',
      'compose.yaml': 'services:\n  app:\n    build: .\n    image: acme/app:latest\n',
      'Makefile': 'push:\n\tdocker build --label org.opencontainers.image.source=x -t acme/app .\n\tdocker push acme/app\n',
    });
    const reads = new Map<string, number>();
    const host: FileHost = { ...nodeHost, read: (file, kind, opts) => { reads.set(file, (reads.get(file) ?? 0) + 1); return nodeHost.read(file, kind, opts); } };
    const run = async () => {
      assert.deepEqual([...(await buildLabels(host, path.join(dir, 'Dockerfile')))!.keys], ['org.opencontainers.image.source']);
      assert.equal((await imagePublication(host, path.join(dir, 'Dockerfile'))).pushedBy, 'Makefile');
      assert.ok((await projectImages(host, path.join(dir, 'compose.yaml'))).published.some((p) => p.segments.join('/') === 'acme/app'));
    };
    await run();
    await run();
    assert.equal(reads.get(path.join(dir, 'Makefile')), 1);
    assert.equal(reads.get(path.join(dir, 'compose.yaml')), 1);
    // a changed file is read again
    fs.writeFileSync(path.join(dir, 'Makefile'), 'push:\n\tdocker build --label org.opencontainers.image.source=y -t acme/app . && docker push acme/app\n');
    await run();
    assert.equal(reads.get(path.join(dir, 'Makefile')), 2);
  });
});
