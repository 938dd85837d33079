// multi-stage-build-tools: compilers and -dev packages belong in a builder stage, not in the shipped image.

import type { DockerfileRule } from '../context';
import type { Stage } from '../../parse/dockerfile';
import { programArgs, programName } from '../../parse/shell';
import { aptSub, installedPackages, packageName, removedPackages } from '../../model/dockerfile/packages';
import { isDevContainerFile, wordRange } from '../../model/dockerfile/wordsAndEdits';
import { modelOf } from '../../model/dockerfile/model';
import { imagePurpose } from '../../model/dockerfile/imagePurpose';

const TOOLS = new Set([
  'build-essential', 'build-base', 'gcc', 'g++', 'cc', 'c++', 'cpp', 'clang', 'llvm', 'make', 'cmake', 'ninja-build',
  'ninja', 'autoconf', 'automake', 'libtool', 'pkg-config', 'pkgconf', 'pkgconfig', 'gfortran', 'golang', 'golang-go',
  'go', 'rustc', 'cargo', 'rust', 'linux-headers', 'kernel-headers', 'bison', 'flex', 'meson', 'gcc-c++',
]);

/** Whether a package name is a compiler, build tool or development-headers package. */
export function isBuildTool(name: string): boolean {
  if (TOOLS.has(name)) return true;
  if (/-(dev|devel)$/.test(name)) return true;
  // versioned compilers: gcc-12, g++-12, clang-17, llvm-17, golang-1.22, but not runtime bits like gcc-12-base
  return /^(gcc|g\+\+|clang|llvm|golang|rustc|cargo)-[0-9][0-9.]*$/.test(name);
}

const rule: DockerfileRule = {
  meta: {
    id: 'multi-stage-build-tools',
    language: 'dockerfile',
    category: 'size',
    title: 'Keep build toolchains out of the final image',
    severity: 'warning',
    fix: 'none',
    docs: {
      rationale:
        'Compilers, `build-essential` and `-dev` header packages are needed to build native extensions, not to run ' +
        'them. Installed in a stage that ships, they add hundreds of megabytes and a larger attack surface. ' +
        'Install them in a builder stage and copy only the build output (site-packages, binaries) into a clean ' +
        'runtime stage.',
      invalid:
        'FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev \\\n' +
        '    && rm -rf /var/lib/apt/lists/*\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n',
      valid:
        'FROM python:3.12-slim AS builder\nRUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev \\\n' +
        '    && rm -rf /var/lib/apt/lists/*\nCOPY requirements.txt .\n' +
        'RUN pip install --no-cache-dir --prefix=/install -r requirements.txt\n\n' +
        'FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends libpq5 \\\n' +
        '    && rm -rf /var/lib/apt/lists/*\nCOPY --from=builder /install /usr/local\n',
      notes:
        'In a base or toolchain image (no CMD, ENTRYPOINT or EXPOSE) and in a development, test or example image (judged by its folders and file name, as for user-non-root) the tools are the point, so there the finding is info. A CMD or ENTRYPOINT that runs a build (`make`, `build.sh`, `rpmbuild`, `dpkg-buildpackage`, `cargo build`, `npm run build`) or only keeps the container idle (`tail -f /dev/null`, `sleep infinity`) marks a packaging image or a development container the same way.\n\n' +
        'Checks the stages that reach the final image: the final stage, the stages it builds on with ' +
        '`FROM <stage>`, and stages squashed in with `COPY --from=<stage> / /` (followed recursively), so a ' +
        '`FROM scratch` squash of a runtime stage that installed gcc still fires. Installs seen: apt-get/apt/' +
        'aptitude install, apk add, yum/dnf/microdnf install and zypper install. Build tools are build-essential, ' +
        'build-base, gcc, g++, clang, llvm, make, cmake, ninja, autotools, pkg-config, gfortran, golang/go, rustc, ' +
        'cargo, linux-headers, versioned compilers such as gcc-12, and any `*-dev`/`*-devel` package. A package ' +
        'removed again later (apt-get purge/remove, apk del of it or of its `--virtual` group, yum/dnf remove) is ' +
        'not reported, nor are apt packages of a RUN that later runs `apt-mark auto` and then ' +
        '`apt-get purge --auto-remove` or `autoremove` (the official images\' way of shedding build dependencies). A base image that is itself a toolchain (such as `golang`) is not checked here. A Dockerfile in a `.devcontainer` folder builds a development environment and is not checked.',
    },
  },
  check(ctx) {
    const { parsed } = ctx;
    // a development container needs its tools, runs no service and is never published
    if (isDevContainerFile(ctx.file)) return;
    const view = modelOf(parsed).finalImage();
    const shipped = new Set(view?.fsStages);
    // a toolchain, base, development, test or example image is where build tools belong: a note there
    const purpose = view ? imagePurpose(ctx.file, view) : undefined;
    const quiet = purpose?.kind === 'dev' ? `this looks like a development, test or example image (${purpose.why})`
      : purpose?.kind === 'base' ? 'the image sets no CMD, ENTRYPOINT or EXPOSE, like a base or toolchain image' : undefined;
    const all = modelOf(parsed).runs.filter((r) => !r.onbuild && r.stage && shipped.has(r.stage));
    // removals anywhere in the shipped stages, with their position, so an install followed by a purge is fine
    const removals: { offset: number; names: string[] }[] = [];
    for (const r of all) {
      r.commands.forEach((c, i) => {
        const names = removedPackages(c);
        if (names.length) removals.push({ offset: c.start, names });
        // `apt-mark auto '.*'` then `apt-get purge --auto-remove` / `autoremove` drops everything not marked
        // manual again: the idiom official images use to shed their build dependencies
        if (programName(c) === 'apt-mark' && programArgs(c)[0]?.value === 'auto') {
          const purge = r.commands.slice(i + 1).find((d) => {
            const sub = aptSub(d)?.value;
            return sub === 'autoremove' || ((sub === 'purge' || sub === 'remove') && programArgs(d).some((w) => w.value === '--auto-remove'));
          });
          if (purge) removals.push({ offset: purge.start, names: ['*apt'] });
        }
      });
    }
    for (const r of all) {
      const stage = r.stage as Stage;
      for (const cmd of r.commands) {
        const list = installedPackages(cmd);
        if (!list) continue;
        for (const w of list.packages) {
          if (w.value.includes('$')) continue;
          const name = packageName(w.value);
          if (!isBuildTool(name)) continue;
          // a removal list held in a variable (`apt-get purge -y $BUILD_DEPS`) may hold it: say nothing
          const gone = removals.some((rm) => rm.offset > cmd.start && (rm.names.includes(name) || rm.names.some((n) => n.includes('$'))
            || (list.virtual !== undefined && rm.names.includes(list.virtual.toLowerCase()))
            || (list.manager === 'apt' && rm.names.includes('*apt') && r.commands.some((c) => c.start === rm.offset))));
          if (gone) continue;
          const where = stage === parsed.finalStage ? 'the final stage' : `stage \`${stage.name ?? stage.index}\`, which ends up in the final image`;
          ctx.report({
            range: wordRange(parsed, w),
            ...(quiet ? { severity: 'info' as const } : {}),
            message: `Build tool \`${name}\` is installed in ${where}; ${quiet ? `${quiet}, so it may need its tools; if it ships a program, ` : ''}install it in a builder stage and copy only the build output.`,
          });
        }
      }
    }
  },
};

export default rule;
