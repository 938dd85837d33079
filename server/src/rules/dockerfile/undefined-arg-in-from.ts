// undefined-arg-in-from: a variable in a FROM line must be a global ARG (declared before the first FROM) or one
// of BuildKit's platform args; anything else always expands to an empty string.

import type { DockerfileRule } from '../context';
import { offsetRange } from '../../model/dockerfile/wordsAndEdits';
import { suggestName } from '../../model/dockerfile/vars';
import { PLATFORM_ARGS, scanRefs } from '../../model/dockerfile/expansion';
import { modelOf } from '../../model/dockerfile/model';

const rule: DockerfileRule = {
  meta: {
    id: 'undefined-arg-in-from',
    language: 'dockerfile',
    category: 'correctness',
    title: 'Declare the ARGs a FROM line uses before the first FROM',
    severity: 'warning',
    fix: 'none',
    buildkit: ['UndefinedArgInFrom'],
    docs: {
      rationale:
        'A FROM line can only see global build arguments, those declared with ARG before the first FROM, plus ' +
        'the automatic platform args. An ARG declared inside a stage, or one never declared, expands to an empty ' +
        'string there, and `--build-arg` cannot set it.',
      invalid: 'FROM node:${NODE_VERSION}-alpine\nRUN node --version\n',
      valid: 'ARG NODE_VERSION=22\nFROM node:${NODE_VERSION}-alpine\nRUN node --version\n',
      notes:
        'Both the image and the `--platform` value are checked. A reference with a fallback such as ' +
        '`${TAG:-latest}` is still reported: without a global ARG the fallback is always what is used. The message ' +
        'suggests a declared name when the reference looks like a typo of one.',
    },
  },
  check(ctx) {
    const p = ctx.parsed;
    // the names in scope are only needed once a FROM refers to a variable (most files have none)
    let known: Set<string> | undefined;
    for (const stage of p.stages) {
      const parts: { start: number; text: string }[] = [];
      if (stage.imageRange) {
        const s = p.index.offsetAt(stage.imageRange.start);
        parts.push({ start: s, text: p.text.slice(s, p.index.offsetAt(stage.imageRange.end)) });
      }
      const platform = stage.from.flag('platform');
      if (platform?.valueRange && platform.value !== null) {
        parts.push({ start: p.index.offsetAt(platform.valueRange.start), text: platform.value });
      }
      for (const part of parts) {
        for (const ref of scanRefs(part.text, p.escapeChar)) {
          known ??= new Set([...modelOf(p).globalArgNames, ...PLATFORM_ARGS]);
          if (known.has(ref.name)) continue;
          const hint = suggestName(ref.name, known);
          ctx.report({
            range: offsetRange(p, part.start + ref.start, part.start + ref.end),
            message: `FROM uses '${ref.name}', which is not declared as a global ARG before the first FROM` +
              (hint ? ` (did you mean ${hint}?)` : '') + '; declare it there.',
          });
        }
      }
    }
  },
};

export default rule;
