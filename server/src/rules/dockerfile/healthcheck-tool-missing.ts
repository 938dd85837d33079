// healthcheck-tool-missing: a HEALTHCHECK that calls curl, wget or the shell in an image that has none of
// them fails every probe, so the container is reported unhealthy forever.

import type { DockerfileRule } from '../context';
import type { ParsedDockerfile, Stage } from '../../parse/dockerfile';
import { programName } from '../../parse/shell';
import { baseHasTool, copiesFile, familyOf, healthcheckProbe, installsPackage } from '../../model/dockerfile/stages';
import { modelOf } from '../../model/dockerfile/model';

type Tool = 'curl' | 'wget' | 'sh';

/** Package names and file names that bring each tool into an image. */
const SOURCES: Record<Tool, { pkgs: string[]; files: string[] }> = {
  curl: { pkgs: ['curl'], files: ['curl'] },
  wget: { pkgs: ['wget', 'busybox', 'busybox-static'], files: ['wget', 'busybox'] },
  sh: { pkgs: ['busybox', 'busybox-static', 'bash', 'dash'], files: ['sh', 'bash', 'dash', 'ash', 'busybox'] },
};

function brought(parsed: ParsedDockerfile, stages: Stage[], tool: Tool): boolean {
  // a package list the linter cannot resolve may hold the tool: say nothing rather than guess
  return installsPackage(parsed, stages, SOURCES[tool].pkgs, { unresolvedCounts: true }) || copiesFile(stages, SOURCES[tool].files);
}

const rule: DockerfileRule = {
  meta: {
    id: 'healthcheck-tool-missing',
    language: 'dockerfile',
    category: 'health',
    title: 'Probe health with a tool the image contains',
    severity: 'warning',
    fix: 'none',
    docs: {
      rationale:
        'A health probe runs inside the container. `curl` is not in Alpine, Debian or Ubuntu base images, `wget` is ' +
        'not in Debian or Ubuntu, and scratch and distroless images have neither, nor even the `/bin/sh` that a ' +
        'shell-form `HEALTHCHECK CMD` needs. Such a probe fails every time and the container stays unhealthy, which ' +
        'blocks anything that waits for `service_healthy`.',
      invalid: 'FROM alpine:3.20\nEXPOSE 8080\nHEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD curl -f http://localhost:8080/ || exit 1\nCMD ["/app"]\n',
      valid: 'FROM alpine:3.20\nEXPOSE 8080\nHEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD wget -q --spider http://localhost:8080/ || exit 1\nCMD ["/app"]\n',
      notes:
        'The rule looks at the HEALTHCHECK the final image ends up with, following `FROM <stage>` chains and the ' +
        'source of a `FROM scratch` + `COPY --from=<stage> / /` squash (whose files, and tools, do carry over). A tool ' +
        'counts as present when a stage of the image installs it with a package manager (apt, apk, dnf, …; package ' +
        'lists held in ARG or ENV values are expanded, and a list the linter cannot resolve counts as installing it), copies a ' +
        'file named after it (`/usr/bin/curl`, `busybox`), or the base image is known to ship it (BusyBox wget on ' +
        'Alpine and BusyBox; curl and wget in the full buildpack-based python, node, golang, ruby and rust tags). ' +
        'Images the linter does not recognise are assumed to have it, so the rule only reports what it is sure of. ' +
        'There is no automatic fix: install the tool, copy a static probe binary in, or probe with the runtime the ' +
        'image already has.',
    },
  },
  check(ctx) {
    const p = ctx.parsed;
    const view = modelOf(p).finalImage();
    if (!view) return;
    const hc = view.healthcheck;
    if (!hc) return;
    const probe = healthcheckProbe(p, hc);
    if (probe.none) return;
    const used: Tool[] = [];
    if (probe.exec) {
      const prog = (probe.exec[0] ?? '').split('/').pop() ?? '';
      if (prog === 'curl' || prog === 'wget') used.push(prog);
      if (['sh', 'bash', 'ash', 'dash'].includes(prog)) used.push('sh');
    } else if (probe.shell) {
      used.push('sh');
      for (const cmd of hc.commands()) {
        const prog = programName(cmd);
        if ((prog === 'curl' || prog === 'wget') && !used.includes(prog)) used.push(prog);
      }
    }
    const base = view.baseImage;
    const via = view.squash?.source ? ` through the FROM scratch squash of stage \`${view.squash.source.name ?? view.squash.source.index}\`` : '';
    const noPackages = ['scratch', 'distroless'].includes(familyOf(base));
    for (const tool of used) {
      if (brought(p, view.fsStages, tool) || baseHasTool(base, tool) !== 'no') continue;
      const what = tool === 'sh'
        ? `a shell-form HEALTHCHECK needs /bin/sh, which the final image (based on \`${base}\`${via}) does not have`
        : `the HEALTHCHECK calls \`${tool}\`, which the final image (based on \`${base}\`${via}) does not include and no stage installs or copies`;
      const advice = tool === 'sh' ? 'use the exec form with a probe binary the image contains'
        : noPackages ? `copy a static ${tool} binary in or probe with a binary the image has` : `install ${tool} or probe with a tool the image has`;
      ctx.report({ range: hc.keywordRange, message: `${what[0].toUpperCase()}${what.slice(1)}; ${advice}.` });
    }
  },
};

export default rule;
