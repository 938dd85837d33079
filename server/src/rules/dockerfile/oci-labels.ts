// oci-labels: the final image must carry the required OCI labels (by default the version label; `strict` asks
// every label an author sets), so a running container can be traced back to its release.

import type { DockerfileRule } from '../context';
import { fix, isDevContainerFile } from '../../model/dockerfile/wordsAndEdits';
import { devPathReason } from '../../model/dockerfile/imagePurpose';
import { continuation, insertLines, namesInScope, runConfigInsertion, squashInsertion } from '../../model/dockerfile/stages';
import { instrsOf } from '../../model/dockerfile/imageViews';
import { modelOf } from '../../model/dockerfile/model';
import { argDecls, keyedProps } from '../../model/dockerfile/vars';

export const DEFAULT_LABELS = ['org.opencontainers.image.version'];
const OCI = 'org.opencontainers.image.';

/** The build arg that feeds a label the fix adds: VERSION for the version, IMAGE_<NAME> for the others. */
export function labelArg(key: string): string {
  if (key === `${OCI}version`) return 'VERSION';
  const name = key.startsWith(OCI) ? key.slice(OCI.length) : key;
  return `IMAGE_${name.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
}

function requiredLabels(options: Record<string, unknown>, configured: string[] | undefined): string[] {
  const opt = options.required;
  if (Array.isArray(opt) && opt.every((x) => typeof x === 'string')) return opt as string[];
  return configured && configured.length > 0 ? configured : DEFAULT_LABELS;
}

const rule: DockerfileRule = {
  meta: {
    id: 'oci-labels',
    language: 'dockerfile',
    category: 'metadata',
    title: 'Label the final image with the required OCI labels',
    severity: 'warning',
    fix: 'safe',
    docs: {
      rationale:
        'OCI labels (`org.opencontainers.image.*`) are how registries, scanners and people find out which release ' +
        'and which repository an image came from. A version label set from a build argument ties every image to ' +
        'the tag CI built, and a source label points back to the code. Image tests can then check them.',
      invalid: 'FROM node:22-slim\nCOPY . /app\nCMD ["node", "/app/server.js"]\n',
      valid:
        'FROM node:22-slim\nCOPY . /app\nARG VERSION=dev\nLABEL org.opencontainers.image.version="${VERSION}" \\\n' +
        '      org.opencontainers.image.source="https://github.com/example/app"\nCMD ["node", "/app/server.js"]\n',
      notes:
        '**Published images.** The label matters on an image people pull, so the finding is a warning where the project is seen publishing the image: a workflow step, Makefile recipe, script, `package.json` script or GoReleaser file pushes an image (`push: true`, `--push`, `docker push`, GoReleaser `dockers:`) and names this Dockerfile (`file:`, `-f`, a build `context:` or `docker build <context>` whose default Dockerfile it is; `${{ … }}` and `$VAR` match any name), or a file that pushes without naming one builds the default `Dockerfile` beside it or at the repository root. Elsewhere it is info: an image no build is seen pushing (whether it is published is unknown), a Docker official-image repository (`generate-stackbrew-library.sh`, a `stackbrew` file or a bashbrew manifest under `library/`), whose library build adds the OCI annotations, and a development, test or example image (judged by its folders and file name, as for user-non-root). Labels listed in the rule option `required` keep the rule\'s severity everywhere.\n\n' +
        'Labels the project\'s build supplies count: a GitHub Actions workflow that passes `docker/metadata-action`\'s ' +
        '`labels` (or `bake-file`) output to the build sets every OCI label, and `--label org.opencontainers.image.<name>=…` ' +
        'in a workflow, Makefile or script (the folder and `scripts/`, `hack/`, `build/`, `ci/`), a build-push-action `labels:` list, a bake file\'s ' +
        '`labels`, a compose service\'s `build.labels` or GoReleaser\'s `--label=` build flags set the labels they name. They are looked for in the Dockerfile\'s ' +
        'folder and the folders above it, up to the repository root.\n\n' +
        'A Dockerfile in a `.devcontainer` folder (an editor\'s development environment, never published) is not checked. The required set is `org.opencontainers.image.version` (`strict` requires every OCI label an author sets). The ' +
        'top-level `requiredLabels:` list in `.hullcheck.yaml` replaces it, and the rule option `required` ' +
        '(`rules: { oci-labels: { required: [...] } }`) replaces both.\n\n' +
        'Labels set in an earlier stage that the final stage builds `FROM` count. Labels of the source of a ' +
        '`FROM scratch` + `COPY --from=<stage> / /` squash do not: the copy keeps files, not config.\n\n' +
        'The fix adds `ARG VERSION=dev` (a bare `ARG VERSION` when a global ARG gives the default; nothing when the ' +
        'stage declares it) and one LABEL instruction for the missing keys. The version label gets `"${VERSION}"`. ' +
        'A value the linter cannot know, such as the repository URL, is never invented: each other label gets its ' +
        'own build argument with an empty default (`ARG IMAGE_SOURCE` for `org.opencontainers.image.source`, ' +
        '`IMAGE_<NAME>` in general), so CI passes `--build-arg IMAGE_SOURCE=https://…` or you replace it with a ' +
        'literal. A label the source of a `FROM scratch` squash sets, which the squash drops, is left to ' +
        'squash-stage-drops-config, so one fact gets one finding. The lines go before the final ' +
        'stage\'s first CMD/ENTRYPOINT (or at its end); in a squash stage right after the `COPY --from` line.',
    },
  },
  check(ctx) {
    const p = ctx.parsed;
    // a development container needs its tools, runs no service and is never published
    if (isDevContainerFile(ctx.file)) return;
    const m = modelOf(p);
    const view = m.finalImage();
    if (!view) return;
    const required = requiredLabels(ctx.options, ctx.config.requiredLabels);
    const have = new Set(instrsOf(view.configStages, 'LABEL').flatMap((i) => keyedProps(p, i).map((x) => x.key)));
    // a label the squash source sets and the FROM scratch squash drops is squash-stage-drops-config's finding: one fact, one finding
    const dropped = view.squash?.source
      ? new Set(instrsOf(m.image(view.squash.source).configStages, 'LABEL').flatMap((i) => keyedProps(p, i).map((x) => x.key)))
      : undefined;
    const missing = required.filter((k) => !have.has(k) && !dropped?.has(k));
    if (missing.length === 0) return;
    // labels the project's build supplies (metadata-action in a workflow, `--label`, bake or compose build labels) are set without the Dockerfile
    const supplied = ctx.facts.buildLabels;
    if (supplied && (supplied.all ? missing.every((k) => k.startsWith(OCI)) : missing.every((k) => supplied.keys.has(k)))) return;

    const stage = view.configStages[view.configStages.length - 1];
    const squash = view.squash;
    // a squash gets its lines right after the COPY --from, where squash-stage-drops-config puts the labels it restores
    const at = squash ? squashInsertion(squash) : runConfigInsertion(p, stage);
    const target = squash ? squash.stage : stage;
    // the squash source's ARG defaults serve the ARGs the new labels need
    const srcView = squash?.source ? m.image(squash.source) : undefined;
    const srcArgs = srcView ? instrsOf(srcView.configStages, 'ARG').flatMap(argDecls) : [];
    const inScope = namesInScope(p, target, at.atLineStart ? at.offset : at.offset + 1);
    const globals = new Map(p.globalArgs.flatMap(argDecls).map((a) => [a.name, a.value]));
    const args: string[] = [];
    const needArg = (name: string) => {
      if (inScope.has(name) || args.some((a) => a === `ARG ${name}` || a.startsWith(`ARG ${name}=`))) return;
      const dflt = srcArgs.filter((a) => a.name === name).pop()?.value ?? (name === 'VERSION' ? 'dev' : undefined);
      args.push(dflt !== undefined && !globals.has(name) ? `ARG ${name}=${/^[^\s"'$\\]*$/.test(dflt) ? dflt : JSON.stringify(dflt)}` : `ARG ${name}`);
    };
    const pairs = missing.map((key) => {
      const k = /^[A-Za-z0-9._-]+$/.test(key) ? key : JSON.stringify(key);
      const arg = labelArg(key);
      needArg(arg);
      return `${k}="\${${arg}}"`;
    });
    const list = `the OCI label${missing.length > 1 ? 's' : ''} ${missing.map((m) => `\`${m}\``).join(', ')}`;
    const them = missing.length > 1 ? 'them' : 'it';
    const indent = ' '.repeat('LABEL '.length);
    const labels = pairs.length ? [`LABEL ${pairs.join(`${continuation(p)}${p.index.eol}${indent}`)}`] : [];
    // the label matters on a published image: a development, test or example image, an official image (whose
    // library build annotates it) and an image no build of the project is seen pushing get a note
    const dev = devPathReason(ctx.file);
    const pub = ctx.facts.publication;
    const add = `add ${them} with a LABEL instruction`;
    const message = dev ? `The final image lacks ${list}; ${add} if it is published (it looks like a development, test or example image: ${dev}).`
      : pub?.official ? `The final image lacks ${list}; this is a Docker official-image repository (\`${pub.official}\`), whose library build adds the OCI annotations, so ${add} only if the image config should carry ${them} too.`
        : pub?.pushedBy ? `The final image lacks ${list}; ${add} (\`${pub.pushedBy}\` publishes the image).`
          : `The final image lacks ${list}; ${add} if the image is published (no workflow, Makefile or script of the project is seen pushing it).`;
    ctx.report({
      range: squash ? squash.copy.range : stage.from.range,
      // labels the user listed in the rule's `required` option are asked wherever the rule runs
      ...(!Array.isArray(ctx.options.required) && (dev || pub?.official || !pub?.pushedBy) ? { severity: 'info' as const } : {}),
      message,
      fixes: [fix('Add the missing OCI labels', 'safe', insertLines(p, at, [...args, ...labels]))],
    });
  },
};

export default rule;
