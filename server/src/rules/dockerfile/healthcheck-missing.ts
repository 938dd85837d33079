// healthcheck-missing: the final image of a service should say how to probe it, so Docker (and compose's
// `service_healthy`) can tell a running container from a working one.

import type { DockerfileRule } from '../context';
import { fix, isDevContainerFile } from '../../model/dockerfile/wordsAndEdits';
import {
  HEALTHCHECK_DEFAULTS, baseHasTool, continuation, copiesFile, familyOf, insertLines, installsPackage, runConfigInsertion,
} from '../../model/dockerfile/stages';
import { instrsOf, type ImageView } from '../../model/dockerfile/imageViews';
import { modelOf } from '../../model/dockerfile/model';
import { keyedProps } from '../../model/dockerfile/vars';
import type { ParsedDockerfile } from '../../parse/dockerfile';
import { configBase, knownBaseConfig } from '../baseConfig';
import { imagePurpose } from '../../model/dockerfile/imagePurpose';

/** Ports that do not speak HTTP: an HTTP probe skeleton would always fail there. */
const NON_HTTP_PORTS = new Set(['21', '22', '25', '53', '1433', '1521', '2181', '3306', '5432', '5672', '6379', '9042', '9092', '11211', '27017']);

/** A port the probe skeleton uses when the image exposes none: a guess, so its fix is never applied unasked. */
const GUESSED_PORT = '8080';

/**
 * The first exposed TCP port of the image, as a literal or an ENV reference the probe can expand; undefined when
 * the Dockerfile does not say.
 */
function probePort(p: ParsedDockerfile, view: ImageView): string | undefined {
  const envs = new Set(instrsOf(view.configStages, 'ENV').flatMap((i) => keyedProps(p, i).map((x) => x.key)));
  for (const e of instrsOf(view.configStages, 'EXPOSE')) {
    for (const a of e.args) {
      const [port, proto] = a.value.split('/');
      if (proto && proto.toLowerCase() !== 'tcp') continue;
      if (/^\d+$/.test(port)) return port;
      const v = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(port);
      if (v && envs.has(v[1])) return `\${${v[1]}}`;
    }
  }
  return undefined;
}

/** A probe command the image can run, or undefined when none is known to exist. */
function probeCommand(p: ParsedDockerfile, view: ImageView, port: string): string | undefined {
  const url = `http://localhost:${port}/`;
  const has = (tool: 'curl' | 'wget') => installsPackage(p, view.fsStages, [tool]) || copiesFile(view.fsStages, [tool])
    || baseHasTool(view.baseImage, tool) === 'yes';
  if (has('curl')) return `curl -fsS ${url} || exit 1`;
  if (has('wget') || installsPackage(p, view.fsStages, ['busybox'])) return `wget -q --spider ${url} || exit 1`;
  const name = view.baseImage.replace(/[@:].*$/, '').split('/').pop();
  const tag = /:([^@/]+)/.exec(view.baseImage)?.[1] ?? '';
  if (name === 'python' && familyOf(view.baseImage) === 'debian') {
    return `python -c "import urllib.request; urllib.request.urlopen('${url}', timeout=4)" || exit 1`;
  }
  // fetch() is global from Node 18
  if (name === 'node' && Number(/^(\d+)/.exec(tag)?.[1] ?? 0) >= 18) {
    return `node -e "fetch('${url}').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"`;
  }
  return undefined;
}

const rule: DockerfileRule = {
  meta: {
    id: 'healthcheck-missing',
    language: 'dockerfile',
    category: 'health',
    title: 'Add a HEALTHCHECK to the final image',
    severity: 'warning',
    fix: 'safe',
    hadolint: ['DL3057'],
    docs: {
      rationale:
        'Without a HEALTHCHECK, Docker only knows whether the main process is alive, not whether it still answers. ' +
        'A health check lets `docker ps`, compose\'s `depends_on: condition: service_healthy`, swarm and image ' +
        'tests see a hung or still-starting service. Images that run no service can say so with `HEALTHCHECK NONE`.',
      invalid: 'FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\nEXPOSE 8000\nCMD ["python", "-m", "http.server"]\n',
      valid: 'FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\nEXPOSE 8000\n' +
        'HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \\\n    CMD curl -fsS http://localhost:8000/ || exit 1\nCMD ["python", "-m", "http.server"]\n',
      notes:
        '**What the image is for.** A warning for a service, that is a final image that EXPOSEs a port. Info for anything else: an image that runs a program but exposes no port (a job, a worker or a command-line tool), a base or toolchain image (no CMD, ENTRYPOINT or EXPOSE), and a development, test, packaging or example image (judged by its folders, file name and command, as for user-non-root). A service on `scratch` or distroless is info too unless the build copies in a probe tool (`curl`, `wget`): there is no shell, so only the program itself can probe, and whether it can is unknown.\n\n' +
        'A Dockerfile in a `.devcontainer` folder (an editor\'s development environment, never published) is not checked. A HEALTHCHECK in a stage the final stage builds `FROM` counts; one in the source of a `FROM scratch` + ' +
        '`COPY --from=<stage> / /` squash does not, because the copy leaves image config behind; squash-stage-drops-config ' +
        'reports that dropped HEALTHCHECK, and this rule then stays silent. `HEALTHCHECK NONE` ' +
        'is an explicit opt-out (for jobs, CLIs and base images).\n\n' +
        'Whether a base image declares a HEALTHCHECK is known for scratch, distroless and Docker\'s official images ' +
        '(none of which do). On any other base (`quay.io/jupyter/base-notebook`, `bitnami/…`) the finding is info and ' +
        'says that the base\'s config is unknown; `hullcheck image` checks the built image itself.\n\n' +
        'Every final image is treated as a service except a plain `scratch` image that declares no CMD, ENTRYPOINT ' +
        'or EXPOSE: that is an artifact or export stage (`docker build --output`), which hadolint\'s DL3057 still ' +
        'reports. Set the option `strict: true` to report those too, as hadolint does; `hadolintCompat: true` (or the ' +
        'top-level `hadolintCompat: true` in `.hullcheck.yaml`) implies it.\n\n' +
        'The fix adds a skeleton before the first CMD/ENTRYPOINT of the final stage (or at its end) with explicit ' +
        '`--interval=30s --timeout=5s --start-period=30s --retries=3`, probing `http://localhost:<port>/` on the ' +
        'first EXPOSEd TCP port. When nothing is exposed the port is a guess (8080), so that fix is unsafe: offered ' +
        'in the editor, never applied by `--fix` or Fix All. It uses a tool the image has: curl when the image ' +
        'installs or copies it or the base ships it, busybox wget on Alpine and BusyBox, Python\'s urllib on the ' +
        'python images, `fetch` on node ≥ 18. With no known tool, on scratch or distroless, or when the port is a ' +
        'well-known non-HTTP port (PostgreSQL, Redis, …), no fix is offered. Point the URL at your health ' +
        'endpoint after applying it.',
    },
  },
  check(ctx) {
    const p = ctx.parsed;
    // a development container needs its tools, runs no service and is never published
    if (isDevContainerFile(ctx.file)) return;
    const m = modelOf(p);
    const view = m.finalImage();
    if (!view) return;
    if (view.healthcheck) return;
    // the squash source's HEALTHCHECK, dropped by FROM scratch, is squash-stage-drops-config's finding: one fact, one finding
    if (view.squash?.source && m.image(view.squash.source).healthcheck) return;
    const strict = ctx.options.strict === true || ctx.options.hadolintCompat === true;
    if (!strict && view.artifactOnly) return;

    const exposed = probePort(p, view);
    const port = exposed ?? GUESSED_PORT;
    const probe = NON_HTTP_PORTS.has(port) ? undefined : probeCommand(ctx.parsed, view, port);
    const d = HEALTHCHECK_DEFAULTS;
    // the port comes from EXPOSE, or is a guess: a guessed probe is offered, never applied by --fix or Fix All
    const fixes = probe ? [fix(exposed ? 'Add a HEALTHCHECK skeleton (edit the probe URL)' : `Add a HEALTHCHECK skeleton on port ${GUESSED_PORT}, a guess: nothing is EXPOSEd (edit the port and URL)`,
      exposed ? 'safe' : 'unsafe', insertLines(p, runConfigInsertion(p, view.stage), [
      `HEALTHCHECK --interval=${d.interval} --timeout=${d.timeout} --start-period=${d['start-period']} --retries=${d.retries}${continuation(p)}`,
      `    CMD ${probe}`,
    ]))] : [];
    // a third-party base may declare its own HEALTHCHECK: say so rather than state it is missing
    const base = configBase(view);
    const known = ctx.options.hadolintCompat === true ? { healthcheck: false } : knownBaseConfig(base);
    if (known?.healthcheck) return;
    // only a service is sure to want a probe: a base, tool, worker, test or example image gets a quieter note
    const purpose = imagePurpose(ctx.file, view);
    if (!strict && purpose.kind !== 'service') {
      const what = purpose.kind === 'dev' ? `it looks like a development, test or example image (${purpose.why})`
        : purpose.kind === 'base' ? 'it sets no CMD, ENTRYPOINT or EXPOSE, like a base or toolchain image'
          : 'it exposes no port, so it may be a job or a tool rather than a service';
      ctx.report({
        range: view.stage.from.range,
        severity: 'info',
        message: `The final image declares no HEALTHCHECK, and ${what}; if it runs a long-lived service, add one that probes it.`,
        fixes,
      });
      return;
    }
    // on scratch or distroless there is no shell and, unless the build copies one in, no probe tool: only the
    // program itself can probe, and whether it can is unknown
    const bare = view.baseImage.toLowerCase() === 'scratch' ? '`scratch`' : familyOf(view.baseImage) === 'distroless' ? `\`${view.baseImage}\`` : undefined;
    if (!strict && bare && !probeCommand(ctx.parsed, view, port)) {
      ctx.report({
        range: view.stage.from.range,
        severity: 'info',
        message: `The final image declares no HEALTHCHECK, and it is built on ${bare}, with no shell or probe tool; if the program can probe itself, add \`HEALTHCHECK CMD ["<program>", "<its health command>"]\`.`,
        fixes,
      });
      return;
    }
    if (!known) {
      ctx.report({
        range: view.stage.from.range,
        severity: 'info',
        message: `The final image declares no HEALTHCHECK, and whether its base \`${base}\` has one is unknown; if it has none, add one that probes the service, or \`HEALTHCHECK NONE\` if it runs none.`,
        fixes,
      });
      return;
    }
    ctx.report({
      range: view.stage.from.range,
      message: `The final image has no HEALTHCHECK; add one that probes the service, or \`HEALTHCHECK NONE\` if it runs none.`,
      fixes,
    });
  },
};

export default rule;
