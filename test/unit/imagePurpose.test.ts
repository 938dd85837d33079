// What the final image is for decides how loudly the final-image rules speak: user-non-root, healthcheck-missing,
// oci-labels and multi-stage-build-tools warn on services and programs, and say less (info) on development, test
// and example images, on base or toolchain images (no CMD, ENTRYPOINT or EXPOSE) and where a program drops root itself;
// invalid-default-arg-in-from says less where the FROM names a required build argument.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { devPathReason } from '../../server/src/model/dockerfile/imagePurpose';
import { lint, tempTree } from '../helpers';

async function severities(rel: string, text: string, rule: string): Promise<string[]> {
  const dir = tempTree({ [rel]: text }, 'hullcheck-purpose-');
  return (await lint(path.join(dir, rel), { only: [rule] })).map((f) => f.severity);
}

const SERVICE = 'FROM node:22-slim\nCOPY . /app\nEXPOSE 3000\nCMD ["node", "/app/server.js"]\n';
const PROGRAM = 'FROM node:22-slim\nCOPY . /app\nCMD ["node", "/app/worker.js"]\n';
const TOOLCHAIN = 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends gcc make && rm -rf /var/lib/apt/lists/*\nENV PATH=/opt/tool/bin:$PATH\n';

describe('image purpose from the path', () => {
  it('knows development, test and example images by folder or file name', () => {
    for (const f of ['/r/.devcontainer/Dockerfile', '/r/tests/e2e/Dockerfile', '/r/playwright/compose/keycloak/Dockerfile', '/r/x/Dockerfile.dev',
      '/r/docker/ci.Dockerfile', '/r/Dockerfile-tilt', '/r/.examples/dockerfiles/cron/apache/Dockerfile', '/r/Dockerfile.e2e',
      '/r/.examples/docker-compose/with-nginx-proxy/postgres/fpm/proxy/Dockerfile']) {
      assert.ok(devPathReason(f), f);
    }
  });

  it('leaves service and release paths alone, and a test folder four levels up (where a project may live)', () => {
    for (const f of ['/r/services/api/Dockerfile', '/r/docker/build.Dockerfile', '/r/Dockerfile', '/r/packaging/docker/alpine/Dockerfile',
      '/home/u/test/proj/docker/app/Dockerfile', '/r/Dockerfile.alpine', '/r/Dockerfile.developer-tools-nope']) {
      assert.equal(devPathReason(f), undefined, f);
    }
  });
});

describe('user-non-root by purpose', () => {
  it('warns on a service and a program', async () => {
    assert.deepEqual(await severities('Dockerfile', SERVICE, 'user-non-root'), ['warning']);
    assert.deepEqual(await severities('Dockerfile', PROGRAM, 'user-non-root'), ['warning']);
  });

  it('notes a toolchain image, a test image and a program that drops root itself', async () => {
    assert.deepEqual(await severities('Dockerfile', TOOLCHAIN, 'user-non-root'), ['info']);
    assert.deepEqual(await severities('tests/Dockerfile', SERVICE, 'user-non-root'), ['info']);
    assert.deepEqual(await severities('Dockerfile', 'FROM debian:12\nEXPOSE 25\nCMD ["/usr/bin/supervisord", "-c", "/etc/supervisord.conf"]\n', 'user-non-root'), ['info']);
    assert.deepEqual(await severities('Dockerfile', 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends gosu && rm -rf /var/lib/apt/lists/*\nEXPOSE 80\nENTRYPOINT ["/entrypoint.sh"]\n', 'user-non-root'), ['info']);
    assert.deepEqual(await severities('Dockerfile', 'FROM php:8.3-fpm\nCOPY . /var/www/html\nCMD ["php-fpm"]\n', 'user-non-root'), ['info']);
    assert.deepEqual(await severities('Dockerfile', 'FROM ubuntu:24.04\nEXPOSE 80\nCMD ([ -z "$CRON_MIN" ] || cron) && exec apache2 -D FOREGROUND\n', 'user-non-root'), ['info']);
    const [f] = await lint(path.join(tempTree({ Dockerfile: TOOLCHAIN }), 'Dockerfile'), { only: ['user-non-root'] });
    assert.match(f.message, /no CMD, ENTRYPOINT or EXPOSE/);
    assert.equal(f.fixes.length, 1, 'the fix is still offered');
  });
});

describe('healthcheck-missing by purpose', () => {
  it('warns on a service only', async () => {
    assert.deepEqual(await severities('Dockerfile', SERVICE, 'healthcheck-missing'), ['warning']);
    assert.deepEqual(await severities('Dockerfile', PROGRAM, 'healthcheck-missing'), ['info']);
    assert.deepEqual(await severities('Dockerfile', TOOLCHAIN, 'healthcheck-missing'), ['info']);
    assert.deepEqual(await severities('e2e/Dockerfile', SERVICE, 'healthcheck-missing'), ['info']);
  });
});

describe('oci-labels and multi-stage-build-tools by purpose', () => {
  it('oci-labels notes development, test and example images (published ones warn: imagePublication.test.ts)', async () => {
    // no build of the project pushes this image, so whether it is published is unknown
    assert.deepEqual(await severities('Dockerfile', TOOLCHAIN, 'oci-labels'), ['info']);
    assert.deepEqual(await severities('examples/Dockerfile', SERVICE, 'oci-labels'), ['info']);
    assert.deepEqual(await severities('Dockerfile.dev', SERVICE, 'oci-labels'), ['info']);
  });

  it('the final-image rules note a packaging image and an idle development container, and not a service run by npm', async () => {
    const pkg = 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends build-essential && rm -rf /var/lib/apt/lists/*\nCOPY build.sh /build.sh\nCMD ["/build.sh"]\n';
    const idle = 'FROM node:22\nRUN apt-get update && apt-get install -y --no-install-recommends g++ && rm -rf /var/lib/apt/lists/*\nEXPOSE 3000\nCMD ["tail", "-f", "/dev/null"]\n';
    for (const rule of ['multi-stage-build-tools', 'user-non-root']) {
      assert.deepEqual(await severities('Dockerfile', pkg, rule), ['info'], rule);
      assert.deepEqual(await severities('Dockerfile', idle, rule), ['info'], rule);
    }
    assert.deepEqual(await severities('Dockerfile', idle, 'healthcheck-missing'), ['info']);
    const devServer = 'FROM golang:1.22-alpine\nWORKDIR /src\nEXPOSE 8080\nENTRYPOINT ["go", "run", "main.go"]\nCMD ["server"]\n';
    assert.deepEqual(await severities('Dockerfile', devServer, 'user-non-root'), ['info']);
    const created = 'FROM debian:12\nRUN useradd -m app\nEXPOSE 80\nCMD ["/app"]\n';
    assert.deepEqual(await severities('Dockerfile', created, 'user-non-root'), ['info']);
    assert.deepEqual(await severities('Dockerfile', 'FROM debian:12\nEXPOSE 80\nCMD ["/app"]\n', 'user-non-root'), ['warning']);
    const npmStart = 'FROM node:22\nRUN apt-get update && apt-get install -y --no-install-recommends g++ && rm -rf /var/lib/apt/lists/*\nEXPOSE 3000\nCMD ["npm", "run", "start"]\n';
    assert.deepEqual(await severities('Dockerfile', npmStart, 'multi-stage-build-tools'), ['warning']);
  });

  it('healthcheck-missing notes a service on scratch or distroless with no probe tool, and warns once the build copies one in', async () => {
    const bare = 'FROM scratch\nCOPY app /app\nEXPOSE 80\nENTRYPOINT ["/app"]\n';
    assert.deepEqual(await severities('Dockerfile', bare, 'healthcheck-missing'), ['info']);
    assert.deepEqual(await severities('Dockerfile', bare.replace('scratch', 'gcr.io/distroless/static-debian12'), 'healthcheck-missing'), ['info']);
    const withCurl = 'FROM alpine:3.20 AS tools\nRUN apk add --no-cache curl\nFROM scratch\nCOPY --from=tools /usr/bin/curl /usr/bin/curl\nCOPY app /app\nEXPOSE 80\nENTRYPOINT ["/app"]\n';
    assert.deepEqual(await severities('Dockerfile', withCurl, 'healthcheck-missing'), ['warning']);
  });

  it('image-tag-latest notes a test image and the project\'s own image, and warns on a third-party image elsewhere', async () => {
    assert.deepEqual(await severities('tests/Dockerfile', 'FROM freeradius/freeradius-server:latest\n', 'image-tag-latest'), ['info']);
    assert.deepEqual(await severities('Dockerfile', 'FROM freeradius/freeradius-server:latest\n', 'image-tag-latest'), ['warning']);
    const dir = tempTree({ '.git/HEAD': '', 'compose.yaml': 'services:\n  base:\n    image: acme-base\n    build: ./base\n', 'base/Dockerfile': 'FROM debian:12\n', 'Dockerfile': 'FROM acme-base\nFROM other-base\n' });
    const found = await lint(path.join(dir, 'Dockerfile'), { only: ['image-tag-latest'] });
    assert.deepEqual(found.map((f) => f.severity), ['info', 'warning']);
  });

  it('cache-order-deps notes a broad copy before cargo build (cargo-chef separates the dependencies) and warns before cargo fetch', async () => {
    const build = 'FROM rust:1.83\nWORKDIR /src\nCOPY . .\nRUN cargo build --release\n';
    assert.deepEqual(await severities('Dockerfile', build, 'cache-order-deps'), ['info']);
    assert.deepEqual(await severities('Dockerfile', build.replace('cargo build --release', 'cargo fetch'), 'cache-order-deps'), ['warning']);
  });

  it('multi-stage-build-tools warns on a service and notes a toolchain image', async () => {
    assert.deepEqual(await severities('Dockerfile', TOOLCHAIN, 'multi-stage-build-tools'), ['info', 'info']);
    const svc = 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends gcc && rm -rf /var/lib/apt/lists/*\nEXPOSE 80\nCMD ["/app"]\n';
    assert.deepEqual(await severities('Dockerfile', svc, 'multi-stage-build-tools'), ['warning']);
  });
});

describe('invalid-default-arg-in-from with a required build argument', () => {
  it('is info when every ARG in the image name has no default at all, a warning when a default expands badly', async () => {
    assert.deepEqual(await severities('Dockerfile', 'ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nRUN x\n', 'invalid-default-arg-in-from'), ['info']);
    assert.deepEqual(await severities('Dockerfile', 'ARG GO\nARG ALPINE\nFROM golang:${GO}-alpine${ALPINE}\n', 'invalid-default-arg-in-from'), ['info']);
    assert.deepEqual(await severities('Dockerfile', 'ARG TAG=\nFROM alpine:${TAG}\n', 'invalid-default-arg-in-from'), ['warning']);
    assert.deepEqual(await severities('Dockerfile', 'ARG TAG=bad tag\nARG BASE\nFROM ${BASE}:${TAG}\n', 'invalid-default-arg-in-from'), ['warning']);
  });
});

describe('daemons that need root', () => {
  it('makes user-non-root info where the image runs a VPN, the firewall, cron or Docker in Docker, and leaves other services a warning', async () => {
    assert.deepEqual(await severities('vpn/Dockerfile', 'FROM alpine:3.20\nRUN apk add --no-cache openvpn\nEXPOSE 1194/udp\nCMD ["openvpn", "--config", "/etc/openvpn/server.conf"]\n', 'user-non-root'), ['info']);
    assert.deepEqual(await severities('fw/Dockerfile', 'FROM debian:12-slim\nCOPY rules.nft /etc/rules.nft\nCMD ["/usr/sbin/nft", "-f", "/etc/rules.nft"]\n', 'user-non-root'), ['info']);
    assert.deepEqual(await severities('dind/Dockerfile', 'FROM docker:27-dind\nEXPOSE 2376\n', 'user-non-root'), ['info']);
    assert.deepEqual(await severities('app/Dockerfile', SERVICE, 'user-non-root'), ['warning']);
  });
});
