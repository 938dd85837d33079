// oci-label-arg-scope: a LABEL that expands a build argument the stage never declared gets an empty value,
// because ARGs (global ones included) are only visible in a stage that declares them.

import type { DockerfileRule } from '../context';
import { fix, offsetRange } from '../../model/dockerfile/wordsAndEdits';
import { insertLines } from '../../model/dockerfile/stages';
import { modelOf } from '../../model/dockerfile/model';
import { argDecls } from '../../model/dockerfile/vars';
import { PLATFORM_ARGS, scanRefs } from '../../model/dockerfile/expansion';

const rule: DockerfileRule = {
  meta: {
    id: 'oci-label-arg-scope',
    language: 'dockerfile',
    category: 'metadata',
    title: 'Declare the ARGs a LABEL uses in its stage',
    severity: 'warning',
    fix: 'safe',
    docs: {
      rationale:
        'A build argument is in scope only in the stage that declares it: an `ARG VERSION=dev` before the first ' +
        '`FROM`, or in a builder stage, is invisible in the final stage. A label such as ' +
        '`org.opencontainers.image.version="${VERSION}"` there expands to an empty string and the build still ' +
        'succeeds, so the image quietly ships without its version. Declaring `ARG VERSION` inside the stage fixes it.',
      invalid: 'ARG VERSION=dev\nFROM alpine:3.20\nLABEL org.opencontainers.image.version="${VERSION}"\n',
      valid: 'ARG VERSION=dev\nFROM alpine:3.20\nARG VERSION\nLABEL org.opencontainers.image.version="${VERSION}"\n',
      notes:
        'A variable is in scope when the stage declares it with ARG before the LABEL, or when ENV set it earlier in ' +
        'the stage or in a stage it builds `FROM`. The rule reports a variable that is declared as an ARG elsewhere ' +
        'in the file (globally or in another stage), one of BuildKit\'s automatic platform args (`TARGETARCH`, ' +
        '`BUILDPLATFORM`, …, which must also be declared in the stage to be visible), or any undeclared variable ' +
        'in a stage whose image starts from `scratch` (nothing else can define it there). Other undeclared ' +
        'variables may come from the base image\'s ENV and are left alone. References in single quotes are not ' +
        'expanded by Docker and are ignored.\n\n' +
        'The fix adds `ARG NAME` on the line before the LABEL. A bare `ARG NAME` inside a stage picks up the ' +
        'default of a global `ARG NAME=value`; when the only declaration is in another stage, its default is ' +
        'copied (`ARG VERSION=dev`) so the label keeps the value it was meant to have.',
    },
  },
  check(ctx) {
    const p = ctx.parsed;
    const globals = new Map(p.globalArgs.flatMap(argDecls).map((a) => [a.name, a.value]));
    const m = modelOf(p);
    for (const stage of p.stages) {
      const scratchRooted = m.image(stage).baseImage === 'scratch';
      for (const label of stage.instructions.filter((i) => i.keyword === 'LABEL')) {
        const defined = m.scopeBefore(label);
        const argsStart = label.endOffset - label.argsText.length;
        const reported = new Set<string>();
        for (const ref of scanRefs(label.argsText, p.escapeChar)) {
          if (defined.has(ref.name) || reported.has(ref.name)) continue;
          const elsewhere = p.stages.filter((s) => s !== stage)
            .flatMap((s) => s.instructions.filter((i) => i.keyword === 'ARG').flatMap(argDecls))
            .filter((a) => a.name === ref.name);
          const isGlobal = globals.has(ref.name);
          if (!isGlobal && elsewhere.length === 0 && !PLATFORM_ARGS.has(ref.name) && !scratchRooted) continue;
          reported.add(ref.name);
          const dflt = isGlobal ? undefined : elsewhere.find((a) => a.value !== undefined)?.value;
          const decl = dflt !== undefined ? `ARG ${ref.name}=${/^[^\s"'$\\]*$/.test(dflt) ? dflt : JSON.stringify(dflt)}` : `ARG ${ref.name}`;
          const n = `\`${ref.name}\``;
          const why = isGlobal ? `${n} comes from a global ARG, which a stage sees only after its own \`ARG ${ref.name}\``
            : elsewhere.length ? `${n} is declared in another stage, and ARGs do not cross stages`
              : PLATFORM_ARGS.has(ref.name) ? `${n} is a global platform arg, which a stage sees only after its own \`ARG ${ref.name}\``
                : `${n} is declared nowhere and a scratch-based stage inherits no ENV`;
          ctx.report({
            range: offsetRange(p, argsStart + ref.start, argsStart + ref.end),
            message: `${why}, so this label gets an empty value; declare it in the stage.`,
            fixes: [fix(`Declare ${decl} in this stage`, 'safe', insertLines(p, { offset: p.index.starts[label.range.start.line], atLineStart: true }, [decl]))],
          });
        }
      }
    }
  },
};

export default rule;
