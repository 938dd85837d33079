// What the final image of a Dockerfile is for, as far as the file shows: a development, test or example image
// (by its folder or file name), a base or toolchain image (it sets no CMD, ENTRYPOINT or EXPOSE, so other images
// build FROM it or run tools in it), a service (it EXPOSEs a port) or a program of unknown kind. The rules that
// judge the final image (non-root user, HEALTHCHECK, labels, build tools) say less where the purpose is not a service.

import { parseImageRef, isOfficialImage } from './imageRefs';
import { instrsOf, type ImageView } from './imageViews';

export type ImagePurpose =
  /** A development container, test, CI or example image: never published as a product. */
  | { kind: 'dev'; why: string }
  /** No CMD, ENTRYPOINT or EXPOSE of its own: a base or toolchain image; what runs in it is decided elsewhere. */
  | { kind: 'base' }
  /** It EXPOSEs a port: a service. */
  | { kind: 'service' }
  /** It runs a program (CMD or ENTRYPOINT) and exposes no port: a worker, a job or a command-line tool. */
  | { kind: 'program' };

/** Folder names that hold development, test or example images, looked for among a Dockerfile's last six folders. */
const DEV_DIRS = new Set(['.devcontainer', 'devcontainer', 'examples', '.examples', 'example', 'samples', 'sample', 'e2e',
  'playwright', 'cypress', 'test-environments', 'testdata', 'integration-tests', 'e2e-tests']);
/** `test` and `tests` only among the last three folders: deeper, they are more often the project's own location. */
const TEST_DIRS = new Set(['test', 'tests']);
/** Words of a Dockerfile's own name (`Dockerfile.dev`, `ci.Dockerfile`, `Dockerfile-tilt`) that mark such an image. */
const DEV_NAME_WORDS = new Set(['dev', 'development', 'devcontainer', 'test', 'tests', 'testing', 'e2e', 'ci', 'tilt',
  'playwright', 'cypress', 'debug', 'local']);

/** Why a Dockerfile's path marks a development, test or example image, or undefined. */
export function devPathReason(file: string): string | undefined {
  const parts = file.replace(/\\/g, '/').split('/').filter(Boolean);
  const name = parts.pop() ?? '';
  const dirs = parts.slice(-6).reverse();
  const dir = dirs.find((d, i) => DEV_DIRS.has(d.toLowerCase()) || (i < 3 && TEST_DIRS.has(d.toLowerCase())));
  if (dir) return `it sits in a \`${dir}\` folder`;
  const words = name.toLowerCase().split(/[.\-_]+/).filter((w) => w && w !== 'dockerfile' && w !== 'containerfile');
  const word = words.find((w) => DEV_NAME_WORDS.has(w));
  return word ? `its name says \`${word}\`` : undefined;
}

export function imagePurpose(file: string, view: ImageView): ImagePurpose {
  const why = devPathReason(file);
  if (why) return { kind: 'dev', why };
  if (instrsOf(view.configStages, 'EXPOSE').length > 0) return { kind: 'service' };
  if (instrsOf(view.configStages, 'CMD', 'ENTRYPOINT').length > 0) return { kind: 'program' };
  return { kind: 'base' };
}

/** Programs that start as root by design and switch to an unprivileged user themselves, or that do it for another. */
const PRIVILEGE_DROPPERS = new Set(['gosu', 'su-exec', 'setpriv', 'chpst', 's6-setuidgid', 'runuser', 'supervisord', 'php-fpm',
  'apache2-foreground', 'httpd-foreground', 'httpd', 'apache2', 'apache2ctl', 'nginx', 'postfix', 'dovecot', 'master', 'crond', 'cron']);
/** Official images whose own program starts as root and drops privileges (web servers, PHP, PHP applications). */
const OFFICIAL_DROPPERS = new Set(['nginx', 'httpd', 'php', 'wordpress', 'nextcloud', 'drupal', 'joomla', 'matomo', 'mediawiki', 'postfixadmin', 'friendica']);

/**
 * The program that starts the image as root and then drops privileges, when the file shows one (as a phrase
 * for messages): the CMD or
 * ENTRYPOINT runs it (`supervisord`, `php-fpm`, s6-overlay's `/init`), a RUN installs `gosu` or `su-exec` for the
 * entrypoint, or the base is an official web-server or PHP image.
 */
export function privilegeDropper(view: ImageView): string | undefined {
  const words = instrsOf(view.configStages, 'CMD', 'ENTRYPOINT')
    .flatMap((i) => i.jsonArgs ?? i.argsText.split(/\s+/))
    .map((w) => w.trim().replace(/^["'(]+|["');&|]+$/g, ''));
  for (const w of words) {
    const base = w.split('/').pop() ?? '';
    if (PRIVILEGE_DROPPERS.has(base)) return `\`${base}\``;
    if (w === '/init') return 's6-overlay\'s `/init`';
  }
  for (const s of view.fsStages) {
    for (const i of s.instructions) {
      if (i.keyword !== 'RUN' && i.keyword !== 'COPY' && i.keyword !== 'ADD') continue;
      const m = /\b(gosu|su-exec|s6-overlay)\b/.exec(i.argsText);
      if (m) return `\`${m[1]}\` (installed for the entrypoint)`;
    }
  }
  const ref = parseImageRef(view.configStages[0].image.toLowerCase());
  if (ref && isOfficialImage(ref, ref.name) && OFFICIAL_DROPPERS.has(ref.name)) return `the official \`${ref.name}\` image's server`;
  return undefined;
}
