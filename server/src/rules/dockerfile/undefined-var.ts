// undefined-var: a variable expanded by an instruction (COPY, ENV, LABEL, WORKDIR, …) that no ARG or ENV defined
// at that point, so it silently becomes an empty string.

import type { DockerfileRule } from '../context';
import { heredocsOf, type Instr, type ParsedDockerfile } from '../../parse/dockerfile';
import { offsetRange } from '../../model/dockerfile/wordsAndEdits';
import { argNames, suggestName } from '../../model/dockerfile/vars';
import { PLATFORM_ARGS, PROXY_ARGS, hasFallback, scanRefs } from '../../model/dockerfile/expansion';
import { modelOf } from '../../model/dockerfile/model';
import type { Scope } from '../../model/dockerfile/scope';

/** Instructions whose arguments Docker expands (RUN, CMD and ENTRYPOINT are left to the shell). */
const EXPANDING = new Set(['ADD', 'COPY', 'ENV', 'EXPOSE', 'LABEL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR']);
const EXPANDED_FLAGS = new Set(['chown', 'chmod']);
/** Base images whose only environment variable is PATH, so every other name is known to be undefined. */
const MINIMAL_BASE = /^(?:scratch|(?:docker\.io\/)?(?:library\/)?(?:alpine|busybox|debian|ubuntu|fedora|centos|rockylinux|almalinux|amazonlinux|archlinux)(?:[:@].*)?|gcr\.io\/distroless\/.*|cgr\.dev\/chainguard\/(?:static|wolfi-base)(?:[:@].*)?)$/;

interface HeredocNode { getContentRange(): { start: { line: number; character: number }; end: { line: number; character: number } } | null }

const rule: DockerfileRule = {
  meta: {
    id: 'undefined-var',
    language: 'dockerfile',
    category: 'correctness',
    title: 'Define variables before an instruction expands them',
    severity: 'warning',
    fix: 'none',
    buildkit: ['UndefinedVar'],
    docs: {
      rationale:
        'Docker expands `$NAME` in ADD, COPY, ENV, EXPOSE, LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR and ARG ' +
        'defaults using the ARGs and ENVs defined so far in the stage. A name that is not defined expands to an ' +
        'empty string without any error, so a typo such as `$PAHT` or a global ARG that the stage never ' +
        're-declared quietly produces the wrong path or value.',
      invalid: 'FROM alpine:3.20\nCOPY $SRC_DIR /app\n',
      valid: 'FROM alpine:3.20\nARG SRC_DIR=src\nCOPY $SRC_DIR /app\n',
      notes:
        'In scope at an instruction: ARGs and ENVs declared earlier in the stage, those of stages it is built ' +
        '`FROM` in this file, `PATH`, and Docker\'s proxy args. Global ARGs and the platform args (`TARGETARCH`, ' +
        '…) count only after the stage re-declares them with `ARG NAME`. RUN, CMD and ENTRYPOINT are not checked: ' +
        'their variables are resolved by the shell at run time. ONBUILD triggers are not checked either, since ' +
        'they run in another build.\n\n' +
        'BuildKit also knows the environment of the base image, which needs a registry. Without one, the rule ' +
        'says a name expands to an empty string only when the stage starts (directly or through stages of the file) ' +
        'from `scratch` or a minimal OS image (alpine, debian, ubuntu, busybox, distroless, …) whose only variable ' +
        'is PATH. On any other base the image may set the name (`nvidia/cuda` sets `LD_LIBRARY_PATH`), so the rule ' +
        'reports near-misses of a name in scope (`$PAHT` for `$PATH`) as warnings, and names the file declares ' +
        'elsewhere (global or platform ARGs the stage did not re-declare, a variable of another stage) as info, ' +
        'both worded "unless the base image sets it". ' +
        'References with a fallback (`${NAME:-default}`, `${NAME:+x}`) handle the unset case on purpose and are ' +
        'not reported.',
    },
  },
  check(ctx) {
    const p = ctx.parsed;
    if (p.stages.length === 0) return;
    const m = modelOf(p);
    const globals = m.globalArgNames;
    const elsewhere = new Set<string>(globals);
    for (const s of p.stages) for (const n of m.scopeAtEnd(s).names()) elsewhere.add(n);

    for (const stage of p.stages) {
      // the whole environment is known only on scratch and minimal OS images (PATH alone); any other base may set the name
      const base = m.chain(stage)[0].image.toLowerCase();
      const known = MINIMAL_BASE.test(base);
      const own = m.scopeAtEnd(stage).names();
      // `declared`: names an ARG line declared before the default being checked
      const check = (start: number, text: string, scope: Scope, declared: readonly string[] = []): void => {
        for (const ref of scanRefs(text, p.escapeChar)) {
          const n = ref.name;
          if (n === 'PATH' || scope.has(n) || declared.includes(n) || PROXY_ARGS.has(n) || hasFallback(ref)) continue;
          // the names in scope are gathered only for a name that is not one of them
          const names = scope.names();
          names.add('PATH');
          declared.forEach((d) => names.add(d));
          const hint = suggestName(n, names);
          const isGlobal = globals.has(n);
          const isPlatform = PLATFORM_ARGS.has(n);
          // on an unknown base only a one-edit slip of a name in scope is a confident typo
          const typo = hint !== undefined && suggestName(n, names, 1) !== undefined;
          if (!known && !typo && !isGlobal && !isPlatform && !elsewhere.has(n)) continue;
          // `ENV LD_LIBRARY_PATH=/x:$LD_LIBRARY_PATH` on an unknown base extends what the base sets
          if (!known && !typo && own.has(n)) continue;
          const why = isGlobal || isPlatform
            ? `'$${n}' is a ${isGlobal ? 'global' : 'platform'} ARG, which a stage sees only after its own \`ARG ${n}\``
            : `'$${n}' is not defined by any ARG or ENV before this point${hint ? ` (did you mean $${hint}?)` : ''}`;
          const range = offsetRange(p, start + ref.start, start + ref.end);
          if (known) ctx.report({ range, message: `${why}; it expands to an empty string.` });
          // a typo of a name in scope is still likely wrong; a name the file declares elsewhere may equally be set by the base
          else ctx.report({ range, message: `${why}; unless the base image \`${base}\` sets it, it expands to an empty string.`, severity: typo ? undefined : 'info' });
        }
      };
      for (const instr of stage.instructions) {
        const before = m.scopeBefore(instr);
        if (instr.keyword === 'ARG') {
          // a default sees the names declared before it on the same line
          const declared: string[] = [];
          for (const a of argNames(instr, p)) {
            if (a.value !== undefined) check(a.valueStart, a.value, before, declared);
            declared.push(a.name);
          }
          continue;
        }
        if (EXPANDING.has(instr.keyword)) scanInstr(p, instr, (start, text) => check(start, text, before));
      }
    }
  },
};

/** Run `check` over the expanded parts of an instruction: its arguments (heredoc bodies blanked) and value flags. */
function scanInstr(p: ParsedDockerfile, instr: Instr, check: (start: number, text: string) => void): void {
  for (const f of instr.flags) {
    if (f.value && f.valueRange && EXPANDED_FLAGS.has(f.name.toLowerCase())) check(p.index.offsetAt(f.valueRange.start), f.value);
  }
  const start = instr.endOffset - instr.argsText.length;
  let text = instr.argsText;
  for (const h of heredocsOf(instr) as HeredocNode[]) {
    const c = h.getContentRange();
    if (!c) continue;
    const a = p.index.offsetAt(c.start) - start;
    const b = p.index.offsetAt(c.end) - start;
    if (a >= 0 && b <= text.length) text = text.slice(0, a) + ' '.repeat(b - a) + text.slice(b);
  }
  check(start, text);
}

export default rule;
