// user-non-root: the final image should switch to an unprivileged user, so a compromised process is not
// root inside the container (and closer to root on the host).

import * as path from 'node:path';
import type { DockerfileRule } from '../context';
import type { Instr } from '../../parse/dockerfile';
import { fix, isProgram } from '../../model/dockerfile/wordsAndEdits';
import {
  createdUser, familyOf, globMatch, insertLines, runConfigInsertion,
} from '../../model/dockerfile/stages';
import { configBase, knownBaseConfig } from '../baseConfig';
import { imagePurpose, privilegeDropper, rootDaemon, scriptDropper } from '../../model/dockerfile/imagePurpose';
import { instrsOf, type ImageView } from '../../model/dockerfile/imageViews';
import { modelOf } from '../../model/dockerfile/model';

const ROOT = /^(root|0)(:(root|0))?$/;
/** An ENV or VOLUME that points the image at the engine socket (`DOCKER_HOST=unix:///var/run/docker.sock`). */
const ENGINE_SOCKET = /(?:^|[\s=:"'\/])(?:var\/)?run\/docker\.sock\b/;

/** Whether config allows this Dockerfile to run as root: globs over base image, path and service name. */
function allowedRoot(globs: string[], file: string, view: ImageView, configFiles: string[]): boolean {
  if (globs.length === 0) return false;
  const abs = path.resolve(file);
  const candidates = new Set<string>([view.baseImage, view.configStages[0].image.toLowerCase(), file, abs, path.relative(process.cwd(), abs)]);
  for (const c of configFiles) candidates.add(path.relative(path.dirname(path.resolve(c)), abs));
  // a service folder name, as in services/<name>/Dockerfile
  candidates.add(path.basename(path.dirname(abs)));
  const norm = [...candidates].map((c) => c.split(path.sep).join('/'));
  return globs.some((g) => norm.some((c) => globMatch(g, c)));
}

/** Lines that create (if needed) and switch to an unprivileged user, by distro family. */
function userLines(view: ImageView): string[] {
  const existing = createdUser(view.fsStages);
  if (existing) return [`USER ${existing}`];
  const fam = familyOf(view.baseImage);
  const usesRun = (...progs: string[]) => view.fsStages.some((s) => s.instructions.some((i) => i.keyword === 'RUN' && i.commands().some((c) => isProgram(c, ...progs))));
  if (fam === 'distroless') return ['USER nonroot'];
  if (fam === 'alpine' || fam === 'busybox' || (fam === 'unknown' && usesRun('apk'))) {
    return ['RUN addgroup -S app && adduser -S app -G app', 'USER app'];
  }
  if (fam === 'debian' || fam === 'ubuntu' || (fam === 'unknown' && usesRun('apt-get', 'apt', 'dnf', 'yum', 'microdnf'))) {
    return ['RUN groupadd --system app && useradd --system --gid app --no-create-home app', 'USER app'];
  }
  // no known way to add a user (scratch, unknown bases): a numeric id needs no /etc/passwd entry
  return ['USER 65532:65532'];
}

const rule: DockerfileRule = {
  meta: {
    id: 'user-non-root',
    language: 'dockerfile',
    category: 'security',
    title: 'Run the final image as a non-root user',
    severity: 'warning',
    fix: 'unsafe',
    hadolint: ['DL3002'],
    docs: {
      rationale:
        'A container runs as root unless the image says otherwise. Root inside the container can change every file ' +
        'of the image, bind low ports and, with a kernel or runtime bug or a careless mount, reach the host as root. ' +
        'Switching the final image to an unprivileged USER limits what a compromised process can do.',
      invalid: 'FROM node:22-slim\nCOPY . /app\nCMD ["node", "/app/server.js"]\n',
      valid: 'FROM node:22-slim\nCOPY . /app\nUSER node\nCMD ["node", "/app/server.js"]\n',
      notes:
        '**What the image is for.** A warning where the final image runs a program: it EXPOSEs a port or sets a CMD or ENTRYPOINT. It is info where running as root is expected or unknown: a development, test or example image (a `.devcontainer`, `examples`, `e2e`, `playwright` or `cypress` folder among its last six folders, `test`/`tests` among the last three, or a name such as `Dockerfile.dev`, `ci.Dockerfile`, `Dockerfile-tilt`; or a CMD/ENTRYPOINT that runs a build, such as `make`, `build.sh`, `rpmbuild`, `cargo build` or `npm run build`, a development server such as `go run`, `nodemon` or `npm run dev`, or only keeps the container idle with `tail -f /dev/null` or `sleep infinity`); a base or toolchain image (no CMD, ENTRYPOINT or EXPOSE: what runs in it is decided by the images built on it); and a program that starts as root by design and switches users itself (`supervisord`, `php-fpm`, `nginx`, `httpd`, s6-overlay\'s `/init`, an entrypoint given `gosu` or `su-exec`, an official web-server or PHP image, or an entrypoint script copied from the build context that runs `gosu`, `su-exec`, `setpriv`, `runuser`, `s6-setuidgid`, `chpst -u`, `capsh --user`, `chroot --userspec`, `su <user> -c` or supervisord); an image that creates an unprivileged user (`useradd`, `adduser`) but sets no USER, whose entrypoint or program likely switches to it at run time; a container given the engine socket, which is root on the host whatever its USER (a compose service that builds the image and mounts `/var/run/docker.sock`, a `docker run` in a README in its folder or above that mounts it, or an ENV/VOLUME in the image that points at it); and a daemon that needs root to work, run by the CMD or ENTRYPOINT or installed by a RUN (`openvpn`, `wg-quick`, `iptables`/`nft`, `cron`/`crond`, Docker in Docker\'s `dockerd` or a `docker:*-dind` base, systemd as `/sbin/init`), where the message says why and asks to grant the container only the privileges it needs.\n\n' +
        'The rule fires when the final image has no USER at all or when its last USER is `root` or `0` (also ' +
        '`root:root`, `0:0`). A USER in a stage the final stage builds `FROM` counts; one in the source of a ' +
        '`FROM scratch` + `COPY --from=<stage> / /` squash does not carry over (squash-stage-drops-config reports that ' +
        'dropped USER, and this rule then stays silent). Base images whose tag says ' +
        '`nonroot` (distroless) already run unprivileged.\n\n' +
        'Without a USER, whether the image runs as root depends on the base. That is known for scratch, distroless ' +
        'and Docker\'s official images (root, except those that end on their own user, such as haproxy or ' +
        'elasticsearch, which pass). On any other base (`quay.io/jupyter/base-notebook` runs as `jovyan`) the ' +
        'finding is info and says the base\'s user is unknown; `hullcheck image` checks the built image itself.\n\n' +
        'Difference from hadolint DL3002: hadolint only reports an explicit `USER root` (in any stage whose last ' +
        'USER is root) and stays silent when there is no USER at all. This rule looks at the final image only and ' +
        'also reports a missing USER, because the default user is root. For hadolint\'s behaviour use DL3002 through ' +
        '`# hadolint ignore=` / `.hadolint.yaml`, or suppress this rule where running as root is intended.\n\n' +
        '`allowRoot` in `.hullcheck.yaml` (a list of globs) exempts a Dockerfile when a glob matches the final base ' +
        'image (`paradedb/*`), the Dockerfile path (absolute, relative to the working folder or to the config ' +
        'file: `services/db/Dockerfile`, `**/db/Dockerfile`) or the service name, taken as the folder that holds the ' +
        'Dockerfile (`db` for `services/db/Dockerfile`).\n\n' +
        'The fix (unsafe: files the process writes may need a `chown`) inserts before the first CMD/ENTRYPOINT: ' +
        '`USER <name>` when a stage already creates a user; on Debian/Ubuntu `groupadd --system` + `useradd --system`; ' +
        'on Alpine/BusyBox `addgroup -S` + `adduser -S`; on distroless `USER nonroot`; otherwise (scratch, unknown ' +
        'bases) the numeric `USER 65532:65532`, which needs no user database.\n\n' +
        'Option `hadolintCompat: true` (or the top-level `hadolintCompat: true` in `.hullcheck.yaml`) switches to ' +
        'hadolint\'s DL3002 behaviour: every stage whose last USER is root (`root`, `0`, or `root:`/`0:` with any ' +
        'group) is reported at that USER, whether or not the stage ends up in the final image, and a stage without ' +
        'USER is not reported. No fix is offered in that mode.',
    },
  },
  check(ctx) {
    const p = ctx.parsed;
    const m = modelOf(p);
    const view = m.finalImage();
    if (view && allowedRoot(ctx.config.allowRoot ?? [], ctx.file, view, ctx.config.sources ?? [])) return;
    if (ctx.options.hadolintCompat === true) {
      // hadolint: the last USER of each stage, any stage; a missing USER is not its concern
      for (const s of p.stages) {
        const last = s.instructions.filter((i) => i.keyword === 'USER').pop();
        const value = last?.argsText.trim() ?? '';
        if (last && (/^(root|0)$/.test(value) || /^(root|0):/.test(value))) {
          ctx.report({ range: last.range, message: `The last USER of this stage is root (\`USER ${value}\`); switch to an unprivileged user.` });
        }
      }
      return;
    }
    if (!view) return;
    const users = instrsOf(view.configStages, 'USER');
    const last: Instr | undefined = users[users.length - 1];
    const value = last?.argsText.trim();
    if (last && !ROOT.test(value ?? '')) return;
    if (!last && /(^|[:-])nonroot/.test(view.baseImage.replace(/^[^:]*/, ''))) return;

    const stage = view.stage;
    let at = runConfigInsertion(p, stage);
    if (last && last.stage === stage && last.startOffset >= at.offset) at = { offset: last.endOffset, atLineStart: false };
    const fixes = [fix('Switch to an unprivileged user', 'unsafe', insertLines(p, at, userLines(view)))];
    // root is a real risk in a service or a program; in a base, toolchain, test or example image, or where the
    // program starts as root to drop privileges itself, it is a note
    const purpose = imagePurpose(ctx.file, view);
    const dropper = privilegeDropper(view);
    // a daemon that needs root to work (a VPN, the firewall, cron, Docker in Docker, systemd) cannot run without it
    const daemon = purpose.kind === 'service' || purpose.kind === 'program' ? rootDaemon(view) : undefined;
    // an entrypoint script that switches users itself, and a container given the engine socket (root on the host whatever its USER)
    const script = [...(ctx.facts.entrypointScripts ?? [])].map(([name, text]) => ({ name, cmd: scriptDropper(text) })).find((x) => x.cmd);
    // a user the image creates but never switches to: the entrypoint or the program (clamd, a supervisor) takes it at run time
    // (not when a readable entrypoint script hands over to the CMD as it is, `exec "$@"`, with no switch of its own)
    const handsOver = [...(ctx.facts.entrypointScripts?.values() ?? [])].some((t) => /\bexec\s+"\$@"/.test(t));
    const created = handsOver ? undefined : createdUser(view.fsStages);
    const socket = ctx.facts.engineSocket ?? (instrsOf(view.configStages, 'ENV', 'VOLUME').some((i) => ENGINE_SOCKET.test(i.argsText)) ? 'the image points at the engine socket' : undefined);
    const quiet = purpose.kind === 'dev' ? `it looks like a development, test or example image (${purpose.why})`
      : purpose.kind === 'base' ? 'it sets no CMD, ENTRYPOINT or EXPOSE, like a base or toolchain image that others build on'
        : dropper ? `${dropper} starts as root by design and switches to an unprivileged user itself`
          : script ? `its entrypoint \`${script.name}\` switches to an unprivileged user itself (\`${script.cmd}\`)`
            : !last && created ? `it creates the user \`${created}\` but never switches to it with USER, so the program likely drops to it at run time`
            : daemon ?? (socket ? `${socket}, which gives root on the host whatever the USER` : undefined);
    if (quiet) {
      const src = view.squash?.source;
      const srcUser = !last && src ? instrsOf(m.image(src).configStages, 'USER').pop() : undefined;
      if (srcUser && !ROOT.test(srcUser.argsText.trim())) return;
      if (!last && knownBaseConfig(configBase(view))?.nonRootUser) return;
      ctx.report({
        range: last ? last.range : stage.from.range,
        severity: 'info',
        message: `The final image ${last ? `runs as root (\`USER ${value}\`)` : 'sets no USER'}, and ${quiet}; ${purpose.kind === 'dev' || purpose.kind === 'base' ? 'if it runs a service of its own, switch to an unprivileged USER' : dropper || script || (!last && created) ? 'check that it does so before serving' : 'grant the container only the privileges it needs, and run any other program as an unprivileged user'}.`,
        fixes,
      });
      return;
    }
    if (last) {
      ctx.report({ range: last.range, message: `The final image runs as root (\`USER ${value}\`); switch to an unprivileged USER before the program starts.`, fixes });
      return;
    }
    // the squash source's non-root USER, dropped by FROM scratch, is squash-stage-drops-config's finding: one fact, one finding
    const src = view.squash?.source;
    const srcUser = src ? instrsOf(m.image(src).configStages, 'USER').pop() : undefined;
    if (srcUser && !ROOT.test(srcUser.argsText.trim())) return;
    // a third-party base may switch to its own unprivileged user: say so rather than state it runs as root
    const base = configBase(view);
    const known = knownBaseConfig(base);
    if (known?.nonRootUser) return;
    if (!known) {
      ctx.report({
        range: stage.from.range,
        severity: 'info',
        message: `The final image sets no USER, and whether its base \`${base}\` runs as a non-root user is unknown; if it runs as root, add an unprivileged USER.`,
        fixes,
      });
      return;
    }
    ctx.report({ range: stage.from.range, message: 'The final image sets no USER, so it runs as root; add an unprivileged USER.', fixes });
  },
};

export default rule;
