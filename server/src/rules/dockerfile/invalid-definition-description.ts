// invalid-definition-description: a comment directly above a named FROM or an ARG is read as its description
// (`docker build --call=outline`), so it should start with the stage or argument name.

import type { DockerfileRule } from '../../engine/types';
import { argNames } from '../vars';

const PRAGMA = /^#\s*(?:hullcheck|hadolint|check\s*=|syntax\s*=|escape\s*=)/i;

const rule: DockerfileRule = {
  meta: {
    id: 'invalid-definition-description',
    language: 'dockerfile',
    category: 'style',
    title: 'Start a stage or ARG description comment with its name',
    severity: 'off',
    fix: 'none',
    buildkit: ['InvalidDefinitionDescription'],
    docs: {
      rationale:
        '`docker build --call=outline` and `--call=targets` show the comment right above a named `FROM` or an ' +
        '`ARG` as its description, when the comment starts with the stage or argument name (`# VERSION sets …`). ' +
        'A comment that does not follow the format is either a description in the wrong shape or a note that ' +
        'should be separated from the instruction by an empty line.',
      invalid: '# the build stage\nFROM golang:1.22 AS build\nRUN go version\n',
      valid: '# build compiles the server\nFROM golang:1.22 AS build\n\n# pin the toolchain\n\nARG GO_FLAGS=-trimpath\n',
      notes:
        'Off by default: BuildKit runs this check only when experimental checks are enabled, and ordinary notes ' +
        'above FROM and ARG lines are common. Only the comment line directly above the instruction counts. ' +
        'Suppression pragmas and parser directives are not treated as descriptions.',
    },
  },
  check(ctx) {
    const p = ctx.parsed;
    for (const instr of p.instructions) {
      let keys: string[] = [];
      if (instr.keyword === 'FROM') {
        const stage = instr.stage;
        if (stage?.from === instr && stage.nameRange) {
          keys = [p.text.slice(p.index.offsetAt(stage.nameRange.start), p.index.offsetAt(stage.nameRange.end))];
        }
      } else if (instr.keyword === 'ARG') keys = argNames(instr, p).map((a) => a.name);
      if (keys.length === 0) continue;
      const line = instr.range.start.line - 1;
      if (line < 0) continue;
      const text = p.index.lineText(line).trim();
      if (!text.startsWith('#') || PRAGMA.test(text) || p.instructionAt(line)) continue;
      const first = text.replace(/^#\s?/, '').split(' ')[0];
      if (keys.includes(first)) continue;
      const example = keys.length > 1 ? '<arg_key>' : keys[0];
      ctx.report({
        range: { start: { line, character: 0 }, end: { line, character: p.index.lineText(line).length } },
        message: `A comment directly above ${instr.keyword} is read as its description and should look like \`# ${example} <description>\`; reword it or separate it with an empty line.`,
      });
    }
  },
};

export default rule;
