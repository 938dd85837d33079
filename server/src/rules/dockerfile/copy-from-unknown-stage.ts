// copy-from-unknown-stage: `COPY --from=<name>` should name a stage defined earlier in the file.

import type { DockerfileRule } from '../context';
import { unquote } from '../../model/dockerfile/runScripts';
import { suggestName } from '../../model/dockerfile/vars';

const DIGITS = /^\d+$/;

const rule: DockerfileRule = {
  meta: {
    id: 'copy-from-unknown-stage',
    language: 'dockerfile',
    category: 'correctness',
    title: 'Copy only from stages defined earlier',
    severity: 'warning',
    errorReason: 'An index past the earlier stages, or a misspelling of an earlier stage\'s name, names neither a stage nor an image that exists: the build fails. A bare name that may be an image (`--from=busybox`) stays a warning.',
    fix: 'none',
    hadolint: ['DL3022'],
    docs: {
      rationale:
        '`COPY --from=name` takes a stage defined before it. A name that is not a stage is looked up as an image ' +
        'on a registry, so a typo in a stage name (or a stage defined later) pulls a random image or fails the build.',
      invalid: 'FROM golang:1.23 AS build\nRUN go build -o /out/app .\nFROM gcr.io/distroless/static\nCOPY --from=biuld /out/app /app\n',
      valid: 'FROM golang:1.23 AS build\nRUN go build -o /out/app .\nFROM gcr.io/distroless/static\nCOPY --from=build /out/app /app\nCOPY --from=busybox:1.36 /bin/wget /wget\n',
      notes:
        'A value with a tag, digest or registry path (`nginx:1.27`, `ghcr.io/org/tool`) is an image and is accepted. ' +
        'A numeric value must be the index of an earlier stage. Values with variables are not checked. Option ' +
        '`hadolintCompat: true` (or the top-level `hadolintCompat: true` in `.hullcheck.yaml`) accepts only a value ' +
        'with a tag or digest as an image, as hadolint DL3022 does.',
    },
  },
  check(ctx) {
    const { parsed } = ctx;
    // a configured severity applies to every finding
    const setting = ctx.config.rules[rule.meta.id]?.severity;
    const configured = setting !== undefined && setting !== 'off';
    const compat = ctx.options.hadolintCompat === true;
    for (const outer of parsed.instructions) {
      // hadolint's DL3022 does not look into ONBUILD
      const instr = compat ? outer : outer.onbuild ?? outer;
      if (instr.keyword !== 'COPY') continue;
      const flag = instr.flag('from');
      if (!flag?.value) continue;
      const ref = unquote(flag.value);
      // hadolint mode, as DL3022: only a tag or digest (a `:`) marks an image, so `--from=org/tool` is reported too
      if (compat ? ref.includes(':') : ref.includes('$') || ref.includes(':') || ref.includes('/') || ref.includes('@')) continue;
      const before = outer.stage ? outer.stage.index : 0;
      let ok: boolean;
      if (DIGITS.test(ref)) ok = Number(ref) < before;
      else {
        const lower = ref.toLowerCase();
        ok = parsed.stages.some((s) => s.index < before && s.name === lower);
      }
      if (ok) continue;
      // certain: a stage index past the earlier stages, or a one- or two-letter slip of an earlier stage's name
      const earlier = parsed.stages.filter((s) => s.index < before && s.name).map((s) => s.name!);
      const certain = DIGITS.test(ref) ? Number(ref) >= parsed.stages.length || Number(ref) === before : suggestName(ref.toLowerCase(), earlier, 2) !== undefined;
      ctx.report({
        severity: certain && !configured ? 'error' : undefined,
        range: flag.valueRange ?? flag.range,
        message: `\`--from=${ref}\` does not name an earlier stage; define the stage before this COPY or use a full image reference.`,
      });
    }
  },
};

export default rule;
