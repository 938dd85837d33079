// invalid-definition-description: a comment directly above a named FROM or an ARG is read as its description
// (`docker build --call=outline`), so it should start with the stage or argument name.

import type { DockerfileRule } from '../context';
import { argNames } from '../../model/dockerfile/vars';
import { commentGroups } from '../../parse/commentBlocks';

const PRAGMA = /^(?:hullcheck|hadolint)\s/i;


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
        'should be separated from the instruction by an empty `#` line.',
      invalid: '# the build stage\nFROM golang:1.22 AS build\nRUN go version\n',
      valid: '# build compiles the server\nFROM golang:1.22 AS build\n\n# pin the toolchain\n#\nARG GO_FLAGS=-trimpath\n',
      notes:
        'Off by default: BuildKit runs this check only when experimental checks are enabled, and ordinary notes ' +
        'above FROM and ARG lines are common; `# check=experimental=InvalidDefinitionDescription` (or `=all`) turns ' +
        'it on for the file, or for one instruction when written among its comments. As in BuildKit, the ' +
        'description is the last comment line since the previous instruction (blank lines do not end it, an ' +
        'empty `#` line does), and the finding is reported on the FROM or ARG line. Unlike BuildKit, a ' +
        '`# hullcheck …` or `# hadolint …` pragma as the last comment is not read as a description.',
    },
  },
  check(ctx) {
    const p = ctx.parsed;
    const groups = commentGroups(p);
    for (const instr of p.instructions) {
      let keys: string[] = [];
      if (instr.keyword === 'FROM') {
        const stage = instr.stage;
        if (stage?.from === instr && stage.nameRange) {
          keys = [p.text.slice(p.index.offsetAt(stage.nameRange.start), p.index.offsetAt(stage.nameRange.end))];
        }
      } else if (instr.keyword === 'ARG') keys = argNames(instr, p).map((a) => a.name);
      const group = groups.get(instr.range.start.line);
      if (keys.length === 0 || !group) continue;
      const last = group[group.length - 1].text.trim();
      // a suppression pragma must sit right above its instruction: it is an instruction to linters, not a description
      if (PRAGMA.test(last) || keys.includes(last.split(' ')[0])) continue;
      const example = keys.length > 1 ? '<arg_key>' : keys[0];
      const line = instr.range.start.line;
      ctx.report({
        range: { start: { line, character: 0 }, end: { line, character: p.index.lineText(line).length } },
        message: `The comment above this ${instr.keyword} is read as its description and should look like \`# ${example} <description>\`; reword it, or end it with an empty \`#\` line if it is only a note.`,
      });
    }
  },
};

export default rule;
