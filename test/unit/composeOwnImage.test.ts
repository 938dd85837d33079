// compose-image-latest on the project's own image: a moving tag of an image the project builds or publishes itself
// (its workflows, Makefiles, scripts, bake, GoReleaser and Maven files, a compose `build:`, its repository name, its
// README's Docker Hub links, its owner's namespace) is info; third-party images at latest stay warnings.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { lint, tempTree } from '../helpers';
import { imageTemplate, namesInBuildText, ownImage, repositoryIn, type ProjectImages } from '../../server/src/facts/projectImages';

/** `severity line message-start` of compose-image-latest for `compose.yaml` in a repository made of `files`. */
async function latest(files: Record<string, string>, main = 'compose.yaml'): Promise<string[]> {
  const dir = tempTree({ '.git/HEAD': 'ref: refs/heads/main\n', ...files }, 'hullcheck-own-image-');
  return (await lint(path.join(dir, main), { only: ['compose-image-latest'] })).map((f) => `${f.severity} ${f.range.start.line + 1}`);
}

const COMPOSE = 'services:\n  app:\n    image: acme/api:latest\n  cache:\n    image: redis:latest\n';

describe('compose-image-latest on the project\'s own image', () => {
  it('is a warning for every image when nothing says the project publishes it', async () => {
    assert.deepEqual(await latest({ 'compose.yaml': COMPOSE }), ['warning 3', 'warning 5']);
  });

  it('is info for an image a workflow publishes through metadata-action or build-push-action tags', async () => {
    const wf = 'jobs:\n  build:\n    steps:\n      - uses: docker/metadata-action@v5\n        with:\n          images: |\n            ghcr.io/acme/api\n            docker.io/acme/api\n';
    assert.deepEqual(await latest({ 'compose.yaml': COMPOSE, '.github/workflows/docker.yml': wf }), ['info 3', 'warning 5']);
    const push = 'jobs:\n  b:\n    steps:\n      - uses: docker/build-push-action@v6\n        with:\n          tags: acme/api:${{ github.ref_name }},acme/api:latest\n';
    assert.deepEqual(await latest({ 'compose.yaml': COMPOSE, '.github/workflows/release.yml': push }), ['info 3', 'warning 5']);
  });

  it('is info for an image a Makefile or script builds with -t, pushes or tags', async () => {
    assert.deepEqual(await latest({ 'compose.yaml': COMPOSE, Makefile: 'image:\n\tdocker build -t acme/api:$(VERSION) .\n' }), ['info 3', 'warning 5']);
    assert.deepEqual(await latest({ 'compose.yaml': COMPOSE, 'scripts/release.sh': 'docker buildx build \\\n  --platform linux/amd64 \\\n  --tag "acme/api:${V}" .\n' }), ['info 3', 'warning 5']);
    assert.deepEqual(await latest({ 'compose.yaml': COMPOSE, 'scripts/push.sh': 'docker push acme/api:$TAG\n' }), ['info 3', 'warning 5']);
  });

  it('is info in a subfolder\'s compose file for an image the root builds', async () => {
    const files = { 'deploy/prod/compose.yaml': COMPOSE, Makefile: 'docker build -t acme/api .\n' };
    assert.deepEqual(await latest(files, 'deploy/prod/compose.yaml'), ['info 3', 'warning 5']);
  });

  it('does not count images a workflow only runs: a job container, a service, `docker run -t`, a bare name under an image key', async () => {
    const wf = 'jobs:\n  test:\n    container:\n      image: acme/api:latest\n    services:\n      redis:\n        image: redis\n    steps:\n      - run: docker run --rm -t acme/api:latest true\n    env:\n      IMAGE: redis\n';
    assert.deepEqual(await latest({ 'compose.yaml': COMPOSE, '.github/workflows/test.yml': wf }), ['warning 3', 'warning 5']);
  });

  it('is info for the official image an official-images (bashbrew) workflow builds', async () => {
    const wf = 'jobs:\n  gen:\n    steps:\n      - run: strategy="$(GITHUB_REPOSITORY=nextcloud "$BASHBREW_SCRIPTS/github-actions/generate.sh")"\n';
    const compose = 'services:\n  app:\n    image: nextcloud\n  db:\n    image: postgres\n';
    assert.deepEqual(await latest({ 'compose.yaml': compose, '.github/workflows/images.yml': wf }), ['info 3', 'warning 5']);
  });

  it('is info for an image named after the repository (git remote), also through ${{ github.repository }}', async () => {
    const git = '[remote "origin"]\n\turl = git@github.com:acme/api.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n';
    const compose = 'services:\n  app:\n    image: ghcr.io/acme/api:latest\n  worker:\n    image: ghcr.io/acme/api-worker:latest\n  other:\n    image: ghcr.io/someone/api:latest\n';
    assert.deepEqual(await latest({ 'compose.yaml': compose, '.git/config': git }), ['info 3', 'info 5', 'warning 7']);
    const wf = 'env:\n  IMAGE_NAME: ${{ github.repository }}-worker\n';
    const compose2 = 'services:\n  worker:\n    image: quay.io/acme/api-worker:latest\n  other:\n    image: ghcr.io/someone/api:latest\n';
    assert.deepEqual(await latest({ 'compose.yaml': compose2, '.git/config': git, '.github/workflows/w.yml': wf }), ['info 3', 'warning 5']);
  });

  it('is info for an image under the owner\'s namespace with the dashes dropped', async () => {
    const pkg = '{ "name": "x", "repository": { "type": "git", "url": "https://github.com/umbrella-corp/site.git" } }\n';
    const compose = 'services:\n  app:\n    image: umbrellacorp/site-pro:latest\n  db:\n    image: umbrella/site:latest\n';
    assert.deepEqual(await latest({ 'compose.yaml': compose, 'package.json': pkg }), ['info 3', 'warning 5']);
  });

  it('is info for an image the README links on Docker Hub, and for one a compose service builds', async () => {
    const readme = '# API\n[![Pulls](https://img.shields.io/docker/pulls/acme/api)](https://hub.docker.com/r/acme/api)\n';
    assert.deepEqual(await latest({ 'compose.yaml': COMPOSE, 'README.md': readme }), ['info 3', 'warning 5']);
    const built = 'services:\n  web:\n    build: .\n    image: acme/api:latest\n';
    assert.deepEqual(await latest({ 'compose.yaml': COMPOSE, 'docker-compose.build.yml': built }), ['info 3', 'warning 5']);
  });

  it('is info for Maven-built images: Jib\'s target and a -t argument from properties', async () => {
    const jib = '<project>\n<build><plugins><plugin><artifactId>jib-maven-plugin</artifactId><configuration>\n<from><image>eclipse-temurin:21</image></from>\n<to><image>sampleapp:latest</image></to>\n</configuration></plugin></plugins></build>\n</project>\n';
    const compose = 'services:\n  app:\n    image: sampleapp\n  jre:\n    image: eclipse-temurin\n';
    assert.deepEqual(await latest({ 'compose.yaml': compose, 'pom.xml': jib }), ['info 3', 'warning 5']);
    const exec = '<project>\n<properties><docker.image.prefix>acme</docker.image.prefix></properties>\n<argument>buildx</argument><argument>build</argument>\n<argument>-t</argument>\n<argument>${docker.image.prefix}/${project.artifactId}</argument>\n</project>\n';
    const compose2 = 'services:\n  a:\n    image: acme/orders-service\n  b:\n    image: openzipkin/zipkin\n';
    assert.deepEqual(await latest({ 'compose.yaml': compose2, 'pom.xml': exec }), ['info 3', 'warning 5']);
  });
});

describe('project image facts', () => {
  it('reads name templates: registry and tag dropped, variables matched, all-variable names refused', () => {
    assert.deepEqual(imageTemplate('ghcr.io/acme/api:${{ github.sha }}'), { segments: ['acme', 'api'], anyPrefix: false });
    assert.deepEqual(imageTemplate('${REGISTRY}/acme/api'), { segments: ['acme', 'api'], anyPrefix: true });
    assert.equal(imageTemplate('${{ env.REGISTRY }}/${{ env.IMAGE_NAME }}'), undefined);
    assert.equal(imageTemplate('ghcr.io/${OWNER}/${NAME}'), undefined);
    assert.equal(imageTemplate('type=ref,event=branch'), undefined);
  });

  it('finds names in build text only where they are built or published', () => {
    assert.deepEqual(namesInBuildText('docker build -t a/b:1 .\ndocker run -t c/d\ndocker tag a/b:1 e/f:2\n'), ['a/b:1', 'e/f:2']);
    assert.deepEqual(namesInBuildText('outputs: type=image,name=ghcr.io/a/b,push=true\n'), ['ghcr.io/a/b']);
    assert.deepEqual(namesInBuildText('on:\n  push:\n    tags:\n      - "v*"\n'), []);
    assert.deepEqual(namesInBuildText('IMAGE_NAME: ${{ github.repository }}\n', 'acme/api'), ['acme/api']);
  });

  it('takes the repository from a git remote, a manifest or the README\'s clone command and badges', () => {
    assert.equal(repositoryIn([{ name: '.git/config', text: '[remote "origin"]\n\turl = https://github.com/Acme/API.git\n' }]), 'acme/api');
    assert.equal(repositoryIn([{ name: 'go.mod', text: 'module github.com/acme/api/v2\n' }]), 'acme/api');
    assert.equal(repositoryIn([{ name: 'README.md', text: 'git clone https://github.com/acme/api.git\n' }]), 'acme/api');
    // two different repositories in the badges say nothing
    assert.equal(repositoryIn([{ name: 'README.md', text: 'github.com/a/b/actions/x github.com/c/d/actions/y' }]), undefined);
  });

  it('matches a variable prefix to any registry or namespace, and a single name only to itself', () => {
    const images: ProjectImages = { published: [
      { segments: ['api'], anyPrefix: true, file: 'f' }, { segments: ['web'], anyPrefix: false, file: 'g' }] };
    assert.ok(ownImage(images, 'ghcr.io/acme/api:latest'));
    assert.ok(ownImage(images, 'web'));
    assert.equal(ownImage(images, 'acme/web'), undefined);
    assert.equal(ownImage(images, 'acme/apis'), undefined);
  });
});
