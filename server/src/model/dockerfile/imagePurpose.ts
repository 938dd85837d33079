// What the final image of a Dockerfile is for, as far as the file shows: a development, test or example image
// (by its folder or file name), a base or toolchain image (it sets no CMD, ENTRYPOINT or EXPOSE, so other images
// build FROM it or run tools in it), a service (it EXPOSEs a port) or a program of unknown kind. The rules that
// judge the final image (non-root user, HEALTHCHECK, labels, build tools) say less where the purpose is not a service.

import { parseImageRef, isOfficialImage } from './imageRefs';
import { instrsOf, type ImageView } from './imageViews';
import { trimLeading, trimTrailing } from '../../core/strings';

export type ImagePurpose =
  /** A development container, test, CI, packaging or example image: never published as a product. */
  | { kind: 'dev'; why: string }
  /** No CMD, ENTRYPOINT or EXPOSE of its own: a base or toolchain image; what runs in it is decided elsewhere. */
  | { kind: 'base' }
  /** It EXPOSEs a port: a service. */
  | { kind: 'service' }
  /** It runs a program (CMD or ENTRYPOINT) and exposes no port: a worker, a job or a command-line tool. */
  | { kind: 'program' };

/** A CMD/ENTRYPOINT word without the quotes, parentheses and separators around it (`"exec`, `cron);`). */
function bareWord(w: string): string {
  return trimTrailing(trimLeading(w.trim(), '"\'('), '"\');&|');
}

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

/** Programs whose run is a build: the image is a build or packaging environment. */
const BUILD_PROGRAMS = new Set(['make', 'dpkg-buildpackage', 'debuild', 'rpmbuild', 'mock', 'makepkg', 'abuild', 'fpm', 'nfpm', 'goreleaser']);
/** Subcommands that build with a language's tool (`cargo build`, `npm run build`). */
const BUILD_SUBCOMMANDS: ReadonlyMap<string, RegExp> = new Map([
  ['cargo', /^(?:build|deb|rpm)$/], ['go', /^build$/], ['mvn', /^(?:package|install|verify)$/], ['gradle', /^(?:build|assemble)$/],
  ['npm', /^(?:run|run-script)$/], ['yarn', /^build$/], ['pnpm', /^(?:run|build)$/],
]);

/** Why the CMD/ENTRYPOINT marks a build or development container (as a phrase for messages), or undefined. */
export function commandPurposeReason(view: ImageView): string | undefined {
  const words = instrsOf(view.configStages, 'CMD', 'ENTRYPOINT').slice(-2)
    .flatMap((i) => i.jsonArgs ?? i.argsText.split(/\s+/)).map(bareWord).filter(Boolean);
  const joined = words.join(' ');
  // a development server that builds and reloads the source it runs
  const dev = /(?:^|\s)(go run|nodemon|air|ng serve|(?:npm|yarn|pnpm)(?: run)? (?:dev|watch|serve))(?:\s|$)/.exec(joined);
  if (dev) return `its command runs a development server, \`${dev[1]}\``;
  // a container kept idle for `docker exec`: a development or build environment
  if (/(?:^|\s)(?:tail -f \/dev\/null|sleep infinity)(?:\s|$)/.test(joined)) return `its command only keeps the container idle with \`${/tail/.test(joined) ? 'tail -f /dev/null' : 'sleep infinity'}\``;
  for (let i = 0; i < words.length; i++) {
    const base = words[i].split('/').pop() ?? '';
    const sub = BUILD_SUBCOMMANDS.get(base);
    if (BUILD_PROGRAMS.has(base) || /^(?:build|package|packaging|make)(?:[-_][\w-]+)?\.sh$/.test(base)
      || (sub && sub.test(words[i + 1] ?? '') && (base !== 'npm' && base !== 'pnpm' || /^build\b/.test(words[i + 2] ?? words[i + 1] ?? '')))) {
      return `its command runs a build with \`${base}\`, like a packaging image`;
    }
  }
  return undefined;
}

export function imagePurpose(file: string, view: ImageView): ImagePurpose {
  const why = devPathReason(file) ?? commandPurposeReason(view);
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
    .map(bareWord);
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

/** A command (at a command's position) in an entrypoint script that switches to an unprivileged user, or runs a supervisor that does. */
const SCRIPT_DROP = /(?:^[ \t]*|[;&|(`][ \t]*|\b(?:then|do|else)[ \t]+)((?:exec[ \t]+)?(?:gosu|su-exec|runuser|s6-setuidgid|setuidgid|chpst[ \t]+-u|setpriv|capsh[ \t]+--user|chroot[ \t]+--userspec|sudo[ \t]+-u|su[ \t]+[\w$"{}-]+[ \t]+-c|[\w./-]*supervisord))(?=[ \t=]|$)/m;

/** The program an entrypoint script drops root with (for messages), if it does. */
export function scriptDropper(text: string): string | undefined {
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*#/.test(line)) continue;
    const m = SCRIPT_DROP.exec(line);
    if (m) return m[1].replace(/^exec\s+/, '').split(/\s+/)[0].split('/').pop();
  }
  return undefined;
}

/** Programs that need root to do their work, with why (for messages). */
const ROOT_DAEMONS: ReadonlyMap<string, string> = new Map([
  ...['openvpn', 'wg-quick', 'wg', 'wireguard-go', 'pppd', 'charon', 'ipsec'].map((n) => [n, 'sets up network interfaces and routes'] as const),
  ...['iptables', 'ip6tables', 'iptables-legacy', 'iptables-nft', 'nft'].map((n) => [n, 'changes the firewall rules'] as const),
  ...['cron', 'crond', 'busybox-crond'].map((n) => [n, 'runs each job as its owner'] as const),
  ...['dockerd', 'dockerd-entrypoint.sh'].map((n) => [n, 'runs containers (Docker in Docker)'] as const),
  ...['systemd', 'init'].map((n) => [n, 'is the init system'] as const),
]);
/** Packages that install such a program: an image that installs one runs it. */
const ROOT_PACKAGES: ReadonlyMap<string, string> = new Map([
  ['openvpn', 'openvpn'], ['wireguard-tools', 'wg-quick'], ['wireguard', 'wg-quick'], ['iptables', 'iptables'], ['nftables', 'nft'],
  ['cron', 'cron'], ['cronie', 'crond'], ['dcron', 'crond'], ['systemd-sysv', 'systemd'], ['strongswan', 'charon'], ['ppp', 'pppd'],
]);
const INSTALL = /\b(?:apk\s+(?:--[\w-]+\s+)*add|apt-get\s+(?:-\S+\s+)*install|apt\s+(?:-\S+\s+)*install|(?:dnf|yum|microdnf|zypper)\s+(?:-\S+\s+)*install)\b([^;&|]*)/g;

/**
 * A program of the image that needs root to work (as a phrase for messages): the CMD or ENTRYPOINT runs it
 * (`openvpn`, `wg-quick`, `iptables`, `crond`, `dockerd`, systemd), a RUN installs its package, or the base is
 * Docker's `dind` image.
 */
export function rootDaemon(view: ImageView): string | undefined {
  const say = (name: string, why: string) => `\`${name}\` needs root: it ${why}`;
  const words = instrsOf(view.configStages, 'CMD', 'ENTRYPOINT')
    .flatMap((i) => i.jsonArgs ?? i.argsText.split(/\s+/))
    .map(bareWord);
  for (const w of words) {
    const base = w.split('/').pop() ?? '';
    // `init` only as a path (`/sbin/init`): a bare `init` word is too common an argument
    const why = ROOT_DAEMONS.get(base);
    if (why && (base !== 'init' || /^\/(?:usr\/)?s?bin\/init$|^\/lib\/systemd\/systemd$/.test(w))) return say(base, why);
  }
  for (const s of view.fsStages) {
    for (const i of s.instructions) {
      if (i.keyword !== 'RUN') continue;
      for (const m of i.argsText.matchAll(INSTALL)) {
        for (const word of m[1].split(/\s+/)) {
          const pkg = word.replace(/^["']|["'\\]$/g, '').split(/[=<>~]/)[0].toLowerCase();
          const prog = ROOT_PACKAGES.get(pkg);
          if (prog) return say(prog, ROOT_DAEMONS.get(prog)!);
        }
      }
    }
  }
  const ref = parseImageRef(view.configStages[0].image.toLowerCase());
  if (ref && isOfficialImage(ref, ref.name) && ref.name === 'docker' && /(?:^|-)dind(?:-|$)/.test(ref.tag ?? '')) return say('dockerd', ROOT_DAEMONS.get('dockerd')!);
  return undefined;
}
