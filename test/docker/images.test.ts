// Image budgets, layer attribution, wasted bytes and image checks against a real dockerd: a debootstrap'd
// Debian chain (builder -> runtime -> FROM scratch squash), busybox scratch images built for each test, and the
// documentation examples of every image rule (the rule test harness skips those: they need an engine).

import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DockerEngine } from '../../server/src/docker/connection';
import { analyzeImage, findImage, saveAndAnalyze } from '../../server/src/docker/images';
import { IMAGE_RULES } from '../../server/src/engine/imageRules';
import { loadWorkspace } from '../../server/src/docker/workspace';
import { nodeHost } from '../../server/src/core/fileHost';
import { BASE_IMAGE, build, cleanup, context, ensureEngine, runCli, SCRATCH_HEADER, unpackedSize } from './engine';

const CHAIN = `FROM ${BASE_IMAGE} AS builder
RUN mkdir -p /out && head -c 5000000 /dev/urandom > /out/tool && echo built > /out/version
FROM ${BASE_IMAGE} AS runtime
ARG VERSION=dev
COPY --from=builder /out /opt/app
RUN rm -rf /usr/share/doc /usr/share/man && mkdir -p /app/data
FROM scratch
ARG VERSION=dev
COPY --from=runtime / /
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
LABEL org.opencontainers.image.version="\${VERSION}"
USER 1000:1000
HEALTHCHECK --interval=5s --timeout=2s --retries=2 CMD ["/bin/true"]
CMD ["/bin/sleep", "300"]
`;
const COMPOSE = `services:
  squash:
    image: hc-test/squash:1
    build: { context: ., dockerfile: Dockerfile }
    x-hullcheck: { budget: 50MB }
  runtime:
    image: hc-test/runtime:1
    build: { context: ., dockerfile: Dockerfile, target: runtime }
`;
const tags = ['hc-test/squash:1', 'hc-test/runtime:1', 'hc-test/builder:1', 'hc-test/waste:1', 'hc-test/bad:1', 'hc-test/clean:1'];
let chainDir = '';
let engine: DockerEngine;

const run = runCli;

before(() => {
  ensureEngine();
  chainDir = context({ Dockerfile: CHAIN, 'compose.yml': COMPOSE, '.hullcheck.yaml': 'budgets:\n  "hc-test/runtime:*": 2GB\n' }, false);
  // every stage is tagged (same build args, so the builds share their cache): removing the tags removes the
  // stage images too, and no untagged image of this test is left behind
  build(chainDir, 'hc-test/builder:1', ['--target', 'builder', '--build-arg', 'VERSION=1.4.0']);
  build(chainDir, 'hc-test/runtime:1', ['--target', 'runtime', '--build-arg', 'VERSION=1.4.0']);
  build(chainDir, 'hc-test/squash:1', ['--build-arg', 'VERSION=1.4.0']);
  engine = new DockerEngine();
});
after(() => { engine?.dispose(); cleanup(tags); });

test('the squashed image size is the engine\'s unpacked size and every history entry maps to its Dockerfile line', async () => {
  await engine.connect();
  const model = await loadWorkspace(chainDir, nodeHost);
  const local = await findImage(engine, 'hc-test/squash:1');
  assert.ok(local);
  assert.equal(local.size, unpackedSize('hc-test/squash:1'));
  const image = await analyzeImage(engine, model, nodeHost, local);
  assert.equal(image.mapping.service?.service, 'squash');
  const lineOf = (kw: string) => image.layers.find((l) => l.keyword === kw)?.instr?.range.start.line;
  assert.equal(lineOf('COPY'), 8, 'COPY --from=runtime / / is line 9');
  assert.equal(lineOf('ENV'), 9);
  assert.equal(lineOf('HEALTHCHECK'), 12);
  assert.equal(lineOf('CMD'), 13);
  const copy = image.layers.find((l) => l.keyword === 'COPY')!;
  assert.ok(copy.size > 100e6 && copy.size <= local.size, `the squash layer carries the filesystem (${copy.size})`);
  assert.ok(!image.layers.some((l) => l.base), 'FROM scratch has no base layers');
  // the label added with --label at build time is not a Dockerfile line
  const extra = image.layers.filter((l) => !l.instr);
  assert.deepEqual(extra.map((l) => l.short), ['LABEL hullcheck.test=1']);
});

test('a runtime stage built with --target attributes base layers to its FROM and its own steps to their lines', async () => {
  const model = await loadWorkspace(chainDir, nodeHost);
  const local = (await findImage(engine, 'hc-test/runtime:1'))!;
  const image = await analyzeImage(engine, model, nodeHost, local);
  assert.equal(image.mapping.target, 'runtime');
  const base = image.layers.filter((l) => l.base);
  assert.ok(base.length >= 1 && base.every((l) => l.instr?.range.start.line === 2));
  const run = image.layers.find((l) => l.keyword === 'RUN' && !l.base)!;
  assert.equal(run.instr?.range.start.line, 5);
  const copy = image.layers.find((l) => l.keyword === 'COPY')!;
  assert.equal(copy.instr?.range.start.line, 4);
  assert.ok(copy.size >= 5_000_000 && copy.size < 5_100_000, `the copied tool is about 5 MB (${copy.size})`);
});

test('hullcheck budgets reports the squash over its 50MB compose budget and the runtime under 2GB, worst first', async () => {
  const r = await run(['budgets', '--format', 'json'], chainDir);
  assert.equal(r.code, 1, r.stderr);
  const rows = JSON.parse(r.stdout).images as { budget: string; image: string; status: string; percent: number; dockerfile: string }[];
  const squash = rows.find((x) => x.image === 'hc-test/squash:1')!;
  const runtime = rows.find((x) => x.image === 'hc-test/runtime:1')!;
  assert.equal(squash.status, 'over');
  assert.equal(squash.budget, 'squash');
  assert.equal(squash.dockerfile, 'Dockerfile');
  assert.equal(runtime.status, 'under');
  assert.equal(runtime.budget, 'hc-test/runtime:*');
  assert.ok(rows.indexOf(squash) < rows.indexOf(runtime));
  const text = await run(['budgets'], chainDir);
  assert.match(text.stdout, /OVER\s+squash\s+hc-test\/squash:1/);
});

test('wasted bytes count a file deleted by a later layer and a file overwritten later, each path once', async () => {
  const dir = context({ Dockerfile: `${SCRATCH_HEADER}RUN dd if=/dev/zero of=/big bs=1048576 count=8\nRUN dd if=/dev/zero of=/x bs=1048576 count=1\nRUN dd if=/dev/zero of=/x bs=1048576 count=2\nRUN rm /big\n` });
  const id = build(dir, 'hc-test/waste:1');
  const save = await saveAndAnalyze(engine, id);
  assert.equal(save.wastedBytes, 9 * 1048576);
  assert.deepEqual(save.topWasted.map((w) => [w.path, w.bytes]), [['/big', 8 * 1048576], ['/x', 1048576]]);
  // the last layer (rm /big) is the one that hides the 8 MB
  assert.equal(save.layers[save.layers.length - 1].wastedBelow, 8 * 1048576);
});

test('image checks catch root, missing HEALTHCHECK and version label, a secret Env and .env files, with Dockerfile lines', async () => {
  const files = {
    Dockerfile: `${SCRATCH_HEADER}ENV API_TOKEN=abcd1234efgh5678 LOG_LEVEL=info\nCOPY .env /app/.env\nCOPY deep /app/deep\nCMD ["/bin/sleep", "60"]\n`,
    '.env': 'API_TOKEN=abcd1234efgh5678\n',
    'deep/a/b/.env.production': 'X=1\n',
    '.hullcheck.yaml': 'budgets:\n  "hc-test/bad:*": { size: 100MB, dockerfile: Dockerfile }\n',
  };
  const dir = context(files);
  build(dir, 'hc-test/bad:1');
  const r = await run(['image', '--format', 'json', 'hc-test/bad:1'], dir);
  assert.equal(r.code, 1, r.stderr);
  const findings = JSON.parse(r.stdout).findings as { file: string; rule: string; line: number; message: string }[];
  const rules = findings.map((f) => f.rule).sort();
  assert.deepEqual(rules, ['image-healthcheck', 'image-non-root', 'image-oci-version-label', 'image-secret-env', 'image-secret-file', 'image-secret-file']);
  assert.ok(findings.every((f) => f.file === 'hc-test/bad:1'));
  const env = findings.find((f) => f.rule === 'image-secret-env')!;
  assert.equal(env.line, 4);
  assert.ok(!env.message.includes('abcd1234efgh5678') && env.message.includes('abc***'));
  const files2 = findings.filter((f) => f.rule === 'image-secret-file').map((f) => [f.message.match(/\/app\/\S+(?=,)/)?.[0], f.line]).sort();
  assert.deepEqual(files2, [['/app/.env', 5], ['/app/deep/a/b/.env.production', 6]]);
  assert.equal(findings.find((f) => f.rule === 'image-non-root')!.line, 1);

  // rule settings in .hullcheck.yaml apply to image rules like to lint rules; SARIF links each rule's page
  fs.writeFileSync(path.join(dir, '.hullcheck.yaml'), 'rules:\n  image-healthcheck: off\n  image-non-root: info\n  image-secret-env: { severity: warning }\n');
  const configured = await run(['image', '--format', 'json', 'hc-test/bad:1'], dir);
  const got = JSON.parse(configured.stdout).findings as { rule: string; severity: string }[];
  assert.ok(!got.some((f) => f.rule === 'image-healthcheck'), 'image-healthcheck: off silences it');
  assert.deepEqual([...new Set(got.filter((f) => f.rule === 'image-non-root' || f.rule === 'image-secret-env').map((f) => `${f.rule}=${f.severity}`))].sort(),
    ['image-non-root=info', 'image-secret-env=warning']);
  const defaults = new Map((findings as unknown as { rule: string; severity: string }[]).map((f) => [f.rule, f.severity]));
  const secretFiles = got.filter((f) => f.rule === 'image-secret-file');
  assert.ok(secretFiles.length > 0 && secretFiles.every((f) => f.severity === defaults.get('image-secret-file')), 'unconfigured rules keep their default');
  const sarif = JSON.parse((await run(['image', '--format', 'sarif', 'hc-test/bad:1'], dir)).stdout);
  const sarifRule = sarif.runs[0].tool.driver.rules.find((r: { id: string }) => r.id === 'image-secret-file');
  assert.match(sarifRule.helpUri, /server\/docs\/rules\/image-secret-file\.md$/);
  assert.deepEqual(sarifRule.properties.tags, ['image', 'security']);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('image checks are silent on a clean image and --budget makes the same image fail its budget', async () => {
  const dir = context({ Dockerfile: `${SCRATCH_HEADER}LABEL org.opencontainers.image.version=1.0\nUSER 1000:1000\nHEALTHCHECK --interval=5s --timeout=1s CMD ["/bin/true"]\nCMD ["/bin/sleep", "60"]\n` });
  build(dir, 'hc-test/clean:1');
  const clean = await run(['image', '--format', 'json', 'hc-test/clean:1'], dir);
  assert.equal(clean.code, 0, clean.stdout + clean.stderr);
  assert.deepEqual(JSON.parse(clean.stdout).findings, []);
  const tight = await run(['image', '--budget', '1MB', '--format', 'json', 'hc-test/clean:1'], dir);
  assert.equal(tight.code, 1);
  assert.deepEqual(JSON.parse(tight.stdout).findings.map((f: { rule: string }) => f.rule), ['image-budget']);
  const missing = await run(['image', 'hc-test/does-not-exist:1'], dir);
  assert.equal(missing.code, 2);
  fs.rmSync(path.join(dir), { recursive: true, force: true });
});

// The docs examples use the Hub's Debian image; the test engine has no registry, so they build on the local
// debootstrap'd Debian instead (a bigger base: the image-budget example leaves room for both).
const DOC_BASE = 'debian:bookworm-slim';

for (const rule of IMAGE_RULES) {
  const { id, docs } = rule.meta;
  test(`${id}: fires on the image of its invalid doc example and stays silent on its valid one`, async () => {
    assert.ok(docs.invalid.includes(`FROM ${DOC_BASE}`) && docs.valid.includes(`FROM ${DOC_BASE}`), 'examples build on the documented base');
    for (const kind of ['invalid', 'valid'] as const) {
      const tag = `myorg/app:hc-doc-${id}-${kind}`;
      const dir = context({ Dockerfile: docs[kind].split(`FROM ${DOC_BASE}`).join(`FROM ${BASE_IMAGE}`), ...docs.files }, false);
      try {
        build(dir, tag);
        const r = await run(['image', '--format', 'json', '--fail-level', 'none', tag], dir);
        assert.equal(r.code, 0, r.stderr);
        const mine = (JSON.parse(r.stdout).findings as { rule: string; message: string }[]).filter((f) => f.rule === id);
        if (kind === 'invalid') assert.ok(mine.length > 0, `${id} did not fire on its invalid example`);
        else assert.deepEqual(mine.map((f) => f.message), [], `${id} fired on its valid example`);
      } finally {
        cleanup([tag]);
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  });
}
